/**
 * mrtr/declined-input-handled against the reference server (2026-07-28) behind a proxy that
 * breaks how a declined or cancelled elicitation is handled; the unbroken proxy is the control.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import declinedInputHandled from '../../conformance/checks/mrtr/declined-input-handled.js';
import { isObj, listenRewriteProxy, type Json, type Obj, type Rewrite } from './fixtures/rewrite-proxy.js';
import { startReferenceTcp, type ReferenceTcp } from '../helpers/reference-tcp.js';
import { judgeOne } from './fixtures/run-checks.js';

const MRTR = new Set(['tools/call', 'prompts/get', 'resources/read']);

/** The elicitation actions a client request's inputResponses carry. */
function actionsOf(message: Obj): string[] {
  const params = isObj(message.params ?? null) ? (message.params as Obj) : {};
  const responses = isObj(params.inputResponses ?? null) ? (params.inputResponses as Obj) : {};
  return Object.values(responses).flatMap((r: Json) => (isObj(r) && typeof r.action === 'string' ? [r.action] : []));
}

/** Retries carrying `action` are handled by `handle` instead of reaching the server. */
function onRetryWith(action: string, handle: (message: Obj) => Obj[]): Rewrite {
  return (message, direction, link) => {
    if (direction !== 'toServer' || typeof message.method !== 'string' || !MRTR.has(message.method) || !actionsOf(message).includes(action)) return [message];
    for (const m of handle(message)) link.toClient(m);
    return [];
  };
}

const internalError = (message: Obj): Obj[] => [{ jsonrpc: '2.0', id: message.id ?? null, error: { code: -32603, message: 'Internal error: no content' } }];

describe('mrtr/declined-input-handled', () => {
  let reference: ReferenceTcp;
  const closers: Array<() => Promise<void>> = [];
  beforeAll(async () => {
    reference = await startReferenceTcp();
  });
  afterAll(async () => {
    await Promise.all(closers.map((c) => c()));
    await reference?.close();
  });

  async function run(rewrite: Rewrite): Promise<{ status: string; messages: string[] }> {
    const proxy = await listenRewriteProxy(reference.target, rewrite);
    closers.push(proxy.close);
    return judgeOne(proxy.url, declinedInputHandled, '2026-07-28');
  }

  it('passes the reference server behind an unbroken proxy', async () => {
    const { status, messages } = await run((m) => [m]);
    expect(messages).toEqual([]);
    expect(status).toBe('pass');
  });

  it('fails a server that answers a declined elicitation with -32603', async () => {
    const { status, messages } = await run(onRetryWith('decline', internalError));
    expect(status).toBe('fail');
    expect(messages.some((m) => m.includes('{"action":"decline"}') && m.includes('-32603') && m.includes('(M-ELIC-018)')), messages.join('\n')).toBe(true);
    expect(messages.some((m) => m.includes('"cancel"'))).toBe(false);
  });

  it('fails a server that never answers a cancelled elicitation', async () => {
    const { status, messages } = await run(onRetryWith('cancel', () => []));
    expect(status).toBe('fail');
    expect(messages.some((m) => m.includes('{"action":"cancel"}') && m.includes('no answer') && m.includes('(M-ELIC-018)')), messages.join('\n')).toBe(true);
  });

  it('skips a server that never asks for elicitation', async () => {
    const { status } = await run((message, direction) => {
      const result = isObj(message.result ?? null) ? (message.result as Obj) : {};
      const requests = isObj(result.inputRequests ?? null) ? (result.inputRequests as Obj) : {};
      const asksElicitation = Object.values(requests).some((r) => isObj(r) && r.method === 'elicitation/create');
      // A tool error in place of every InputRequiredResult that asks for elicitation.
      if (direction === 'toClient' && asksElicitation) return [{ jsonrpc: '2.0', id: message.id ?? null, result: { content: [{ type: 'text', text: 'no input today' }], isError: true, resultType: 'complete' } }];
      return [message];
    });
    expect(status).toBe('skip');
  });
});
