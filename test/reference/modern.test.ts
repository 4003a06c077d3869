/**
 * The stateless 2026-07-28 profile of the reference server, driven by our own client over
 * TCP (stdio framing): per-request _meta, server/discover, resultType, caching hints, MRTR,
 * subscriptions/listen, the new error codes, and a legacy client on the same listener.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { methodInfo } from '../../spec/methods.js';
import { validate } from '../../spec/validate.js';
import type { Connection } from '../../transport/connection.js';
import type { JsonObject, JsonRpcMessage } from '../../transport/jsonrpc.js';
import { RpcPeer } from '../../transport/rpc.js';
import { connectTcp } from '../../transport/tcp/client.js';
import { listenTcp, type TcpListener } from '../../transport/tcp/listener.js';
import { populateDefault } from '../../reference/populate.js';
import { ReferenceServer } from '../../reference/server.js';
import { within } from '../helpers/transport-suite.js';

const V = '2026-07-28';
const META = (capabilities: JsonObject = {}, extra: JsonObject = {}): JsonObject => ({
  'io.modelcontextprotocol/protocolVersion': V,
  'io.modelcontextprotocol/clientCapabilities': capabilities,
  'io.modelcontextprotocol/clientInfo': { name: 'modern-test', version: '1' },
  ...extra,
});

let server: ReferenceServer;
let listener: TcpListener;
const clients: Connection[] = [];

beforeAll(async () => {
  server = new ReferenceServer({ populate: populateDefault });
  listener = await listenTcp();
  server.attach(listener);
});
afterAll(async () => {
  for (const c of clients) await c.close();
  await server.close();
});

async function client(): Promise<{ peer: RpcPeer; seen: JsonRpcMessage[]; connection: Connection }> {
  const connection = await connectTcp(listener.target);
  clients.push(connection);
  const seen: JsonRpcMessage[] = [];
  connection.on('message', (m) => seen.push(m));
  return { peer: new RpcPeer(connection, { timeoutMs: 10_000 }), seen, connection };
}

/** Sends a modern request and checks the result against the 2026-07-28 schema of its method. */
async function call(peer: RpcPeer, method: string, params: JsonObject = {}, capabilities: JsonObject = {}, extraMeta: JsonObject = {}): Promise<JsonObject> {
  const res = await peer.request(method, { ...params, _meta: META(capabilities, extraMeta) });
  const info = methodInfo(V, method)!;
  const definition = res.resultType === 'input_required' ? 'InputRequiredResult' : info.resultDefinition!;
  expect(validate(V, definition, res), `${method} → ${definition}`).toEqual({ ok: true });
  return res;
}

function waitFor(seen: JsonRpcMessage[], pred: (m: JsonRpcMessage) => boolean, what: string): Promise<JsonRpcMessage> {
  return within(new Promise<JsonRpcMessage>((resolve) => {
    const t = setInterval(() => {
      const hit = seen.find(pred);
      if (hit) {
        clearInterval(t);
        resolve(hit);
      }
    }, 5);
  }), 3000, what);
}

const isMethod = (method: string) => (m: JsonRpcMessage) => 'method' in m && m.method === method;

describe('2026-07-28: discovery, per-request _meta and the new errors', () => {
  it('answers server/discover with versions, capabilities, resultType, cache hints and serverInfo', async () => {
    const { peer } = await client();
    const res = await call(peer, 'server/discover');
    expect(res).toMatchObject({ resultType: 'complete', supportedVersions: [V], cacheScope: 'private' });
    expect(res.ttlMs).toBeGreaterThanOrEqual(0);
    expect((res._meta as JsonObject)['io.modelcontextprotocol/serverInfo']).toMatchObject({ name: 'mcpcert-reference' });
    expect(res.capabilities).toHaveProperty('tools');
  });

  it('rejects a request without the required _meta fields with -32602, an unknown version with -32022', async () => {
    const { peer } = await client();
    await expect(peer.request('server/discover', {})).rejects.toMatchObject({ code: -32602 });
    await expect(peer.request('tools/list', { _meta: { 'io.modelcontextprotocol/protocolVersion': V } })).rejects.toMatchObject({ code: -32602 });
    await expect(peer.request('tools/list', { _meta: { ...META(), 'io.modelcontextprotocol/protocolVersion': '2099-01-01' } })).rejects.toMatchObject({
      code: -32022,
      data: { supported: [V], requested: '2099-01-01' },
    });
  });

  it('has no ping, logging/setLevel or resources/subscribe any more (-32601)', async () => {
    const { peer } = await client();
    for (const method of ['ping', 'logging/setLevel', 'resources/subscribe', 'tasks/list']) {
      await expect(peer.request(method, { _meta: META(), level: 'info', uri: 'x' }), method).rejects.toMatchObject({ code: -32601 });
    }
  });

  it('answers lists, reads, prompts and completion with resultType and cache hints, valid for 2026-07-28', async () => {
    const { peer } = await client();
    const tools = await call(peer, 'tools/list');
    expect((tools.tools as JsonObject[]).length).toBeGreaterThan(5);
    expect(tools).toMatchObject({ resultType: 'complete', cacheScope: 'private' });
    const page1 = await call(peer, 'resources/list');
    const page2 = await call(peer, 'resources/list', { cursor: page1.nextCursor as string });
    expect(page2.cacheScope).toBe(page1.cacheScope);
    await call(peer, 'resources/templates/list');
    const read = await call(peer, 'resources/read', { uri: 'mcpcert://items/7' });
    expect(read.ttlMs).toBeGreaterThanOrEqual(0);
    await call(peer, 'prompts/list');
    const prompt = await call(peer, 'prompts/get', { name: 'greet', arguments: { name: 'Ada' } });
    expect(prompt.resultType).toBe('complete');
    const completion = await call(peer, 'completion/complete', { ref: { type: 'ref/prompt', name: 'greet' }, argument: { name: 'style', value: '' } });
    expect(completion.resultType).toBe('complete');
    const echo = await call(peer, 'tools/call', { name: 'echo', arguments: { text: 'hi' } });
    expect(echo.resultType).toBe("complete");
    expect((echo.content as JsonObject[])[0]).toEqual({ type: "text", text: "hi" });
  });

  it('answers an unknown resource with -32602 (never -32002) and no contents', async () => {
    const { peer } = await client();
    await expect(peer.request('resources/read', { uri: 'mcpcert://nope', _meta: META() })).rejects.toMatchObject({ code: -32602 });
  });
});

