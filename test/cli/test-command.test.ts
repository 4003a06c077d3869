/**
 * `mcpcert test` as users run it: exit codes 0/1/2/3, the console output, --only, --baseline
 * (known failures and stale entries) and the JSON report, against the reference server and
 * the broken mini server of test/conformance/fixtures, all on 127.0.0.1.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbedded, type Embedded } from '../../conformance/embedded.js';
import type { RunReport } from '../../reports/model.js';
import { listenMiniTcp, type Running } from '../conformance/fixtures/mini-server.js';
import { reportProblems } from '../conformance/report-schema.js';
import { CLI } from '../helpers/serve.js';
import { runCli, type CliResult } from '../helpers/cli.js';

/** runCli with extra environment variables (CI=true). */
function runCliWith(args: string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', CLI, ...args], { timeout: 30_000, env: { ...process.env, ...env }, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err && typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : err ? -1 : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

let embedded: Embedded;
let broken: Running;
let reference: string;
let dir: string;

beforeAll(async () => {
  embedded = await startEmbedded();
  broken = await listenMiniTcp({ wrongVersionEcho: true });
  const tcp = embedded.targets.find((t) => t.kind === 'tcp')!;
  reference = tcp.kind === 'tcp' ? tcp.url : '';
  dir = mkdtempSync(join(tmpdir(), 'mcpcert-test-cmd-'));
});

afterAll(async () => {
  await embedded?.close();
  await broken?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function readReport(file: string): RunReport {
  return JSON.parse(readFileSync(file, 'utf8')) as RunReport;
}

describe('mcpcert test', () => {
  it('exits 0 against the reference server and writes a JSON report valid against its schema', async () => {
    const file = join(dir, 'reference.json');
    const res = await runCli(['test', reference, '--report', `json=${file}`]);
    expect(res.code, res.stdout + res.stderr).toBe(0);
    expect(res.stdout).toMatch(/^tcp 2025-11-25 +\d+ +0 +0 +\d+ +0 +\d+$/m);
    const report = readReport(file);
    expect(reportProblems(report)).toEqual([]);
    expect(report.tool.name).toBe('mcpcert');
    expect(report.targets).toEqual([{ target: reference, transport: 'tcp', protocolVersion: '2025-11-25', serverInfo: expect.objectContaining({ name: 'mcpcert-reference' }) }]);
    expect(report.summary.fail + report.summary.error).toBe(0);
    expect(report.results.length).toBe(report.summary.total);
  });

  it('exits 1 on a failure, printing the requirement, the evidence and the rerun command (quiet in CI)', async () => {
    const target = `tcp://127.0.0.1:${new URL(broken.url).port}`;
    const res = await runCliWith(['test', target, '--only', 'lifecycle/*', '--protocol-version', '2025-11-25'], { CI: 'true' });
    expect(res.code, res.stdout + res.stderr).toBe(1);
    expect(res.stdout).toMatch(/^FAIL  lifecycle\/version-echo \[tcp 2025-11-25\]  MUST LIFE-009$/m);
    expect(res.stdout).toContain('initialize asked for 2025-11-25, which the target supports, and was answered with "2025-06-18"');
    expect(res.stdout).toContain(`rerun: mcpcert test ${target} --only lifecycle/version-echo --protocol-version 2025-11-25`);
    expect(res.stdout).toMatch(/shell: printf '%s\\n' .*\| nc 127\.0\.0\.1 \d+/);
    // CI: no progress lines, no target banner.
    expect(res.stderr).toBe('');
  });

  it('exits 0 when the failures are in the --baseline, and names entries that now pass as stale', async () => {
    const baseline = join(dir, 'baseline.json');
    writeFileSync(baseline, JSON.stringify([{ check: 'lifecycle/version-echo', transport: 'tcp' }, { check: 'lifecycle/ping' }]));
    const file = join(dir, 'baselined.json');
    const res = await runCli(['test', broken.url, '--only', 'lifecycle/*', '--protocol-version', '2025-11-25', '--baseline', baseline, '--report', `json=${file}`]);
    expect(res.code, res.stdout + res.stderr).toBe(0);
    expect(res.stdout).toMatch(/baseline .*baseline\.json: 1 known failure\(s\) matched; stale entries \(now passing\): lifecycle\/ping/);
    const report = readReport(file);
    expect(reportProblems(report)).toEqual([]);
    expect(report.baseline).toEqual({ file: baseline, known: 1, stale: [{ check: 'lifecycle/ping' }] });
    expect(report.results.every((r) => r.check.startsWith('lifecycle/'))).toBe(true);
    expect(report.results.find((r) => r.check === 'lifecycle/version-echo')).toMatchObject({ status: 'fail', baseline: 'known' });
  });

  it('exits 2 on usage and configuration errors, naming the flag', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['test', 'ftp://example.com'], /cannot read the target "ftp:\/\/example.com"; expected stdio:COMMAND/],
      [['test', reference, '--level', 'some'], /--level must be one of must, should, all/],
      [['test', reference, '--report', 'xml=out.xml'], /--report must be FORMAT=FILE/],
      [['test', reference, '--only', 'no/such-check'], /no check matches --only no\/such-check/],
      [['test', reference, '--baseline', join(dir, 'missing.json')], /cannot read the baseline/],
      [['test', reference, '--timeout', 'soon'], /--timeout must be a number of milliseconds/],
      [['test', reference, '--header', 'X: y'], /--header applies to http, sse and ws targets/],
    ];
    const results = await Promise.all(cases.map(([args]) => runCli(args)));
    results.forEach((res, i) => {
      expect(res.code, cases[i]![0].join(' ')).toBe(2);
      expect(res.stderr).toMatch(/^mcpcert: test: /);
      expect(res.stderr).toMatch(cases[i]![1]);
    });
  });

  it('exits 3 when the target cannot be started or reached', async () => {
    const closed = await listenMiniTcp({});
    const url = closed.url;
    await closed.close();
    const [refused, exited] = await Promise.all([
      runCli(['test', url, '--timeout', '2000']),
      runCli(['test', '--timeout', '2000', '--stdio', '--', process.execPath, '-e', 'process.exit(1)']),
    ]);
    expect(refused.code, refused.stdout).toBe(3);
    expect(refused.stdout).toMatch(/ECONNREFUSED/);
    expect(exited.code, exited.stdout).toBe(3);
    expect(exited.stdout).toMatch(/exited before answering/);
  });
});
