/** The 2026-07-28 tasks extension (io.modelcontextprotocol/tasks) in the reference server. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../transport/connection.js';
import type { JsonObject, JsonRpcMessage } from '../../transport/jsonrpc.js';
import { RpcPeer } from '../../transport/rpc.js';
import { connectTcp } from '../../transport/tcp/client.js';
import { listenTcp } from '../../transport/tcp/listener.js';
import { populateDefault } from '../../reference/populate.js';
import { ReferenceServer } from '../../reference/server.js';
import { within } from '../helpers/transport-suite.js';

const EXT = { extensions: { 'io.modelcontextprotocol/tasks': {} } };
const META = (capabilities: JsonObject): JsonObject => ({ 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': capabilities });

let server: ReferenceServer;
let connection: Connection;
let peer: RpcPeer;
const seen: JsonRpcMessage[] = [];

beforeAll(async () => {
  server = new ReferenceServer({
    populate: (registry) => {
      populateDefault(registry);
      registry.addTool({
        name: 'ask-name',
        description: 'Asks the user for a name, then greets them.',
        inputSchema: { type: 'object' },
        taskSupport: 'optional',
        call: async (_args, ctx) => {
          const answer = await ctx.request('elicitation/create', { mode: 'form', message: 'Your name?', requestedSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } });
          const name = ((answer.content as JsonObject | undefined)?.name as string | undefined) ?? 'nobody';
          return { content: [{ type: 'text', text: `Hello, ${name}!` }] };
        },
      });
      registry.addTool({ name: 'task-only', description: 'Runs only as a task.', inputSchema: { type: 'object' }, taskSupport: 'required', call: () => ({ content: [] }) });
    },
  });
  const listener = await listenTcp();
  server.attach(listener);
  connection = await connectTcp(listener.target);
  connection.on('message', (m) => seen.push(m));
  peer = new RpcPeer(connection, { timeoutMs: 10_000 });
});
afterAll(async () => {
  await connection?.close();
  await server?.close();
});

async function poll(taskId: string, until: (t: JsonObject) => boolean): Promise<JsonObject> {
  return within((async () => {
    for (;;) {
      const t = await peer.request('tasks/get', { taskId, _meta: META(EXT) });
      if (until(t)) return t;
      await new Promise((r) => setTimeout(r, 20));
    }
  })(), 5000, `task ${taskId}`);
}

describe('2026-07-28 tasks extension', () => {
  it('declares the extension in server/discover', async () => {
    const res = await peer.request('server/discover', { _meta: META({}) });
    expect(res.capabilities).toMatchObject({ extensions: { 'io.modelcontextprotocol/tasks': {} } });
  });

  it('runs a task-capable tool as a task for a request that declared the extension, and inlines the result', async () => {
    const created = await peer.request('tools/call', { name: 'long-running', arguments: { steps: 3, stepMs: 10 }, _meta: META(EXT) });
    expect(created).toMatchObject({ resultType: 'task', status: 'working' });
    expect(created.taskId).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.ttlMs).toBeGreaterThan(0);
    const done = await poll(created.taskId as string, (t) => t.status === 'completed');
    expect(done.resultType).toBe('complete');
    expect((done.result as JsonObject).content).toBeDefined();
  });

  it('answers the same tool synchronously for a request that did not declare the extension', async () => {
    const res = await peer.request('tools/call', { name: 'long-running', arguments: { steps: 1, stepMs: 0 }, _meta: META({}) });
    expect(res.resultType).toBe('complete');
  });

  it('refuses a task-only tool to a request without the extension with -32021', async () => {
    await expect(peer.request('tools/call', { name: 'task-only', arguments: {}, _meta: META({}) })).rejects.toMatchObject({ code: -32021, data: { requiredCapabilities: EXT } });
  });

  it('surfaces input requests through tasks/get and takes the answers through tasks/update', async () => {
    const caps = { ...EXT, elicitation: { form: {} } };
    const created = await peer.request('tools/call', { name: 'ask-name', arguments: {}, _meta: META(caps) });
    const taskId = created.taskId as string;
    const waiting = await poll(taskId, (t) => t.status === 'input_required');
    const [key, request] = Object.entries(waiting.inputRequests as Record<string, { method: string }>)[0]!;
    expect(request.method).toBe('elicitation/create');
    expect(await peer.request('tasks/update', { taskId, inputResponses: { [key]: { action: 'accept', content: { name: 'Ada' } }, 'never-issued': { action: 'accept' } }, _meta: META(EXT) })).toMatchObject({ resultType: 'complete' });
    const done = await poll(taskId, (t) => t.status === 'completed');
    expect(JSON.stringify(done.result)).toMatch(/Hello, Ada!/);
  });

  it('cancels cooperatively, and answers unknown task ids with -32602', async () => {
    const created = await peer.request('tools/call', { name: 'long-running', arguments: { steps: 100, stepMs: 50 }, _meta: META(EXT) });
    const taskId = created.taskId as string;
    expect(await peer.request('tasks/cancel', { taskId, _meta: META(EXT) })).toMatchObject({ resultType: 'complete' });
    expect((await poll(taskId, (t) => t.status !== 'working')).status).toBe('cancelled');
    await expect(peer.request('tasks/get', { taskId: 'no-such-task', _meta: META(EXT) })).rejects.toMatchObject({ code: -32602 });
    await expect(peer.request('tasks/list', { _meta: META(EXT) })).rejects.toMatchObject({ code: -32601 });
  });

  it('pushes notifications/tasks on a listen stream for the task ids asked for, only with the extension declared', async () => {
    await expect(peer.request('subscriptions/listen', { notifications: { taskIds: ['x'] }, _meta: META({}) })).rejects.toMatchObject({ code: -32021 });
    const created = await peer.request('tools/call', { name: 'long-running', arguments: { steps: 5, stepMs: 30 }, _meta: META(EXT) });
    const taskId = created.taskId as string;
    void connection.send({ jsonrpc: '2.0', id: 'tasks-listen', method: 'subscriptions/listen', params: { notifications: { taskIds: [taskId] }, _meta: META(EXT) } });
    await within(new Promise<void>((resolve) => {
      const t = setInterval(() => {
        const hit = seen.find((m) => 'method' in m && m.method === 'notifications/tasks' && (m.params as JsonObject).status === 'completed');
        if (hit) {
          clearInterval(t);
          resolve();
        }
      }, 10);
    }), 5000, 'notifications/tasks completed');
    const ack = seen.find((m) => 'method' in m && m.method === 'notifications/subscriptions/acknowledged' && ((m.params as JsonObject)._meta as JsonObject)['io.modelcontextprotocol/subscriptionId'] === 'tasks-listen');
    expect((ack as unknown as { params: { notifications: JsonObject } }).params.notifications).toEqual({ taskIds: [taskId] });
    await peer.notify('notifications/cancelled', { requestId: 'tasks-listen' });
  });
});
