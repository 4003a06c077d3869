/**
 * The runner end to end, in process: the reference server passes; a mini server passes what
 * applies to it, and each of its mutants fails exactly the checks naming the broken rule;
 * hostile targets end as errors (or unreachable) within the timeouts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Check } from '../../conformance/check.js';
import { startEmbedded, type Embedded } from '../../conformance/embedded.js';
import { CHECKS } from '../../conformance/registry.js';
import { runSuite, type RunOutcome } from '../../conformance/runner.js';
import { selectChecks } from '../../conformance/select.js';
import { parseTarget, stdioTarget, type Target } from '../../conformance/target.js';
import type { VersionMode } from '../../conformance/negotiate.js';
import type { CheckResult } from '../../reports/model.js';
import { listenMiniHttp, listenMiniTcp, type Mutations } from './fixtures/mini-server.js';
import { reportProblems } from './report-schema.js';

const TOOL = { name: 'mcpcert', version: '0.0.0-test' };

function run(target: Target, protocolVersion: VersionMode = 'auto', options: { timeoutMs?: number; checks?: readonly Check[]; keepAllEvidence?: boolean } = {}): Promise<RunOutcome> {
  return runSuite({ targets: [target], checks: options.checks ?? CHECKS, protocolVersion, timeoutMs: options.timeoutMs ?? 5000, tool: TOOL, keepAllEvidence: options.keepAllEvidence ?? false });
}

function failing(results: readonly CheckResult[]): string[] {
  return results.filter((r) => r.status === 'fail' || r.status === 'warn' || r.status === 'error').map((r) => r.check).sort();
}

function brief(results: readonly CheckResult[]): string {
  return results.filter((r) => r.status !== 'pass' && r.status !== 'skip').map((r) => `${r.status} ${r.check}: ${r.message}`).join('\n');
}

describe('the suite against the reference server', () => {
  let embedded: Embedded;
  beforeAll(async () => {
    embedded = await startEmbedded();
  });
  afterAll(async () => {
    await embedded?.close();
  });

  for (const version of ['2025-11-25', '2026-07-28'] as const) {
    it(`passes every check on tcp and http at ${version}`, async () => {
      const targets = embedded.targets.filter((t) => t.kind === 'tcp' || t.kind === 'http');
      const { report, unreachable } = await runSuite({ targets, checks: CHECKS, protocolVersion: version, timeoutMs: 10_000, tool: TOOL });
      expect(unreachable).toBe(false);
      expect(brief(report.results)).toBe('');
      expect(report.summary.fail + report.summary.error + report.summary.warn).toBe(0);
      // Nothing passes by being skipped. The skips, each for a reason the reference server gives:
      // it declares every capability (nothing undeclared to probe), has no task-only tool,
      // requires no authorization here, and accepts 2025-03-26 clients (so a 2026-07-28 POST
      // without MCP-Protocol-Version may be served).
      const skipped = report.results.filter((r) => r.status === 'skip').map((r) => `${r.transport} ${r.check}`).sort();
      const auth = ['auth/every-request-verified', 'auth/foreign-token-refused', 'auth/invalid-token', 'auth/malformed-authorization', 'auth/protected-resource-metadata'].map((c) => `http ${c}`);
      // It also declares task support for tools/call, has no task that asks the client for
      // input, never needs a URL elicitation (-32042), and lists no file:// resources.
      const everywhere =
        version === '2025-11-25'
          ? ['capabilities/undeclared-methods', 'resources/file-traversal', 'server-requests/url-elicitation-error', 'tasks/input-required-related', 'tasks/required-without-task', 'tasks/undeclared-task-call']
          : ['capabilities/undeclared-methods', 'resources/file-traversal'];
      const httpOnly = version === '2025-11-25' ? auth : [...auth, 'http http/protocol-version-required'];
      expect(skipped).toEqual([...everywhere.flatMap((c) => [`tcp ${c}`, `http ${c}`]), ...httpOnly].sort());
      expect(report.summary.pass).toBeGreaterThan(version === '2025-11-25' ? 80 : 70);
      expect(report.targets.map((t) => [t.transport, t.protocolVersion, t.serverInfo?.name])).toEqual([
        ['tcp', version, 'mcpcert-reference'],
        ['http', version, 'mcpcert-reference'],
      ].sort((a, b) => targets.findIndex((t) => t.kind === a[0]) - targets.findIndex((t) => t.kind === b[0])));
      expect(reportProblems(report)).toEqual([]);
    });
  }

  it('with --protocol-version all, runs every version the target accepts', async () => {
    const tcp = embedded.targets.find((t) => t.kind === 'tcp')!;
    const { report } = await run(tcp, 'all', { checks: selectChecks(CHECKS, ['lifecycle/ping', 'modern/discover', 'base/request-ids-echoed'], 'all') });
    expect(report.targets.map((t) => t.protocolVersion)).toEqual(['2024-11-05', '2025-03-26', '2025-06-18', '2025-11-25', '2026-07-28']);
    expect(brief(report.results)).toBe('');
    expect(report.results.filter((r) => r.check === 'lifecycle/ping')).toHaveLength(4);
    expect(report.results.filter((r) => r.check === 'modern/discover').map((r) => r.protocolVersion)).toEqual(['2026-07-28']);
  });
});

describe('the suite against deliberately broken servers', () => {
  const closers: Array<() => Promise<void>> = [];
  afterAll(async () => {
    await Promise.all(closers.map((c) => c()));
  });
  async function mini(m: Mutations): Promise<Target> {
    const server = await listenMiniTcp(m);
    closers.push(server.close);
    return parseTarget(server.url);
  }

  it('passes or skips every check on the unbroken mini server (the control)', async () => {
    const { report } = await run(await mini({}));
    expect(brief(report.results)).toBe('');
    expect(report.summary.pass).toBeGreaterThan(8);
    expect(report.results.find((r) => r.check === 'tools/list-valid')).toMatchObject({ status: 'skip', message: 'the target does not declare the tools capability' });
    expect(reportProblems(report)).toEqual([]);
  });

  it.each([
    [{ wrongVersionEcho: true }, ['lifecycle/version-echo'], 'LIFE-009', /asked for 2025-11-25.*answered with "2025-06-18"|asked for 2025-06-18.*answered with "2025-11-25"/],
    [{ noServerInfo: true }, ['lifecycle/initialize-result'], 'LIFE-003', /no serverInfo/],
    // Answering notifications/cancelled is also what cancellation/race looks for.
    [{ answerNotifications: true }, ['base/no-response-to-notification', 'cancellation/race', 'cancellation/unknown-request-ignored'], 'BASE-011', /answered a notification/],
    [{ pingNotEmpty: true }, ['lifecycle/ping'], 'PING-001', /the ping result is not empty: it carries status/],
    // A server that answers every method also serves tools/list without declaring tools.
    [{ resultForUnknownMethod: true }, ['base/error-response-shape', 'capabilities/undeclared-methods'], 'BASE-009', /unknown method mcpcert\/no-such-method was answered with a result/],
    // The generated ids of properties/request-ids include integers past 2^31 too.
    [{ largeIdsAsStrings: true }, ['base/request-ids-echoed', 'properties/request-ids'], 'BASE-006', /no response carried the id 9007199254740991 .*responses arrived with id "9007199254740991"/],
  ] as const)('%o fails exactly %o, naming the requirement, with evidence and a repro', async (mutation, expected, requirement, message) => {
    const target = await mini(mutation);
    // Short: one check waits out a response that never carries its id.
    const { report } = await run(target, 'auto', { timeoutMs: 1000 });
    expect(failing(report.results)).toEqual(expected);
    const result = report.results.find((r) => r.check === expected[0])!;
    expect(result.status).toBe('fail');
    expect(result.requirements).toContain(requirement);
    expect(result.message).toMatch(message);
    expect(result.evidence!.transcript.some((e) => e.direction === 'received' && e.kind === 'message')).toBe(true);
    expect(result.evidence!.failures[0]!.expected).toBeTruthy();
    expect(result.repro!.command).toBe(`mcpcert test ${'url' in target ? target.url : ''} --only ${expected[0]} --protocol-version ${result.protocolVersion}`);
    expect(result.repro!.shell).toMatch(/^printf '%s\\n' .* \| nc 127\.0\.0\.1 \d+$/);
    expect(reportProblems(report)).toEqual([]);
  });

  it('fails stdio/stdout-only-messages when a stdio server prints a banner on stdout', async () => {
    const script = new URL('./fixtures/mini-stdio.ts', import.meta.url).pathname;
    const target = stdioTarget(process.execPath, ['--import', 'tsx', script, 'stdout-banner']);
    const { report } = await run(target, 'auto', { checks: selectChecks(CHECKS, ['stdio/*', 'base/server-messages-valid', 'lifecycle/ping'], 'all') });
    expect(failing(report.results)).toEqual(['base/server-messages-valid', 'stdio/stdout-only-messages']);
    const result = report.results.find((r) => r.check === 'stdio/stdout-only-messages')!;
    expect(result.message).toMatch(/not an MCP message/);
    expect(result.evidence!.failures[0]!.observed).toBe('mini server starting, listening on stdio');
    expect(result.repro!.shell).toContain(`| ${process.execPath} --import tsx ${script} stdout-banner`);
  });

  it('fails http/origin-forbidden when a server answers a foreign Origin with 200, with a curl repro', async () => {
    const only = selectChecks(CHECKS, ['http/origin-forbidden'], 'all');
    const good = await listenMiniHttp({});
    const bad = await listenMiniHttp({ acceptForeignOrigin: true });
    closers.push(good.close, bad.close);
    const control = await run(parseTarget(good.url), '2025-11-25', { checks: only });
    expect(brief(control.report.results)).toBe('');
    expect(control.report.summary.pass).toBe(1);
    const { report } = await run(parseTarget(bad.url), '2025-11-25', { checks: only });
    const result = report.results[0]!;
    expect(result).toMatchObject({ check: 'http/origin-forbidden', status: 'fail', requirements: ['HTTP-002', 'HTTP-003'] });
    expect(result.message).toMatch(/Origin https:\/\/attacker\.mcpcert\.invalid was answered with HTTP 200/);
    expect(result.repro!.curl).toMatch(/^curl -sS -i -X POST .* -H 'origin: https:\/\/attacker\.mcpcert\.invalid' --data-raw /);
    expect(result.evidence!.transcript.find((e) => e.kind === 'http' && e.direction === 'received')?.http?.status).toBe(200);
  });
});

describe('the suite against hostile targets', () => {
  const closers: Array<() => Promise<void>> = [];
  afterAll(async () => {
    await Promise.all(closers.map((c) => c()));
  });
  async function mini(m: Mutations): Promise<Target> {
    const server = await listenMiniTcp(m);
    closers.push(server.close);
    return parseTarget(server.url);
  }

  it('reports a command that exits at once as unreachable', async () => {
    const { report, unreachable } = await run(stdioTarget(process.execPath, ['-e', 'process.stderr.write("boom\\n"); process.exit(3)']), 'auto', { timeoutMs: 2000 });
    expect(unreachable).toBe(true);
    expect(report.targets[0]!.problem).toMatch(/exited|closed/);
    expect(report.results.every((r) => r.status === 'error')).toBe(true);
    expect(reportProblems(report)).toEqual([]);
  });

  it('reports a refused TCP port as unreachable', async () => {
    const server = await listenMiniTcp({});
    const url = server.url;
    await server.close();
    const { unreachable, report } = await run(parseTarget(url), 'auto', { timeoutMs: 2000 });
    expect(unreachable).toBe(true);
    expect(report.targets[0]!.problem).toMatch(/ECONNREFUSED|cannot reach/);
  });

  it('turns a target that never answers into errors within the timeout', async () => {
    const { report, unreachable } = await run(await mini({ silent: true }), 'auto', { timeoutMs: 300 });
    expect(unreachable).toBe(false);
    expect(report.results.length).toBeGreaterThan(5);
    expect(report.results.every((r) => r.status === 'error')).toBe(true);
    expect(report.results[0]!.message).toMatch(/timed out after 300 ms waiting for the response to initialize/);
  });

  it('turns a target that answers garbage into errors naming what it wrote', async () => {
    const { report } = await run(await mini({ garbage: true }), 'auto', { timeoutMs: 300 });
    expect(report.results.every((r) => r.status === 'error')).toBe(true);
    expect(report.targets[0]!.problem).toMatch(/unusable frame.*this is not JSON/);
  });

  it('turns a target that closes mid-message into errors showing the cut-off text', async () => {
    const { report, unreachable } = await run(await mini({ closeMidMessage: true }), 'auto', { timeoutMs: 300 });
    expect(unreachable).toBe(false);
    expect(report.results.length).toBeGreaterThan(5);
    expect(report.results.every((r) => r.status === 'error')).toBe(true);
    expect(report.targets[0]!.problem).toMatch(/closed before the response to initialize \(id 1\).*unusable frame.*"resu/);
  });

  it('keeps transcripts bounded when a target floods notifications, and still judges', async () => {
    const { report } = await run(await mini({ flood: 3000 }), 'auto', { keepAllEvidence: true, checks: selectChecks(CHECKS, ['lifecycle/*', 'base/*'], 'all') });
    expect(brief(report.results)).toBe('');
    const flooded = report.results.find((r) => r.check === 'lifecycle/version-counter-offer')!;
    expect(flooded.evidence!.transcript.length).toBeLessThanOrEqual(400);
    expect(flooded.evidence!.transcriptDropped).toBeGreaterThan(100);
  });
});