describe('2026-07-28: statelessness and MRTR', () => {
  it('judges every request by its own capabilities: the same tool asks one client and refuses the other', async () => {
    const { peer } = await client();
    const asked = await call(peer, 'tools/call', { name: 'sample', arguments: { prompt: 'hi', maxTokens: 10 } }, { sampling: {} });
    expect(asked.resultType).toBe('input_required');
    const requests = asked.inputRequests as Record<string, { method: string }>;
    expect(Object.values(requests).map((r) => r.method)).toEqual(['sampling/createMessage']);
    await expect(peer.request('tools/call', { name: 'sample', arguments: { prompt: 'hi', maxTokens: 10 }, _meta: META({}) })).rejects.toMatchObject({
      code: -32021,
      data: { requiredCapabilities: { sampling: {} } },
    });
    // And back again: nothing was remembered from the refused request.
    expect((await call(peer, 'tools/call', { name: 'sample', arguments: { prompt: 'hi', maxTokens: 10 } }, { sampling: {} })).resultType).toBe('input_required');
  });

  it('completes an elicitation in two round trips, and rejects a tampered or foreign requestState', async () => {
    const { peer } = await client();
    const caps = { elicitation: { form: {} } };
    const first = await call(peer, 'tools/call', { name: 'elicit-form', arguments: {} }, caps);
    expect(first.resultType).toBe('input_required');
    const [key, request] = Object.entries(first.inputRequests as Record<string, { method: string; params: JsonObject }>)[0]!;
    expect(request.method).toBe('elicitation/create');
    expect(request.params).not.toHaveProperty('elicitationId');
    const answer = { action: 'decline' };
    const retry = await call(peer, 'tools/call', { name: 'elicit-form', arguments: {}, inputResponses: { [key]: answer }, requestState: first.requestState as string }, caps);
    expect(retry.resultType).toBe('complete');
    expect(JSON.stringify(retry.content)).toMatch(/decline/);
    const state = first.requestState as string;
    const tampered = `${state.slice(0, -2)}${state.endsWith('AA') ? 'BB' : 'AA'}`;
    await expect(peer.request('tools/call', { name: 'elicit-form', arguments: {}, inputResponses: { [key]: answer }, requestState: tampered, _meta: META(caps) })).rejects.toMatchObject({ code: -32602 });
    await expect(peer.request('tools/call', { name: 'echo', arguments: { text: 'x' }, inputResponses: { [key]: answer }, requestState: state, _meta: META(caps) })).rejects.toMatchObject({ code: -32602 });
    await expect(peer.request('tools/call', { name: 'elicit-form', arguments: {}, inputResponses: { [key]: answer }, _meta: META(caps) })).rejects.toMatchObject({ code: -32602 });
  });

  it('sends notifications/message only when the request opts in with a logLevel, at or above it', async () => {
    const { peer, seen } = await client();
    await call(peer, 'tools/call', { name: 'log', arguments: { level: 'error', message: 'silent' } });
    expect(seen.some(isMethod('notifications/message'))).toBe(false);
    await call(peer, 'tools/call', { name: 'log', arguments: { level: 'debug', message: 'too low' } }, {}, { 'io.modelcontextprotocol/logLevel': 'warning' });
    await call(peer, 'tools/call', { name: 'log', arguments: { level: 'error', message: 'heard' } }, {}, { 'io.modelcontextprotocol/logLevel': 'warning' });
    const logs = seen.filter(isMethod('notifications/message')).map((m) => JSON.stringify((m as { params: unknown }).params));
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/heard/);
  });

  it('stops a request cancelled with notifications/cancelled and sends nothing more for it', async () => {
    const { peer, seen } = await client();
    const pending = peer.request('tools/call', { name: 'long-running', arguments: { steps: 50, stepMs: 20 }, _meta: META({}, { progressToken: 'lr' }) }, { id: 'lr-1', timeoutMs: 1500 }).catch((e: unknown) => e);
    await waitFor(seen, isMethod('notifications/progress'), 'first progress');
    await peer.notify('notifications/cancelled', { requestId: 'lr-1' });
    const countAtCancel = seen.length;
    expect(await pending).toMatchObject({ code: 'MCPCERT_ERR_TIMEOUT' });
    expect(seen.length).toBeLessThanOrEqual(countAtCancel + 1);
    expect(seen.some((m) => 'id' in m && m.id === 'lr-1')).toBe(false);
  });
});

