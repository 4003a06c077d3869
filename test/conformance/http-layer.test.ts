/**
 * The HTTP-layer checks (conformance/checks/http, conformance/checks/sse): each fails behind a
 * proxy that breaks exactly its rule in front of the reference server; the unbroken proxy is the
 * control. That they pass on the reference server itself is runner.test.ts's job.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Check } from '../../conformance/check.js';
import { checks as httpChecks } from '../../conformance/checks/http/index.js';
import { checks as sseChecks } from '../../conformance/checks/sse/index.js';
import { startEmbedded, type Embedded } from '../../conformance/embedded.js';
import type { VersionMode } from '../../conformance/negotiate.js';
import { runSuite } from '../../conformance/runner.js';
import { parseTarget, type Target } from '../../conformance/target.js';
import type { CheckResult } from '../../reports/model.js';
import { startBreaker, type Breakage } from './fixtures/http-breaker.js';

const TOOL = { name: 'mcpcert', version: '0.0.0-test' };
const OWN = ['single-endpoint', 'unacceptable-message', 'request-content-type', 'stream-routing', 'event-ids-unique', 'resume-own-stream', 'session-id-unpredictable', 'protocol-version-required', 'header-name-case', 'param-header-rules', 'no-request-on-stream'];
const HTTP: readonly Check[] = httpChecks.filter((c) => OWN.includes(c.id.slice('http/'.length)));

function check(id: string): Check {
  const found = [...httpChecks, ...sseChecks].find((c) => c.id === id);
  if (found === undefined) throw new Error(`no check ${id}`);
  return found;
}

async function run(target: Target, version: VersionMode, checks: readonly Check[]): Promise<CheckResult[]> {
  const { report, unreachable } = await runSuite({ targets: [target], checks, protocolVersion: version, timeoutMs: 5000, tool: TOOL });
  expect(unreachable).toBe(false);
  return report.results;
}

function brief(results: readonly CheckResult[]): string {
  return results.filter((r) => r.status !== 'pass' && !(r.check === 'http/protocol-version-required' && r.status === 'skip')).map((r) => `${r.status} ${r.check} (${r.protocolVersion}): ${r.message}`).join('\n');
}

describe('HTTP-layer checks against proxies that break one rule each', () => {
  let embedded: Embedded;
  const closers: Array<() => Promise<void>> = [];
  beforeAll(async () => {
    embedded = await startEmbedded();
  });
  afterAll(async () => {
    await Promise.all(closers.map((c) => c()));
    await embedded?.close();
  });

  async function broken(kind: 'http' | 'sse', breakage: Breakage): Promise<Target> {
    const found = embedded.targets.find((t) => t.kind === kind);
    if (found === undefined || !('url' in found)) throw new Error(`no embedded ${kind} target`);
    const proxy = await startBreaker(found.url.replace(/^sse\+/, ''), breakage);
    closers.push(proxy.close);
    return parseTarget(kind === 'sse' ? `sse+${proxy.url}` : proxy.url);
  }

  it('the unbroken proxy passes every check (the control)', async () => {
    const http = await broken('http', {});
    const sse = await broken('sse', {});
    const results = [...(await run(http, '2025-11-25', HTTP)), ...(await run(http, '2026-07-28', HTTP)), ...(await run(sse, '2024-11-05', sseChecks))];
    expect(brief(results)).toBe('');
    expect(results.filter((r) => r.status === 'pass').length).toBeGreaterThan(14);
  }, 60_000);

  it.each([
    ['http', { getTextPlain: true }, '2025-11-25', 'http/single-endpoint', 'HTTP-001', /GET on the same endpoint path was answered with HTTP 200, Content-Type text\/plain/],
    ['http', { acceptUnusable: true }, '2025-11-25', 'http/unacceptable-message', 'HTTP-010', /whose method is a number was answered with HTTP 202/],
    ['http', { acceptUnusable: true }, '2026-07-28', 'http/unacceptable-message', 'M-HTTP-012', /was answered with HTTP 202/],
    ['http', { textPlain: true }, '2025-11-25', 'http/request-content-type', 'HTTP-011', /initialize was answered with Content-Type text\/plain/],
    ['http', { textPlain: true }, '2026-07-28', 'http/request-content-type', 'M-HTTP-013', /server\/discover was answered with Content-Type text\/plain/],
    ['http', { copyToGet: true }, '2025-11-25', 'http/stream-routing', 'HTTP-025', /GET stream carried a JSON-RPC response|was sent on two streams/],
    ['http', { reuseEventIds: true }, '2025-11-25', 'http/event-ids-unique', 'HTTP-029', /the event id "1" was used twice/],
    ['http', { replayForeign: true }, '2025-11-25', 'http/resume-own-stream', 'HTTP-032', /replayed the response to request .* which had been sent on/],
    ['http', { sequentialSessions: true }, '2025-11-25', 'http/session-id-unpredictable', 'SEC-011', /differ only by a small increasing number/],
    ['http', { modernOnlyLenient: true }, '2026-07-28', 'http/protocol-version-required', 'M-HTTP-027', /without MCP-Protocol-Version was answered with HTTP 200/],
    ['http', { caseSensitiveHeaders: true }, '2026-07-28', 'http/header-name-case', 'M-HTTP-046', /server\/discover with its headers named .* was answered with HTTP 400/],
    ['http', { alignParamHeaders: true }, '2026-07-28', 'http/param-header-rules', 'M-HTTP-045', /but no Mcp-Param-\w+ header was answered with HTTP 200/],
    ['http', { requestOnStream: true }, '2026-07-28', 'http/no-request-on-stream', 'M-HTTP-016', /carried the JSON-RPC request roots\/list/],
    ['http', { strayProgress: true }, '2026-07-28', 'http/stream-notifications-related', 'M-HTTP-015', /progress for token "mcpcert-stream-1" arrived on \d+ streams|carried progress for 2 different tokens|a request sent without a progress token, carried a progress notification/],
    ['sse', { ignoreOrigin: true }, '2024-11-05', 'sse/origin-refused', 'HTTP-002', /with Origin https:\/\/attacker.mcpcert.invalid was answered with HTTP 200/],
    ['sse', { renameMessageEvents: true }, '2024-11-05', 'sse/message-events', 'BASE-002', /an SSE event of type "rpc"/],
  ] as const)('%s %o at %s fails %s (%s)', async (kind, breakage, version, id, requirement, message) => {
    const results = await run(await broken(kind, breakage), version, [check(id)]);
    expect(results).toHaveLength(1);
    const result = results[0]!;
    expect(result.status, result.message).toBe('fail');
    expect(result.requirements).toContain(requirement);
    expect(result.message).toMatch(message);
    expect(result.evidence!.failures[0]!.expected).toBeTruthy();
  }, 30_000);
});
