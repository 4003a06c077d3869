/**
 * The property checks: each breaks on a server that violates its rule for some inputs only,
 * shrinks the failure to the same minimal counterexample every time from the same seed, and
 * `--seed S --path P` on the command line replays exactly that counterexample.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkById } from '../../conformance/registry.js';
import { runSuite } from '../../conformance/runner.js';
import { parseTarget } from '../../conformance/target.js';
import type { CheckResult, RunReport } from '../../reports/model.js';
import { runCli } from '../helpers/cli.js';
import { listenPropertyServer, type PropertyFlaws } from './fixtures/property-server.js';
import type { Running } from './fixtures/mini-server.js';

const servers: Running[] = [];
const dir = mkdtempSync(join(tmpdir(), 'mcpcert-properties-'));
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});

async function server(flaws: PropertyFlaws): Promise<string> {
  const running = await listenPropertyServer(flaws);
  servers.push(running);
  return running.url;
}

async function judge(url: string, check: string, seed: number): Promise<CheckResult> {
  const { report } = await runSuite({ targets: [parseTarget(url)], checks: [checkById(check)!], protocolVersion: '2025-11-25', timeoutMs: 5000, tool: { name: 'mcpcert', version: 'test' }, property: { seed } });
  expect(report.results).toHaveLength(1);
  return report.results[0]!;
}

describe('property checks', () => {
  it('pass on a correct server', async () => {
    const url = await server({});
    for (const id of ['properties/request-ids', 'properties/tool-call-valid-arguments', 'properties/tool-call-invalid-arguments']) {
      const result = await judge(url, id, 7);
      expect(`${id}: ${result.status} ${result.message}`).toBe(`${id}: pass `);
    }
  });

  it('shrink a -32603 on valid arguments to the smallest failing n, the same twice, and replay it from the command line', async () => {
    const url = await server({ internalErrorFromSeven: true });
    const first = await judge(url, 'properties/tool-call-valid-arguments', 20_251_125);
    const second = await judge(url, 'properties/tool-call-valid-arguments', 20_251_125);
    expect(first.status).toBe('warn');
    expect(first.repro?.counterexample).toEqual({ name: 'count', arguments: expect.objectContaining({ n: 7 }) });
    expect(second.repro?.counterexample).toEqual(first.repro?.counterexample);
    expect(second.repro?.path).toBe(first.repro?.path);
    expect(first.repro?.seed).toBe(20_251_125);
    expect(first.repro?.command).toContain(`--seed 20251125 --path ${first.repro!.path}`);

    const file = join(dir, 'replay.json');
    const cli = await runCli(['test', url, '--only', 'properties/tool-call-valid-arguments', '--protocol-version', '2025-11-25', '--seed', '20251125', '--path', first.repro!.path!, '--report', `json=${file}`]);
    expect(cli.code).toBe(0);
    const replayed = (JSON.parse(readFileSync(file, 'utf8')) as RunReport).results[0]!;
    expect(replayed.status).toBe('warn');
    expect(replayed.repro?.counterexample).toEqual(first.repro?.counterexample);
  });

  it('find arguments outside the schema that a tool runs anyway, shrunk to one past the bound', async () => {
    const result = await judge(await server({ noRangeCheck: true }), 'properties/tool-call-invalid-arguments', 99);
    expect(result.status).toBe('fail');
    expect(result.requirements).toContain('TOOL-018');
    const args = (result.repro?.counterexample as { arguments: { n: number } }).arguments;
    expect([11, -1]).toContain(args.n);
  });

  it('find the integer ids a server mangles, shrunk to -1', async () => {
    const result = await judge(await server({ unsignedIds: true }), 'properties/request-ids', 5);
    expect(result.status).toBe('fail');
    expect(result.repro?.counterexample).toBe(-1);
    expect(result.message).toContain('no response carried the id -1');
  });

  it('refuses a --path without its --seed, and a malformed one', async () => {
    expect((await runCli(['test', 'tcp://127.0.0.1:9', '--path', '0:1'])).code).toBe(2);
    expect((await runCli(['test', 'tcp://127.0.0.1:9', '--seed', '1', '--path', 'zero'])).code).toBe(2);
    expect((await runCli(['test', 'tcp://127.0.0.1:9', '--runs', '0'])).code).toBe(2);
  });
});