describe('2026-07-28: subscriptions/listen', () => {
  it('acknowledges first, forwards only what was asked, tags everything with the subscription id', async () => {
    const { peer, seen, connection } = await client();
    const id = 'sub-1';
    void connection.send({ jsonrpc: '2.0', id, method: 'subscriptions/listen', params: { _meta: META(), notifications: { toolsListChanged: true, resourceSubscriptions: ['mcpcert://counter'] } } });
    const ack = await waitFor(seen, isMethod('notifications/subscriptions/acknowledged'), 'acknowledgment');
    expect(validate(V, 'SubscriptionsAcknowledgedNotification', ack)).toEqual({ ok: true });
    expect((ack as { params: JsonObject }).params).toMatchObject({ notifications: { toolsListChanged: true, resourceSubscriptions: ['mcpcert://counter'] }, _meta: { 'io.modelcontextprotocol/subscriptionId': id } });
    expect(seen.indexOf(ack)).toBe(0);
    await call(peer, 'tools/call', { name: 'toggle-tool', arguments: {} });
    await call(peer, 'tools/call', { name: 'touch-resource', arguments: { uri: 'mcpcert://counter' } });
    const listChanged = await waitFor(seen, isMethod('notifications/tools/list_changed'), 'tools list_changed');
    const updated = await waitFor(seen, isMethod('notifications/resources/updated'), 'resources/updated');
    for (const n of [listChanged, updated]) expect((n as unknown as { params: { _meta: JsonObject } }).params._meta['io.modelcontextprotocol/subscriptionId']).toBe(id);
    // Put the tool list back for other tests, then cancel: nothing more arrives.
    await peer.notify('notifications/cancelled', { requestId: id });
    const before = seen.filter(isMethod('notifications/tools/list_changed')).length;
    await call(peer, 'tools/call', { name: 'toggle-tool', arguments: {} });
    await new Promise((r) => setTimeout(r, 50));
    expect(seen.filter(isMethod('notifications/tools/list_changed')).length).toBe(before);
    expect(seen.some((m) => 'id' in m && m.id === id)).toBe(false);
  });

  it('never sends a type that was not requested', async () => {
    const { peer, seen, connection } = await client();
    void connection.send({ jsonrpc: '2.0', id: 'sub-2', method: 'subscriptions/listen', params: { _meta: META(), notifications: { promptsListChanged: true } } });
    await waitFor(seen, isMethod('notifications/subscriptions/acknowledged'), 'acknowledgment');
    await call(peer, 'tools/call', { name: 'toggle-tool', arguments: {} });
    await call(peer, 'tools/call', { name: 'toggle-tool', arguments: {} });
    await new Promise((r) => setTimeout(r, 50));
    expect(seen.some(isMethod('notifications/tools/list_changed'))).toBe(false);
  });
});

describe('both eras on one listener', () => {
  it('serves a 2025-11-25 session and 2026-07-28 requests side by side', async () => {
    const legacy = await client();
    const modern = await client();
    const init = await legacy.peer.request('initialize', { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'old', version: '1' } });
    expect(init.protocolVersion).toBe('2025-11-25');
    await legacy.peer.notify('notifications/initialized');
    const [oldList, newList] = await Promise.all([legacy.peer.request('tools/list'), call(modern.peer, 'tools/list')]);
    expect(oldList).not.toHaveProperty('resultType');
    expect(newList.resultType).toBe('complete');
    expect(await legacy.peer.request('ping')).toEqual({});
  });

  it('answers a modern probe on a fresh connection, then lets the same connection initialize', async () => {
    const c = await client();
    await call(c.peer, 'server/discover');
    const init = await c.peer.request('initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } });
    expect(init.protocolVersion).toBe('2025-06-18');
  });
});
