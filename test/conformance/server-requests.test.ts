/**
 * The server-requests checks against the reference server made to break one rule each by a
 * proxy rewriting its messages; the unbroken proxy is the control (runner.test.ts runs the
 * reference server itself through the whole registry).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Check } from '../../conformance/check.js';
import { runSuite } from '../../conformance/runner.js';
import { parseTarget } from '../../conformance/target.js';
import undeclaredCapabilities from '../../conformance/checks/server-requests/undeclared-capabilities.js';
import validRequests from '../../conformance/checks/server-requests/valid-requests.js';
import { isObj, listenRewriteProxy, type Json, type Link, type Obj, type Rewrite } from './fixtures/rewrite-proxy.js';
import { startReferenceTcp, type ReferenceTcp } from '../helpers/reference-tcp.js';

const TOOL = { name: 'mcpcert', version: '0.0.0-test' };
const CHECKS: readonly Check[] = [undeclaredCapabilities, validRequests];
const EVERYTHING: Obj = { sampling: { tools: {} }, elicitation: { form: {}, url: {} }, roots: {} };

/** What the client declared at initialize, remembered per connection. */
function declared(link: Link): Obj {
  const caps = link.state.get('capabilities');
  return isObj(caps ?? null) ? (caps as Obj) : {};
}

/** Rewrites the params of requests the server sends the client with `method`. */
function serverRequest(method: string, edit: (params: Obj, link: Link) => Obj): Rewrite {
  return (message, direction, link) => {
    if (direction === 'toServer' && message.method === 'initialize' && isObj(message.params ?? null)) link.state.set('capabilities', (message.params as Obj).capabilities ?? {});
    if (direction !== 'toClient' || message.method !== method || message.id === undefined) return [message];
    return [{ ...message, params: edit(isObj(message.params ?? null) ? (message.params as Obj) : {}, link) }];
  };
}

const urlMode = (params: Obj): Obj => ({ mode: 'url', message: String(params.message ?? 'open'), url: 'https://example.com/consent', elicitationId: 'e-1' });

const MUTATIONS: Record<string, Rewrite> = {
  // The server is told the capability-less client declared everything, and uses it (LIFE-016).
  declaresEverything: (message, direction) => {
    const params = message.params;
    if (direction === 'toServer' && message.method === 'initialize' && isObj(params ?? null) && JSON.stringify((params as Obj).capabilities) === '{}') {
      return [{ ...message, params: { ...(params as Obj), capabilities: EVERYTHING } }];
    }
    return [message];
  },
  urlModeToFormClient: serverRequest('elicitation/create', (params, link) => (isObj(declared(link).elicitation ?? null) && !isObj((declared(link).elicitation as Obj).url ?? null) ? urlMode(params) : params)),
  noMessage: serverRequest('elicitation/create', ({ message: _gone, ...rest }) => rest),
  nestedSchema: serverRequest('elicitation/create', (params) =>
    params.mode === 'url' ? params : { ...params, requestedSchema: { type: 'object', properties: { address: { type: 'object', properties: { city: { type: 'string' } } } } } },
  ),
  urlWithoutId: serverRequest('elicitation/create', (params) => (params.mode === 'url' ? { mode: 'url', message: params.message ?? 'open', url: params.url ?? 'https://example.com' } : params)),
  badUrl: serverRequest('elicitation/create', (params) => (params.mode === 'url' ? { ...params, url: 'not a url' } : params)),
  samplingToolsUndeclared: serverRequest('sampling/createMessage', (params) => ({ ...params, tools: [{ name: 'lookup', inputSchema: { type: 'object' } }] })),
  mixedToolResults: serverRequest('sampling/createMessage', (params) => ({
    ...params,
    messages: [{ role: 'user', content: [{ type: 'tool_result', toolUseId: 'u1', content: [] }, { type: 'text', text: 'and more' }] }] as Json,
  })),
  unbalancedToolUse: serverRequest('sampling/createMessage', (params) => ({
    ...params,
    messages: [
      { role: 'user', content: { type: 'text', text: 'look it up' } },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'u1', name: 'lookup', input: {} }] },
      { role: 'user', content: { type: 'text', text: 'well?' } },
    ] as Json,
  })),
};

describe('server-requests checks against a rewritten reference server', () => {
  let reference: ReferenceTcp;
  const closers: Array<() => Promise<void>> = [];
  beforeAll(async () => {
    reference = await startReferenceTcp();
  });
  afterAll(async () => {
    await Promise.all(closers.map((c) => c()));
    await reference?.close();
  });

  async function run(rewrite: Rewrite, version: '2025-11-25' | '2025-06-18' = '2025-11-25'): Promise<{ status: Record<string, string>; messages: string[] }> {
    const proxy = await listenRewriteProxy(reference.target, rewrite);
    closers.push(proxy.close);
    const { report } = await runSuite({ targets: [parseTarget(proxy.url)], checks: CHECKS, protocolVersion: version, timeoutMs: 3000, tool: TOOL, keepAllEvidence: false });
    const messages = report.results.flatMap((r) => (r.evidence?.failures ?? []).map((f) => `${r.check}: ${f.message}`));
    return { status: Object.fromEntries(report.results.map((r) => [r.check, r.status])), messages };
  }

  it.each(['2025-11-25', '2025-06-18'] as const)('the unbroken proxy passes every check on %s (the control)', async (version) => {
    const { status, messages } = await run((m) => [m], version);
    expect(messages).toEqual([]);
    expect(status).toEqual({ 'server-requests/undeclared-capabilities': 'pass', 'server-requests/valid-requests': 'pass' });
  });

  it.concurrent.each([
    ['declaresEverything', 'server-requests/undeclared-capabilities', 'LIFE-016'],
    ['urlModeToFormClient', 'server-requests/valid-requests', 'ELIC-006'],
    ['noMessage', 'server-requests/valid-requests', 'ELIC-007'],
    ['nestedSchema', 'server-requests/valid-requests', 'ELIC-009'],
    ['urlWithoutId', 'server-requests/valid-requests', 'ELIC-011'],
    ['badUrl', 'server-requests/valid-requests', 'ELIC-012'],
    ['samplingToolsUndeclared', 'server-requests/valid-requests', 'SAMP-003'],
    ['mixedToolResults', 'server-requests/valid-requests', 'SAMP-008'],
    ['unbalancedToolUse', 'server-requests/valid-requests', 'SAMP-009'],
  ] as const)('%s fails %s, naming %s', async (mutation, check, id) => {
    const { status, messages } = await run(MUTATIONS[mutation]!);
    expect(Object.entries(status).filter(([, s]) => s !== 'pass').map(([c]) => c)).toEqual([check]);
    expect(status[check]).toBe('fail');
    expect(messages.some((m) => m.startsWith(check) && m.includes(`(${id})`)), messages.join('\n')).toBe(true);
  });
});
