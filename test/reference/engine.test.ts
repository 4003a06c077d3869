import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { validate } from '../../spec/validate.js';
import { PROTOCOL_VERSIONS, type ProtocolVersion } from '../../spec/versions.js';
import type { JsonObject, JsonRpcMessage } from '../../transport/jsonrpc.js';
import { RpcPeer, RpcError } from '../../transport/rpc.js';
import { connectTcp } from '../../transport/tcp/client.js';
import { listenTcp, type TcpListener } from '../../transport/tcp/listener.js';
import type { Connection } from '../../transport/connection.js';
import { ReferenceServer } from '../../reference/server.js';
import type { Registry } from '../../reference/registry.js';
import { within } from '../helpers/transport-suite.js';

const HANDSHAKE: ProtocolVersion[] = PROTOCOL_VERSIONS.filter((v) => v !== '2026-07-28');

function populate(registry: Registry): void {
  registry.addTool({
    name: 'echo',
    description: 'Echoes its text.',
    inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'], additionalProperties: false },
    call: (args) => ({ content: [{ type: 'text', text: String(args.text) }] }),
  });
  registry.addTool({
    name: 'slow',
    description: 'Reports progress until cancelled or done.',
    inputSchema: { type: 'object', properties: { steps: { type: 'integer' } } },
    call: async (args, ctx) => {
      const steps = Number(args.steps ?? 10);
      for (let i = 1; i <= steps; i++) {
        if (ctx.signal.aborted) return { content: [] };
        await ctx.progress(i, steps, `step ${i}`);
        await ctx.progress(i, steps, 'again'); // not increasing: must be dropped by the engine
        await ctx.log('debug', `step ${i}`);
        await ctx.log('error', `step ${i}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return { content: [{ type: 'text', text: 'done' }] };
    },
  });
  for (let i = 0; i < 120; i++) {
    const uri = `test://items/${i}`;
    registry.addResource({ uri, name: `item ${i}`, read: () => [{ uri, text: `item ${i}` }] });
  }
  registry.addPrompt({ name: 'greet', description: 'Greets someone.', arguments: [{ name: 'name', required: true }], get: (args) => ({ messages: [{ role: 'user', content: { type: 'text', text: `Hello ${args.name}` } }] }) });
}

interface Harness {
  server: ReferenceServer;
  listener: TcpListener;
  client: Connection;
  peer: RpcPeer;
  seen: JsonRpcMessage[];
}

const open: Harness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) {
    await h.client.close();
    await h.server.close();
  }
});

async function start(): Promise<Harness> {
  const server = new ReferenceServer({ populate });
  const listener = await listenTcp();
  server.attach(listener);
  const client = await connectTcp(listener.target);
  const peer = new RpcPeer(client, { timeoutMs: 10_000 });
  const seen: JsonRpcMessage[] = [];
  client.on('message', (m) => seen.push(m));
  const h = { server, listener, client, peer, seen };
  open.push(h);
  return h;
}

async function initialized(version: string = '2025-11-25', capabilities: JsonObject = {}): Promise<Harness & { init: JsonObject }> {
  const h = await start();
  const init = await h.peer.request('initialize', { protocolVersion: version, capabilities, clientInfo: { name: 'test', version: '1' } });
  await h.peer.notify('notifications/initialized');
  return { ...h, init };
}

/** Writes raw lines to a fresh socket and collects what comes back. */
async function raw(listener: TcpListener, lines: string[], expect: number): Promise<JsonRpcMessage[]> {
  const socket: Socket = connect({ host: '127.0.0.1', port: listener.port });
  const got: JsonRpcMessage[] = [];
  let buffer = '';
  socket.setEncoding('utf8');
  socket.on('data', (d: string) => {
    buffer += d;
    let nl;
    while ((nl = buffer.indexOf('\n')) !== -1) {
      got.push(JSON.parse(buffer.slice(0, nl)) as JsonRpcMessage);
      buffer = buffer.slice(nl + 1);
    }
  });
  await new Promise((r) => socket.once('connect', r));
  for (const line of lines) socket.write(`${line}\n`);
  await within(new Promise<void>((r) => { const t = setInterval(() => { if (got.length >= expect) { clearInterval(t); r(); } }, 5); }), 5000, `${expect} replies`);
  socket.destroy();
  return got;
}

describe('lifecycle and version negotiation', () => {
  it('echoes every supported version and validates the InitializeResult of each', async () => {
    for (const version of HANDSHAKE) {
      const { init } = await initialized(version);
      expect(init.protocolVersion).toBe(version);
      expect(validate(version, 'InitializeResult', init)).toEqual({ ok: true });
    }
  });

  it('counter-offers the latest handshake version for an unknown or newer date, never an error', async () => {
    for (const asked of ['1999-01-01', '2030-01-01', 'banana']) {
      const { init } = await initialized(asked);
      expect(init.protocolVersion).toBe('2025-11-25');
    }
  });

  it('answers ping before initialize and refuses other requests until then', async () => {
    const h = await start();
    expect(await h.peer.request('ping')).toEqual({});
    await expect(h.peer.request('tools/list')).rejects.toMatchObject({ code: -32600 });
  });

  it('refuses a second initialize and an initialize without protocolVersion', async () => {
    const h = await initialized();
    await expect(h.peer.request('initialize', { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'x', version: '1' } })).rejects.toMatchObject({ code: -32600 });
    const fresh = await start();
    await expect(fresh.peer.request('initialize', { capabilities: {}, clientInfo: { name: 'x', version: '1' } })).rejects.toMatchObject({ code: -32602 });
  });

  it('declares capabilities per version (no completions in 2024-11-05, tasks only in 2025-11-25)', async () => {
    expect((await initialized('2024-11-05')).init.capabilities).not.toHaveProperty('completions');
    expect((await initialized('2025-06-18')).init.capabilities).not.toHaveProperty('tasks');
    expect((await initialized('2025-11-25')).init.capabilities).toHaveProperty('tasks');
  });
});

