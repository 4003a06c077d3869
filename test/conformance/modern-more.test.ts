/**
 * The x-mcp-header checks of the modern group: each fails behind a proxy in front of the
 * reference server that breaks exactly its rule; the unbroken proxy is the control.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Check } from '../../conformance/check.js';
import paramHeaderSchema from '../../conformance/checks/modern/param-header-schema.js';
import paramHeaderValues from '../../conformance/checks/modern/param-header-values.js';
import { startEmbedded, type Embedded } from '../../conformance/embedded.js';
import { runSuite } from '../../conformance/runner.js';
import { parseTarget, type Target } from '../../conformance/target.js';
import type { CheckResult } from '../../reports/model.js';
import { startBreaker, type Breakage } from './fixtures/http-breaker.js';

const TOOL = { name: 'mcpcert', version: '0.0.0-test' };
const CHECKS: readonly Check[] = [paramHeaderSchema, paramHeaderValues];

async function run(target: Target): Promise<CheckResult[]> {
  const { report, unreachable } = await runSuite({ targets: [target], checks: CHECKS, protocolVersion: '2026-07-28', timeoutMs: 5000, tool: TOOL });
  expect(unreachable).toBe(false);
  return report.results;
}

function brief(results: readonly CheckResult[]): string {
  return results.filter((r) => r.status !== 'pass').map((r) => `${r.status} ${r.check}: ${r.message}`).join('\n');
}

describe('x-mcp-header checks against proxies that break one rule each', () => {
  let embedded: Embedded;
  const closers: Array<() => Promise<void>> = [];
  beforeAll(async () => {
    embedded = await startEmbedded();
  });
  afterAll(async () => {
    await Promise.all(closers.map((c) => c()));
    await embedded?.close();
  });

  async function broken(breakage: Breakage): Promise<Target> {
    const found = embedded.targets.find((t) => t.kind === 'http');
    if (found === undefined || !('url' in found)) throw new Error('no embedded http target');
    const proxy = await startBreaker(found.url, breakage);
    closers.push(proxy.close);
    return parseTarget(proxy.url);
  }

  it('the unbroken proxy passes both checks (the control)', async () => {
    const results = await run(await broken({}));
    expect(brief(results)).toBe('');
    expect(results.map((r) => r.check).sort()).toEqual(['modern/param-header-schema', 'modern/param-header-values']);
  }, 30_000);

  it.each([
    [{ badHeaderAnnotation: true }, 'modern/param-header-schema', /x-mcp-header at #\/properties\/\w+ is invalid: its value "Bad Name" is not an RFC 9110 token/],
    [{ alignParamHeaders: true }, 'modern/param-header-values', /with Mcp-Param-\w+: \S+ while arguments\.\w+ is .* was answered with HTTP 200/],
    [{ refuseBase64Params: true }, 'modern/param-header-values', /\(the Base64 form of arguments\.\w+\) was refused as a header mismatch/],
    [{ demandPriorityHeader: true }, 'modern/param-header-values', /without arguments\.priority and without Mcp-Param-Priority was refused as a header mismatch/],
  ] as const)('%o fails %s', async (breakage, check, message) => {
    const results = await run(await broken(breakage));
    const failed = results.filter((r) => r.status === 'fail');
    expect(failed.map((r) => r.check)).toEqual([check]);
    const failures = failed[0]?.evidence?.failures.map((f) => f.message).join('\n') ?? '';
    expect(failures).toMatch(message);
  }, 30_000);
});
