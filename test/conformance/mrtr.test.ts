/**
 * The mrtr checks against the reference server (2026-07-28) made to break one rule each by a
 * proxy rewriting its messages; the unbroken proxy is the control (runner.test.ts runs the
 * reference server itself through the whole registry).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Check } from '../../conformance/check.js';
import { runSuite } from '../../conformance/runner.js';
import { parseTarget } from '../../conformance/target.js';
import inputRequestsValid from '../../conformance/checks/mrtr/input-requests-valid.js';
import inputRequestsDeclared from '../../conformance/checks/mrtr/input-requests-declared.js';
import tamperedState, { tamper } from '../../conformance/checks/mrtr/tampered-state.js';
import { isObj, listenRewriteProxy, type Json, type Obj, type Rewrite } from './fixtures/rewrite-proxy.js';
import { startReferenceTcp, type ReferenceTcp } from '../helpers/reference-tcp.js';

const TOOL = { name: 'mcpcert', version: '0.0.0-test' };
const CHECKS: readonly Check[] = [inputRequestsValid, inputRequestsDeclared, tamperedState];
const CAPS = 'io.modelcontextprotocol/clientCapabilities';
const EVERYTHING: Obj = { sampling: { tools: {} }, elicitation: { form: {}, url: {} }, roots: {} };
const MRTR = new Set(['tools/call', 'prompts/get', 'resources/read']);

function obj(v: Json | undefined): Obj {
  return isObj(v ?? null) ? (v as Obj) : {};
}

/** Rewrites the client capabilities in the `_meta` of the client's MRTR-capable requests. */
function capabilities(edit: (caps: Obj) => Obj): Rewrite {
  return (message, direction) => {
    if (direction !== 'toServer' || typeof message.method !== 'string' || !MRTR.has(message.method)) return [message];
    const params = obj(message.params);
    const meta = obj(params._meta);
    return [{ ...message, params: { ...params, _meta: { ...meta, [CAPS]: edit(obj(meta[CAPS])) } } }];
  };
}

/** Rewrites every InputRequiredResult the server answers. */
function inputRequired(edit: (result: Obj) => Obj): Rewrite {
  return (message, direction) => {
    const result = obj(message.result);
    if (direction !== 'toClient' || result.resultType !== 'input_required') return [message];
    return [{ ...message, result: edit(result) }];
  };
}

/** Rewrites the params of the input requests with `method`. */
function inputRequest(method: string, edit: (params: Obj) => Obj): Rewrite {
  return inputRequired((result) => {
    const requests: Obj = {};
    for (const [key, request] of Object.entries(obj(result.inputRequests))) {
      const r = obj(request);
      requests[key] = r.method === method ? { ...r, params: edit(obj(r.params)) } : r;
    }
    return { ...result, inputRequests: requests };
  });
}

const PROXY_ID = 'mcpcert-proxy-1';

const MUTATIONS: Record<string, Rewrite> = {
  declaresEverything: capabilities((caps) => (Object.keys(caps).length === 0 ? EVERYTHING : caps)),
  urlToFormClient: capabilities((caps) => (isObj(caps.elicitation ?? null) ? { ...caps, elicitation: { ...obj(caps.elicitation), url: {} } } : caps)),
  samplingTools: inputRequest('sampling/createMessage', (params) => ({ ...params, tools: [{ name: 'lookup', inputSchema: { type: 'object' } }] })),
  noMessage: inputRequest('elicitation/create', ({ message: _gone, ...rest }) => rest),
  nestedSchema: inputRequest('elicitation/create', (params) => (params.mode === 'url' ? params : { ...params, requestedSchema: { type: 'object', properties: { address: { type: 'object', properties: {} } } } })),
  noUrl: inputRequest('elicitation/create', ({ url: _gone, ...rest }) => rest),
  badUrl: inputRequest('elicitation/create', (params) => (params.mode === 'url' ? { ...params, url: 'not a url' } : params)),
  mixedToolResults: inputRequest('sampling/createMessage', (params) => ({ ...params, messages: [{ role: 'user', content: [{ type: 'tool_result', toolUseId: 'u1', content: [] }, { type: 'text', text: 'more' }] }] as Json })),
  unbalancedToolUse: inputRequest('sampling/createMessage', (params) => ({
    ...params,
    messages: [
      { role: 'assistant', content: [{ type: 'tool_use', id: 'u1', name: 'lookup', input: {} }] },
      { role: 'user', content: { type: 'text', text: 'well?' } },
    ] as Json,
  })),
  systemRole: inputRequest('sampling/createMessage', (params) => ({ ...params, messages: [{ role: 'system', content: { type: 'text', text: 'be brief' } }] as Json })),
  pingInputRequest: inputRequired((result) => ({ ...result, inputRequests: { ...obj(result.inputRequests), extra: { method: 'ping' } } })),
  emptyInputRequired: inputRequired(() => ({ resultType: 'input_required' })),
  // A list answered with InputRequiredResult: remember which ids asked for it.
  listInputRequired: (message, direction, link) => {
    if (direction === 'toServer' && message.method === 'resources/templates/list') link.state.set(`list ${JSON.stringify(message.id)}`, true);
    if (direction === 'toClient' && 'result' in message && link.state.get(`list ${JSON.stringify(message.id ?? null)}`) === true) return [{ ...message, result: { resultType: 'input_required', requestState: 'mcpcert' } }];
    return [message];
  },
  // An elicitation sent as a JSON-RPC request next to every tool call that could have asked through MRTR.
  jsonRpcElicitation: (message, direction, link) => {
    if (direction === 'toServer' && message.id === PROXY_ID) return [];
    if (direction === 'toServer' && message.method === 'tools/call' && isObj(obj(obj(obj(message.params)._meta)[CAPS]).elicitation ?? null)) {
      link.toClient({ jsonrpc: '2.0', id: PROXY_ID, method: 'elicitation/create', params: { mode: 'form', message: 'hello?', requestedSchema: { type: 'object', properties: {} } } });
    }
    return [message];
  },
  // Any requestState the server did not issue is swapped for the one it issued to that tool, prompt
  // or resource: forged states pass.
  acceptsForgedState: (message, direction, link) => {
    const params = obj(message.params);
    if (direction === 'toServer' && typeof message.method === 'string' && MRTR.has(message.method)) {
      const key = `${message.method} ${String(params.name ?? params.uri)}`;
      link.state.set(`id ${JSON.stringify(message.id)}`, key);
      const issued = link.state.get(`state ${key}`);
      if (typeof params.requestState === 'string' && link.state.get(`issued ${params.requestState}`) !== true && typeof issued === 'string') {
        return [{ ...message, params: { ...params, requestState: issued } }];
      }
    }
    const result = obj(message.result);
    const key = link.state.get(`id ${JSON.stringify(message.id ?? null)}`);
    if (direction === 'toClient' && typeof result.requestState === 'string' && typeof key === 'string') {
      link.state.set(`state ${key}`, result.requestState);
      link.state.set(`issued ${result.requestState}`, true);
    }
    return [message];
  },
};