describe('dispatch and errors', () => {
  it('answers unknown methods with -32601 and malformed params with -32602', async () => {
    const h = await initialized();
    await expect(h.peer.request('tools/frobnicate')).rejects.toMatchObject({ code: -32601 });
    await expect(h.peer.request('elicitation/create', { message: 'x', requestedSchema: { type: 'object', properties: {} } })).rejects.toMatchObject({ code: -32601 });
    await expect(h.peer.request('tools/call', { name: 42 })).rejects.toMatchObject({ code: -32602 });
    await expect(h.peer.request('tools/call', { name: 'nope' })).rejects.toMatchObject({ code: -32602, message: 'Unknown tool: nope' });
    await expect(h.peer.request('prompts/get', { name: 'greet' })).rejects.toMatchObject({ code: -32602 });
    await expect(h.peer.request('logging/setLevel', { level: 'loud' })).rejects.toMatchObject({ code: -32602 });
    await expect(h.peer.request('resources/read', { uri: 'test://missing' })).rejects.toMatchObject({ code: -32002 });
  });

  it('reports invalid tool arguments as a tool execution error', async () => {
    const h = await initialized();
    const res = await h.peer.request('tools/call', { name: 'echo', arguments: { text: 7 } });
    expect(res.isError).toBe(true);
    expect(validate('2025-11-25', 'CallToolResult', res)).toEqual({ ok: true });
  });

  it('answers parse errors and invalid requests with id null or the readable id, and keeps serving', async () => {
    const h = await start();
    const replies = await raw(h.listener, ['{"jsonrpc":"2.0",', '{"jsonrpc":"2.0","id":5,"method":7}', '{"jsonrpc":"2.0","id":6,"method":"ping"}'], 3);
    expect(replies).toEqual([
      { jsonrpc: '2.0', id: null, error: expect.objectContaining({ code: -32700 }) },
      { jsonrpc: '2.0', id: 5, error: expect.objectContaining({ code: -32600 }) },
      { jsonrpc: '2.0', id: 6, result: {} },
    ]);
  });

  it('never answers a notification, known or not', async () => {
    const h = await initialized();
    await h.peer.notify('notifications/whatever', { x: 1 });
    await h.peer.notify('notifications/cancelled', { requestId: 999 });
    expect(await h.peer.request('ping')).toEqual({});
    expect(h.seen.filter((m) => !('result' in m) && !('error' in m))).toEqual([]);
  });
});

