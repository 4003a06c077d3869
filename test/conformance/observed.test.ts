/**
 * The observational validation checks (server-notifications, meta-values, no-server-requests)
 * against the reference server behind a proxy that breaks one rule in what the server sends:
 * each break must fail exactly the check that judges it, and the unbroken proxy none.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Check } from '../../conformance/check.js';
import serverNotifications from '../../conformance/checks/validation/server-notifications.js';
import metaValues from '../../conformance/checks/validation/meta-values.js';
import noServerRequests from '../../conformance/checks/validation/no-server-requests.js';
import { listenMutatingProxy, type JsonObj, type ProxyRules } from './fixtures/mutating-proxy.js';
import { failing, statuses } from './fixtures/run-checks.js';

const CHECKS: readonly Check[] = [serverNotifications, metaValues, noServerRequests];

/** Sends `extra` right after the response to the first tools/list (once the check is watching). */
function afterToolsList(...extra: JsonObj[]): ProxyRules {
  return {
    toClient: (m, conn, method) => {
      if (method !== 'tools/list' || conn.state.done === true) return undefined;
      conn.state.done = true;
      return [JSON.stringify(m), ...extra.map((e) => JSON.stringify(e))];
    },
    // Our answers to injected requests are not the server's business.
    toServer: (m) => (m.method === undefined && typeof m.id === 'string' && m.id.startsWith('srv-') ? { reply: [] } : undefined),
  };
}

/** Rewrites the result of every response to `method`. */
function rewriteResult(method: string, change: (result: JsonObj) => JsonObj): ProxyRules {
  return { toClient: (m, _c, answered) => (answered === method && typeof m.result === 'object' && m.result !== null ? [JSON.stringify({ ...m, result: change(m.result as JsonObj) })] : undefined) };
}

const progressTokenAs = (token: number | JsonObj): ProxyRules => ({
  toClient: (m) => (m.method === 'notifications/progress' ? [JSON.stringify({ ...m, params: { ...(m.params as JsonObj), progressToken: token } })] : undefined),
});

describe('the observational validation checks against a proxy that breaks what the server sends', () => {
  const closers: Array<() => Promise<void>> = [];
  afterAll(async () => {
    await Promise.all(closers.map((c) => c()));
  });
  async function outcome(rules: ProxyRules, version: '2025-11-25' | '2026-07-28'): Promise<Record<string, string>> {
    const proxy = await listenMutatingProxy(rules);
    closers.push(proxy.close);
    return statuses(proxy.url, CHECKS, version);
  }

  it('the reference server through an unchanging proxy passes them (the control)', async () => {
    expect(await outcome({}, '2025-11-25')).toEqual({ 'validation/server-notifications': 'pass' });
    expect(await outcome({}, '2026-07-28')).toEqual({ 'validation/meta-values': 'pass', 'validation/no-server-requests': 'pass' });
  });

  it.each([
    ['a progress token that is a fraction', progressTokenAs(1.5)],
    ['a progress token that is an object', progressTokenAs({ token: 1 })],
    ['a cancellation of a request the server never sent', afterToolsList({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 'never-sent', reason: 'mcpcert' } })],
    ['a cancellation without a requestId', afterToolsList({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { reason: 'mcpcert' } })],
    ['notifications/cancelled for a task-augmented request', afterToolsList({ jsonrpc: '2.0', id: 'srv-2', method: 'ping', params: { task: { ttl: 60000 } } }, { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 'srv-2', reason: 'mcpcert' } })],
  ] as const)('2025-11-25: %s fails validation/server-notifications', async (_name, rules) => {
    expect(failing(await outcome(rules, '2025-11-25'))).toEqual(['validation/server-notifications']);
  });

  it('2025-11-25: cancelling a request the server did send is no failure', async () => {
    const rules = afterToolsList({ jsonrpc: '2.0', id: 'srv-1', method: 'ping' }, { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 'srv-1', reason: 'mcpcert' } });
    expect(await outcome(rules, '2025-11-25')).toEqual({ 'validation/server-notifications': 'pass' });
  });

  it.each([
    ['a traceparent that is not W3C', rewriteResult('tools/list', (r) => ({ ...r, _meta: { traceparent: 'mcpcert-trace' } }))],
    ['a tracestate with an upper-case key', rewriteResult('tools/list', (r) => ({ ...r, _meta: { tracestate: 'McpCert=1' } }))],
    ['a baggage member without "="', rewriteResult('tools/list', (r) => ({ ...r, _meta: { baggage: 'mcpcert' } }))],
    ['an extension id without a prefix', rewriteResult('server/discover', (r) => ({ ...r, capabilities: { ...(r.capabilities as JsonObj), extensions: { tasks: {} } } }))],
    ['a resultType of no advertised extension', rewriteResult('tools/list', (r) => ({ ...r, resultType: 'mcpcert-stream' }))],
    ['"task" results without the tasks extension advertised', {
      toClient: (m: JsonObj, _c: unknown, method?: string) => {
        const result = m.result as JsonObj | undefined;
        if (method === 'server/discover' && result !== undefined) return [JSON.stringify({ ...m, result: { ...result, capabilities: { ...(result.capabilities as JsonObj), extensions: {} } } })];
        if (method === 'tools/list' && result !== undefined) return [JSON.stringify({ ...m, result: { ...result, resultType: 'task' } })];
        return undefined;
      },
    }],
  ] as const)('2026-07-28: %s fails validation/meta-values', async (_name, rules) => {
    expect(failing(await outcome(rules as ProxyRules, '2026-07-28'))).toEqual(['validation/meta-values']);
  });

  it('2026-07-28: propagated W3C trace context is no failure', async () => {
    const trace = { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', tracestate: 'rojo=00f067aa0ba902b7, congo=t61rcWkgMzE,fw529a3039@dt=ZmlyZWZveA', baggage: 'userId=alice, serverNode=DF%2028;prop, isProduction=false' };
    expect(await outcome(rewriteResult('tools/list', (r) => ({ ...r, _meta: { ...((r._meta as JsonObj | undefined) ?? {}), ...trace } })), '2026-07-28')).toEqual({ 'validation/meta-values': 'pass', 'validation/no-server-requests': 'pass' });
  });

  it('2026-07-28: a request from the server fails validation/no-server-requests', async () => {
    expect(failing(await outcome(afterToolsList({ jsonrpc: '2.0', id: 'srv-1', method: 'ping' }), '2026-07-28'))).toEqual(['validation/no-server-requests']);
  });
});
