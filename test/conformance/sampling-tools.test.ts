/**
 * server-requests/sampling-tool-results against the reference server (2025-11-25) behind a proxy
 * that rewrites the sampling request continuing after a toolUse answer; the unbroken proxy is
 * the control.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import samplingToolResults from '../../conformance/checks/server-requests/sampling-tool-results.js';
import { isObj, listenRewriteProxy, type Json, type Obj, type Rewrite } from './fixtures/rewrite-proxy.js';
import { startReferenceTcp, type ReferenceTcp } from '../helpers/reference-tcp.js';
import { judgeOne } from './fixtures/run-checks.js';


function blocks(content: Json | undefined): Json[] {
  return Array.isArray(content) ? content : content === undefined ? [] : [content];
}

/** Rewrites the messages of every sampling/createMessage the server sends. */
function samplingMessages(edit: (messages: Obj[]) => Obj[]): Rewrite {
  return (message, direction) => {
    if (direction !== 'toClient' || message.method !== 'sampling/createMessage' || !isObj(message.params ?? null)) return [message];
    const params = message.params as Obj;
    const messages = Array.isArray(params.messages) ? params.messages.filter(isObj) : [];
    return [{ ...message, params: { ...params, messages: edit(messages) } }];
  };
}

/** Rewrites the user messages made only of tool_result blocks. */
function toolResultMessages(edit: (content: Json[]) => Json[]): Rewrite {
  return samplingMessages((messages) =>
    messages.map((m) => {
      const content = blocks(m.content);
      const onlyResults = m.role === 'user' && content.length > 0 && content.every((b) => isObj(b) && b.type === 'tool_result');
      return onlyResults ? { ...m, content: edit(content) } : m;
    }),
  );
}

const MUTATIONS: Record<string, Rewrite> = {
  // Only the first tool_use of the model's answer gets a result.
  dropsOneResult: toolResultMessages((content) => content.slice(0, 1)),
  // The results come with a text block in the same user message.
  mixesText: toolResultMessages((content) => [...content, { type: 'text', text: 'and also…' }]),
  // The result names a tool_use that was never made.
  wrongToolUseId: toolResultMessages((content) => content.map((b) => (isObj(b) ? { ...b, toolUseId: `${String(b.toolUseId)}-x` } : b))),
  // The results go straight after the assistant message... as an assistant message.
  resultsAsAssistant: samplingMessages((messages) => messages.map((m) => (m.role === 'user' && blocks(m.content).some((b) => isObj(b) && b.type === 'tool_result') ? { ...m, role: 'assistant' } : m))),
};

describe('server-requests/sampling-tool-results', () => {
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
    return judgeOne(proxy.url, samplingToolResults, '2025-11-25');
  }

  it('passes the reference server behind an unbroken proxy', async () => {
    const { status, messages } = await run((m) => [m]);
    expect(messages).toEqual([]);
    expect(status).toBe('pass');
  });

  it.concurrent.each([
    ['dropsOneResult', 'no tool_result for tool_use'],
    ['mixesText', 'not only tool_result blocks'],
    ['wrongToolUseId', 'no tool_result for tool_use'],
    ['resultsAsAssistant', 'not "user"'],
  ] as const)('fails a server whose continuation %s', async (mutation, text) => {
    const { status, messages } = await run(MUTATIONS[mutation]!);
    expect(status).toBe('fail');
    expect(messages.some((m) => m.includes(text) && m.includes('SAMP-017')), messages.join('\n')).toBe(true);
  });

  it('skips a server that never offers tools in a sampling request', async () => {
    const { status } = await run((message, direction) => {
      if (direction !== 'toClient' || message.method !== 'sampling/createMessage' || !isObj(message.params ?? null)) return [message];
      const { tools: _tools, toolChoice: _choice, ...rest } = message.params as Obj;
      return [{ ...message, params: rest }];
    });
    expect(status).toBe('skip');
  });

  it('skips a server that ends the flow after a toolUse answer', async () => {
    // The continuation never reaches the client: the proxy answers it for the client, with text.
    const { status } = await run((message, direction, link) => {
      const params = isObj(message.params ?? null) ? (message.params as Obj) : {};
      const continues = Array.isArray(params.messages) && params.messages.some((m) => isObj(m) && blocks(m.content).some((b) => isObj(b) && b.type === 'tool_result'));
      if (direction !== 'toClient' || message.method !== 'sampling/createMessage' || !continues) return [message];
      link.toServer({ jsonrpc: '2.0', id: message.id ?? null, result: { role: 'assistant', content: { type: 'text', text: 'done' }, model: 'proxy', stopReason: 'endTurn' } });
      return [];
    });
    expect(status).toBe('skip');
  });
});