describe('cancellation, progress and logging', () => {
  it('stops a cancelled request and sends no response for it', async () => {
    const h = await initialized();
    const call = h.peer.request('tools/call', { name: 'slow', arguments: { steps: 50 }, _meta: { progressToken: 'p1' } }, { id: 'slow-1', timeoutMs: 800 });
    await new Promise((r) => setTimeout(r, 60));
    await h.peer.notify('notifications/cancelled', { requestId: 'slow-1', reason: 'test' });
    await expect(call).rejects.toMatchObject({ code: 'MCPCERT_ERR_TIMEOUT' });
    expect(h.seen.some((m) => 'id' in m && m.id === 'slow-1')).toBe(false);
    expect(await h.peer.request('ping')).toEqual({});
  });

  it('sends strictly increasing progress only before the response, and filters logs by level', async () => {
    const h = await initialized();
    await h.peer.request('logging/setLevel', { level: 'warning' });
    const res = await h.peer.request('tools/call', { name: 'slow', arguments: { steps: 3 }, _meta: { progressToken: 7 } });
    expect(res.content).toEqual([{ type: 'text', text: 'done' }]);
    const progress = h.seen.filter((m) => 'method' in m && m.method === 'notifications/progress').map((m) => (m as unknown as { params: { progress: number; progressToken: number } }).params);
    expect(progress.map((p) => p.progress)).toEqual([1, 2, 3]);
    expect(progress.every((p) => p.progressToken === 7)).toBe(true);
    const logs = h.seen.filter((m) => 'method' in m && m.method === 'notifications/message').map((m) => (m as unknown as { params: { level: string } }).params.level);
    expect(logs).toEqual(['error', 'error', 'error']);
    const responseAt = h.seen.findIndex((m) => 'result' in m && (m.result as JsonObject).content !== undefined);
    expect(h.seen.slice(responseAt + 1).some((m) => 'method' in m)).toBe(false);
  });
});

describe('pagination, subscriptions and list_changed', () => {
  it('pages through 120 resources with opaque cursors and rejects a forged cursor', async () => {
    const h = await initialized();
    const uris: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await h.peer.request('resources/list', cursor === undefined ? {} : { cursor });
      uris.push(...(page.resources as Array<{ uri: string }>).map((r) => r.uri));
      cursor = page.nextCursor as string | undefined;
      pages++;
    } while (cursor !== undefined && pages < 10);
    expect(pages).toBe(3);
    expect(new Set(uris).size).toBe(120);
    await expect(h.peer.request('resources/list', { cursor: 'not-a-cursor' })).rejects.toMatchObject({ code: -32602 });
  });

  it('notifies resources/updated to subscribers only, and list_changed to operating sessions', async () => {
    const a = await initialized();
    const b = await initialized();
    await a.peer.request('resources/subscribe', { uri: 'test://items/1' });
    a.server.registry.touch('test://items/1');
    a.server.registry.removeTool('echo');
    await within(new Promise<void>((r) => { const t = setInterval(() => { if (a.seen.some((m) => 'method' in m && m.method === 'notifications/tools/list_changed')) { clearInterval(t); r(); } }, 5); }), 3000, 'list_changed');
    expect(a.seen.some((m) => 'method' in m && m.method === 'notifications/resources/updated')).toBe(true);
    expect(b.seen.some((m) => 'method' in m && m.method === 'notifications/resources/updated')).toBe(false);
  });
});

