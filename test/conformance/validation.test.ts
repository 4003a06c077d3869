/**
 * The validation checks against the reference server behind a proxy that breaks one rule at a
 * time: each break must fail exactly the check that judges it, and the unbroken proxy none.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Check } from '../../conformance/check.js';
import toolInputs from '../../conformance/checks/validation/tool-inputs.js';
import resourceUris from '../../conformance/checks/validation/resource-uris.js';
import completionInputs from '../../conformance/checks/validation/completion-inputs.js';
import messageRules from '../../conformance/checks/validation/message-rules.js';
import oneMessagePerLine from '../../conformance/checks/validation/one-message-per-line.js';
import { listenMutatingProxy, type JsonObj, type ProxyRules } from './fixtures/mutating-proxy.js';
import { failing, statuses } from './fixtures/run-checks.js';
import { SseReader } from '../../transport/framing/sse.js';

const CHECKS: readonly Check[] = [toolInputs, resourceUris, completionInputs, messageRules, oneMessagePerLine];

/** Answers one method itself with a success, whatever the params. */
function alwaysSucceeds(method: string, result: JsonObj): ProxyRules {
  return {
    toServer: (m) => (m.method === method ? { reply: [{ jsonrpc: '2.0', id: m.id!, result: { ...result, ...(isModern(m) ? { resultType: 'complete' } : {}) } }] } : undefined),
  };
}

function isModern(m: JsonObj): boolean {
  const params = m.params as JsonObj | undefined;
  return typeof params?._meta === 'object' && params._meta !== null && 'io.modelcontextprotocol/protocolVersion' in (params._meta as JsonObj);
}

/** Sends `extra` (lines or bytes) right after the initialize response. */
function afterInitialize(extra: (string | Buffer)[]): ProxyRules {
  return { toClient: (m, _c, method) => (method === 'initialize' ? [JSON.stringify(m), ...extra] : undefined) };
}

function invalidUtf8Line(): Buffer {
  const [head, tail] = JSON.stringify({ jsonrpc: '2.0', method: 'notifications/mcpcert', params: { text: 'HERE' } }).split('HERE');
  return Buffer.concat([Buffer.from(head!), Buffer.from([0xc3, 0x28]), Buffer.from(tail!)]);
}

describe('the validation checks against a proxy that breaks one rule', () => {
  const closers: Array<() => Promise<void>> = [];
  afterAll(async () => {
    await Promise.all(closers.map((c) => c()));
  });
  async function outcome(rules: ProxyRules, version: '2025-11-25' | '2026-07-28' = '2025-11-25'): Promise<Record<string, string>> {
    const proxy = await listenMutatingProxy(rules);
    closers.push(proxy.close);
    return statuses(proxy.url, CHECKS, version);
  }

  it('the reference server through an unchanging proxy passes them all (the control)', async () => {
    expect(await outcome({})).toEqual(Object.fromEntries(CHECKS.map((c) => [c.id, 'pass'])));
  });

  it.each([
    ['tools/call succeeds whatever the arguments', ['validation/tool-inputs'], alwaysSucceeds('tools/call', { content: [{ type: 'text', text: 'done' }] })],
    ['resources/read serves any URI', ['validation/resource-uris'], alwaysSucceeds('resources/read', { contents: [{ uri: 'mcpcert://x', text: 'x' }] })],
    ['completion/complete suggests whatever it is asked', ['validation/completion-inputs'], alwaysSucceeds('completion/complete', { completion: { values: ['x'] } })],
    ['a request with a null id', ['validation/message-rules'], afterInitialize([JSON.stringify({ jsonrpc: '2.0', id: null, method: 'ping' })])],
    ['a notification with an id', ['validation/message-rules'], afterInitialize([JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'notifications/tools/list_changed' })])],
    ['two requests with one id', ['validation/message-rules'], afterInitialize([JSON.stringify({ jsonrpc: '2.0', id: 'same', method: 'ping' }), JSON.stringify({ jsonrpc: '2.0', id: 'same', method: 'ping' })])],
    ['bytes that are not UTF-8', ['validation/message-rules'], afterInitialize([invalidUtf8Line()])],
    ['a _meta key with a leading hyphen', ['validation/message-rules'], { toClient: (m: JsonObj, _c: unknown, method?: string) => (method === 'tools/list' ? [JSON.stringify({ ...m, result: { ...(m.result as JsonObj), _meta: { '-mcpcert': 1 } } })] : undefined) }],
    ['a message over several lines', ['validation/one-message-per-line'], afterInitialize(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/mcpcert', params: { a: 1 } }, null, 2).split('\n'))],
  ] as const)('%s fails %o', async (_name, expected, rules) => {
    expect(failing(await outcome(rules as ProxyRules))).toEqual(expected);
  });

  it('an undefined code of the reserved range fails validation/message-rules in 2026-07-28', async () => {
    const rules: ProxyRules = {
      toClient: (m) => (typeof m.error === 'object' && m.error !== null && (m.error as JsonObj).code === -32601 ? [JSON.stringify({ ...m, error: { ...(m.error as JsonObj), code: -32050 } })] : undefined),
    };
    expect(failing(await outcome(rules, '2026-07-28'))).toEqual(['validation/message-rules']);
  });
});

describe('SSE streams that are not UTF-8 (TRN-001 evidence for validation/message-rules)', () => {
  it('are reported as MCPCERT_ERR_INVALID_UTF8, and the event still arrives', () => {
    const reader = new SseReader();
    const items = reader.push(Buffer.concat([Buffer.from('data: {"jsonrpc":"2.0","method":"x","params":{"t":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}}\n\n')]));
    expect(items.filter((i) => i.type === 'error').map((i) => (i.type === 'error' ? i.error.code : ''))).toEqual(['MCPCERT_ERR_INVALID_UTF8']);
    expect(items.filter((i) => i.type === 'event')).toHaveLength(1);
    // A character split across two chunks is no fault.
    const euro = Buffer.from('data: "€"\n\n');
    expect([...reader.push(euro.subarray(0, 8)), ...reader.push(euro.subarray(8))].map((i) => i.type)).toEqual(['event']);
  });
});