describe('mrtr checks against a rewritten reference server', () => {
  let reference: ReferenceTcp;
  const closers: Array<() => Promise<void>> = [];
  beforeAll(async () => {
    reference = await startReferenceTcp();
  });
  afterAll(async () => {
    await Promise.all(closers.map((c) => c()));
    await reference?.close();
  });

  async function run(rewrite: Rewrite): Promise<{ status: Record<string, string>; messages: string[] }> {
    const proxy = await listenRewriteProxy(reference.target, rewrite);
    closers.push(proxy.close);
    const { report } = await runSuite({ targets: [parseTarget(proxy.url)], checks: CHECKS, protocolVersion: '2026-07-28', timeoutMs: 3000, tool: TOOL, keepAllEvidence: false });
    const messages = report.results.flatMap((r) => (r.evidence?.failures ?? []).map((f) => `${r.check}: ${f.message}`));
    return { status: Object.fromEntries(report.results.map((r) => [r.check, r.status])), messages };
  }

  it('the unbroken proxy passes every check (the control)', async () => {
    const { status, messages } = await run((m) => [m]);
    expect(messages).toEqual([]);
    expect(status).toEqual(Object.fromEntries(CHECKS.map((c) => [c.id, 'pass'])));
  });

  it.concurrent.each([
    ['declaresEverything', 'mrtr/input-requests-declared', 'M-PAT-011'],
    ['urlToFormClient', 'mrtr/input-requests-declared', 'M-ELIC-006'],
    ['samplingTools', 'mrtr/input-requests-declared', 'M-SAMP-004'],
    ['noMessage', 'mrtr/input-requests-valid', 'M-ELIC-007'],
    ['nestedSchema', 'mrtr/input-requests-valid', 'M-ELIC-009'],
    ['noUrl', 'mrtr/input-requests-valid', 'M-ELIC-010'],
    ['badUrl', 'mrtr/input-requests-valid', 'M-ELIC-011'],
    ['mixedToolResults', 'mrtr/input-requests-valid', 'M-SAMP-009'],
    ['unbalancedToolUse', 'mrtr/input-requests-valid', 'M-SAMP-010'],
    ['systemRole', 'mrtr/input-requests-valid', 'M-SAMP-012'],
    ['pingInputRequest', 'mrtr/input-requests-valid', 'M-PAT-005'],
    ['emptyInputRequired', 'mrtr/input-requests-valid', 'M-PAT-010'],
    ['listInputRequired', 'mrtr/input-requests-valid', 'M-PAT-003'],
    ['jsonRpcElicitation', 'mrtr/input-requests-valid', 'M-PAT-002'],
    ['acceptsForgedState', 'mrtr/tampered-state', 'M-PAT-007'],
  ] as const)('%s fails %s, naming %s', async (mutation, check, id) => {
    const { status, messages } = await run(MUTATIONS[mutation]!);
    expect(Object.entries(status).filter(([, s]) => s === 'fail' || s === 'warn' || s === 'error').map(([c]) => c)).toEqual([check]);
    expect(messages.some((m) => m.startsWith(check) && m.includes(`(${id})`)), messages.join('\n')).toBe(true);
  });

  it('tampers with one character, whatever the state', () => {
    expect(tamper('abc.def')).not.toBe('abc.def');
    expect(tamper('AAAA')).toBe('AABA');
    expect(tamper('')).not.toBe('');
  });
});