describe('batches', () => {
  it('answers a batch with a batch in 2025-03-26 and refuses batches in other versions', async () => {
    const h = await start();
    const init = (v: string, id: number) => JSON.stringify({ jsonrpc: '2.0', id, method: 'initialize', params: { protocolVersion: v, capabilities: {}, clientInfo: { name: 't', version: '1' } } });
    const replies = await raw(h.listener, [init('2025-03-26', 1), '{"jsonrpc":"2.0","method":"notifications/initialized"}', '[{"jsonrpc":"2.0","id":2,"method":"ping"},{"jsonrpc":"2.0","id":3,"method":"tools/list"}]'], 2);
    const batch = replies.find((r) => Array.isArray(r)) as unknown as Array<{ id: number }>;
    expect(batch.map((r) => r.id).sort()).toEqual([2, 3]);
    // Replies may come in any order (JSON-RPC matches by id).
    const other = await raw(h.listener, [init('2025-06-18', 1), '[{"jsonrpc":"2.0","id":2,"method":"ping"}]'], 2);
    expect(other.find((r) => 'error' in r)).toMatchObject({ id: null, error: { code: -32600 } });
    expect(other.find((r) => 'result' in r)).toMatchObject({ id: 1 });
    const first = await raw(h.listener, [`[${init('2025-03-26', 1)}]`], 1);
    expect(first[0], JSON.stringify(first)).toMatchObject({ id: null, error: { code: -32600 } });
  });
});

it('RpcError carries the code', () => {
  expect(new RpcError(-1, 'x').code).toBe(-1);
});

describe('tasks (2025-11-25)', () => {
  async function withTaskTool(): Promise<Harness> {
    const h = await initialized('2025-11-25');
    h.server.registry.addTool({
      name: 'task-slow',
      description: 'Finishes after a while, as a task if asked.',
      inputSchema: { type: 'object', properties: { ms: { type: 'integer' }, fail: { type: 'boolean' } } },
      taskSupport: 'optional',
      call: async (args, ctx) => {
        await new Promise((r) => setTimeout(r, Number(args.ms ?? 50)));
        if (ctx.signal.aborted) return { content: [] };
        if (args.fail) throw new Error('it broke');
        return { content: [{ type: 'text', text: 'finished' }] };
      },
    });
    h.server.registry.addTool({ name: 'task-only', description: 'Must run as a task.', inputSchema: { type: 'object' }, taskSupport: 'required', call: () => ({ content: [] }) });
    return h;
  }

  it('runs a task-augmented call to completion and returns the result with related-task _meta', async () => {
    const h = await withTaskTool();
    const created = await h.peer.request('tools/call', { name: 'task-slow', arguments: { ms: 80 }, task: { ttl: 60_000 } });
    expect(validate('2025-11-25', 'CreateTaskResult', created)).toEqual({ ok: true });
    const task = created.task as { taskId: string; status: string };
    expect(task.status).toBe('working');
    const got = await h.peer.request('tasks/get', { taskId: task.taskId });
    expect(validate('2025-11-25', 'GetTaskResult', got)).toEqual({ ok: true });
    const res = await h.peer.request('tasks/result', { taskId: task.taskId });
    expect(res.content).toEqual([{ type: 'text', text: 'finished' }]);
    expect((res._meta as JsonObject)['io.modelcontextprotocol/related-task']).toEqual({ taskId: task.taskId });
    expect((await h.peer.request('tasks/get', { taskId: task.taskId })).status).toBe('completed');
    const list = await h.peer.request('tasks/list');
    expect((list.tasks as Array<{ taskId: string }>).map((t) => t.taskId)).toContain(task.taskId);
    const statuses = h.seen.filter((m) => 'method' in m && m.method === 'notifications/tasks/status');
    expect(statuses.length).toBeGreaterThan(0);
  });

  it('cancels a working task, keeps it cancelled, and refuses to cancel it twice', async () => {
    const h = await withTaskTool();
    const created = await h.peer.request('tools/call', { name: 'task-slow', arguments: { ms: 300 }, task: {} });
    const taskId = (created.task as { taskId: string }).taskId;
    const cancelled = await h.peer.request('tasks/cancel', { taskId });
    expect(cancelled.status).toBe('cancelled');
    await new Promise((r) => setTimeout(r, 350));
    expect((await h.peer.request('tasks/get', { taskId })).status).toBe('cancelled');
    await expect(h.peer.request('tasks/cancel', { taskId })).rejects.toMatchObject({ code: -32602 });
  });

  it('reports a failing task as failed and replays its error from tasks/result', async () => {
    const h = await withTaskTool();
    const created = await h.peer.request('tools/call', { name: 'task-slow', arguments: { ms: 10, fail: true }, task: {} });
    const taskId = (created.task as { taskId: string }).taskId;
    await expect(h.peer.request('tasks/result', { taskId })).rejects.toMatchObject({ code: -32603, message: 'Internal error: it broke' });
    const got = await h.peer.request('tasks/get', { taskId });
    expect(got.status).toBe('failed');
    expect(got.statusMessage).toMatch(/it broke/);
  });

  it('enforces taskSupport and hides other sessions\' tasks', async () => {
    const h = await withTaskTool();
    await expect(h.peer.request('tools/call', { name: 'task-only', arguments: {} })).rejects.toMatchObject({ code: -32601 });
    await expect(h.peer.request('tools/call', { name: 'echo', arguments: { text: 'x' }, task: {} })).rejects.toMatchObject({ code: -32601 });
    const created = await h.peer.request('tools/call', { name: 'task-slow', arguments: { ms: 10 }, task: {} });
    const other = await initialized('2025-11-25');
    await expect(other.peer.request('tasks/get', { taskId: (created.task as { taskId: string }).taskId })).rejects.toMatchObject({ code: -32602 });
    await expect(h.peer.request('tasks/get', { taskId: 'nope' })).rejects.toMatchObject({ code: -32602 });
  });
});

describe('server→client requests', () => {
  it('cancels its pending request to the client when the call that made it is cancelled', async () => {
    const h = await initialized('2025-11-25', { roots: {} });
    h.server.registry.addTool({
      name: 'ask-roots',
      description: 'Waits for the client roots.',
      inputSchema: { type: 'object' },
      call: async (_args, ctx) => ({ content: [{ type: 'text', text: JSON.stringify(await ctx.request('roots/list', {})) }] }),
    });
    // The client never answers roots/list; it cancels the call instead.
    h.peer.onRequest(() => new Promise(() => undefined));
    const call = h.peer.request('tools/call', { name: 'ask-roots', arguments: {} }, { id: 'ask-1', timeoutMs: 1500 }).catch((e: unknown) => e);
    await within(new Promise<void>((r) => { const t = setInterval(() => { if (h.seen.some((m) => 'method' in m && m.method === 'roots/list')) { clearInterval(t); r(); } }, 5); }), 3000, 'roots/list request');
    const rootsRequest = h.seen.find((m) => 'method' in m && m.method === 'roots/list') as { id: string | number };
    await h.peer.notify('notifications/cancelled', { requestId: 'ask-1' });
    await within(new Promise<void>((r) => { const t = setInterval(() => { if (h.seen.some((m) => 'method' in m && m.method === 'notifications/cancelled')) { clearInterval(t); r(); } }, 5); }), 3000, 'cancellation of roots/list');
    const cancelled = h.seen.find((m) => 'method' in m && m.method === 'notifications/cancelled') as unknown as { params: { requestId: unknown } };
    expect(cancelled.params.requestId).toBe(rootsRequest.id);
    expect(await call).toMatchObject({ code: 'MCPCERT_ERR_TIMEOUT' });
  });

  it('never sends a request for a capability the client did not declare', async () => {
    const h = await initialized('2025-11-25', {});
    h.server.registry.addTool({
      name: 'ask-sampling',
      description: 'Tries sampling.',
      inputSchema: { type: 'object' },
      call: async (_args, ctx): Promise<JsonObject> => {
        try {
          await ctx.request('sampling/createMessage', { messages: [], maxTokens: 1 });
          return { content: [{ type: 'text', text: 'sent' }] };
        } catch (err) {
          return { content: [{ type: 'text', text: (err as Error).message }], isError: true };
        }
      },
    });
    const res = await h.peer.request('tools/call', { name: 'ask-sampling', arguments: {} });
    expect(res.isError).toBe(true);
    expect(h.seen.some((m) => 'method' in m && m.method === 'sampling/createMessage')).toBe(false);
  });
});
