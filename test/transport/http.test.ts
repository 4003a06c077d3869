import type { ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { Agent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Connection, MessageMeta } from '../../transport/connection.js';
import type { TransportError } from '../../transport/errors.js';
import { SseReader, type SseEvent } from '../../transport/framing/sse.js';
import { connectHttp, type HttpClientConnection, type HttpClientOptions, type HttpExchange } from '../../transport/http/client.js';
import { listenHttp, type HttpListener, type HttpListenOptions } from '../../transport/http/server.js';
import { isRequest, isResponse, notification, request, type JsonObject, type JsonRpcMessage } from '../../transport/jsonrpc.js';
import { RpcError, RpcPeer } from '../../transport/rpc.js';
import { activeHandles, settledHandles, transportSuite, within } from '../helpers/transport-suite.js';

// Taken before any test runs, so the last test also proves the shared suite left nothing open.
const baseline = activeHandles();

const ACCEPT_BOTH = 'application/json, text/event-stream';
const INIT_PARAMS: JsonObject = { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'mcpcert-test', version: '0' } };
const INIT = request(0, 'initialize', INIT_PARAMS);
const INIT_RESULT: JsonObject = { protocolVersion: '2025-11-25', capabilities: {}, serverInfo: { name: 'mcpcert-test', version: '0' } };

/** Answers `initialize` on every server connection, so a session exists before the suite's peers attach. */
function answerInitialize(listener: HttpListener): void {
  listener.on('connection', (connection) => {
    connection.on('message', (m) => {
      if (isRequest(m) && m.method === 'initialize') void connection.send({ jsonrpc: '2.0', id: m.id, result: INIT_RESULT });
    });
  });
}

/** The client half of the handshake, without an RpcPeer so that none stays attached. */
async function initialize(client: Connection): Promise<void> {
  const answered = new Promise<void>((resolve) => {
    const onMessage = (m: JsonRpcMessage): void => {
      if (isResponse(m) && m.id === 'handshake') {
        client.off('message', onMessage);
        resolve();
      }
    };
    client.on('message', onMessage);
  });
  await client.send(request('handshake', 'initialize', INIT_PARAMS));
  await within(answered, 5000, 'initialize answer');
}

transportSuite({
  name: 'http',
  listen: async () => {
    const listener = await listenHttp();
    answerInitialize(listener);
    return listener;
  },
  connect: async (listener) => {
    const client = await connectHttp(listener.target, { reconnectDelayMs: 100 });
    await initialize(client);
    return client;
  },
});

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: Readable;
}

/** Collects SSE events from a raw response body as they arrive. */
class SseTap {
  readonly events: SseEvent[] = [];
  readonly ended: Promise<void>;
  readonly #waiters: Array<() => void> = [];

  constructor(body: Readable) {
    const reader = new SseReader();
    body.on('data', (chunk: Buffer) => {
      for (const item of reader.push(chunk)) if (item.type === 'event') this.events.push(item.event);
      for (const wake of this.#waiters.splice(0)) wake();
    });
    this.ended = new Promise((resolve) => {
      body.on('end', () => resolve());
      body.on('close', () => resolve());
      body.on('error', () => resolve());
    });
  }

  /** Resolves once at least `count` events with data arrived (priming events are not counted). */
  async waitFor(count: number, what: string): Promise<SseEvent[]> {
    const withData = (): SseEvent[] => this.events.filter((e) => e.data !== '');
    await within(
      new Promise<void>((resolve) => {
        const check = (): void => {
          if (withData().length >= count) resolve();
          else this.#waiters.push(check);
        };
        check();
      }),
      5000,
      what,
    );
    return withData();
  }
}

describe('http transport specifics', () => {
  let agent: Agent;
  const cleanup: Array<() => Promise<unknown>> = [];

  beforeEach(() => {
    agent = new Agent();
  });

  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
    await agent.destroy();
  });

  const raw = async (url: string, method: string, headers: Record<string, string>, body?: string): Promise<RawResponse> => {
    const response = await agent.request({ origin: new URL(url).origin, path: new URL(url).pathname, method: method as 'POST', headers, body: body ?? null, headersTimeout: 5000, bodyTimeout: 5000 });
    const flat: Record<string, string> = {};
    for (const [k, v] of Object.entries(response.headers)) if (v !== undefined) flat[k] = Array.isArray(v) ? v.join(', ') : v;
    return { status: response.statusCode, headers: flat, body: response.body };
  };
  const text = async (r: RawResponse): Promise<string> => {
    const chunks: Buffer[] = [];
    for await (const chunk of r.body as AsyncIterable<Buffer>) chunks.push(chunk);
    return Buffer.concat(chunks).toString('utf8');
  };
  const json = async (r: RawResponse): Promise<unknown> => JSON.parse(await text(r)) as unknown;
  const post = (url: string, body: unknown, headers: Record<string, string> = {}): Promise<RawResponse> =>
    raw(url, 'POST', { accept: ACCEPT_BOTH, 'content-type': 'application/json', ...headers }, typeof body === 'string' ? body : JSON.stringify(body));

  /** A listener whose connections answer a few test methods; collects the server connections. */
  const serve = async (options: HttpListenOptions = {}): Promise<{ listener: HttpListener; connections: Connection[]; received: Array<[JsonRpcMessage, MessageMeta]> }> => {
    const listener = await listenHttp(options);
    cleanup.push(() => listener.close());
    countGets(listener);
    const connections: Connection[] = [];
    const received: Array<[JsonRpcMessage, MessageMeta]> = [];
    listener.on('connection', (connection) => {
      connections.push(connection);
      connection.on('message', (m, meta) => received.push([m, meta]));
      const peer = new RpcPeer(connection);
      peer.onRequest(async (req) => {
        switch (req.method) {
          case 'initialize':
            return INIT_RESULT;
          case 'echo':
            return { echoed: req.params ?? {} };
          case 'chatty':
            await connection.send(notification('notifications/progress', { step: 1 }), { relatedRequestId: req.id });
            return { chatted: true };
          case 'slow':
            // The test answers this one itself, through connection.send.
            return new Promise<JsonObject>(() => undefined);
          default:
            throw new RpcError(-32601, `Method not found: ${req.method}`);
        }
      });
    });
    return { listener, connections, received };
  };
  const session = async (url: string): Promise<string> => {
    const r = await post(url, INIT);
    expect(r.status).toBe(200);
    await text(r);
    return r.headers['mcp-session-id']!;
  };
  const client = async (url: string, options: HttpClientOptions = {}): Promise<HttpClientConnection> => {
    const c = await connectHttp(url, { reconnectDelayMs: 50, ...options });
    cleanup.push(() => c.close());
    return c;
  };
  const until = (condition: () => boolean, what: string): Promise<void> =>
    within(
      new Promise<void>((resolve) => {
        const timer = setInterval(() => {
          if (condition()) {
            clearInterval(timer);
            resolve();
          }
        }, 5);
      }),
      5000,
      what,
    );

  it('answers a body of only notifications or responses with 202 and no body, and delivers them with HTTP meta', async () => {
    const { listener, received } = await serve();
    const sid = await session(listener.target);
    const r = await post(listener.target, notification('notifications/initialized'), { 'mcp-session-id': sid });
    expect(r.status).toBe(202);
    expect(await text(r)).toBe('');
    await until(() => received.some(([m]) => 'method' in m && m.method === 'notifications/initialized'), 'notification delivered');
    const [, meta] = received.find(([m]) => 'method' in m && m.method === 'notifications/initialized')!;
    expect(meta).toMatchObject({ transport: 'http', sessionId: sid, http: { method: 'POST', headers: { 'mcp-session-id': sid } } });
    const answer = await post(listener.target, { jsonrpc: '2.0', id: 'from-server', result: {} }, { 'mcp-session-id': sid });
    expect(answer.status).toBe(202);
    await text(answer);
  });

  it('answers a malformed body with 400 and -32700 (id null), an invalid message with -32600, and stays usable', async () => {
    const { listener } = await serve();
    const sid = await session(listener.target);
    const bad = await post(listener.target, '{"jsonrpc":"2.0","id":1,', { 'mcp-session-id': sid });
    expect(bad.status).toBe(400);
    expect(await json(bad)).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32700 } });
    const invalid = await post(listener.target, { jsonrpc: '1.0', id: 7, method: 'echo' }, { 'mcp-session-id': sid });
    expect(invalid.status).toBe(400);
    expect(await json(invalid)).toMatchObject({ id: 7, error: { code: -32600 } });
    const ok = await post(listener.target, request(2, 'echo', { still: 'alive' }), { 'mcp-session-id': sid });
    expect(ok.status).toBe(200);
    expect(await json(ok)).toEqual({ jsonrpc: '2.0', id: 2, result: { echoed: { still: 'alive' } } });
  });

  it('answers 406 for an Accept header without both types, 415 for a non-JSON body, 413 for an oversize body', async () => {
    const { listener } = await serve({ maxMessageBytes: 1024 });
    const sid = await session(listener.target);
    const notAcceptable = await post(listener.target, request(1, 'echo'), { accept: 'application/json', 'mcp-session-id': sid });
    expect(notAcceptable.status).toBe(406);
    expect(await json(notAcceptable)).toMatchObject({ jsonrpc: '2.0', error: { code: -32000 } });
    const getWithoutSse = await raw(listener.target, 'GET', { accept: 'application/json', 'mcp-session-id': sid });
    expect(getWithoutSse.status).toBe(406);
    await text(getWithoutSse);
    const wrongType = await post(listener.target, JSON.stringify(request(1, 'echo')), { 'content-type': 'text/plain', 'mcp-session-id': sid });
    expect(wrongType.status).toBe(415);
    await text(wrongType);
    const tooLarge = await post(listener.target, request(1, 'echo', { pad: 'x'.repeat(5000) }), { 'mcp-session-id': sid });
    expect(tooLarge.status).toBe(413);
    const body = (await json(tooLarge)) as JsonObject;
    expect(body).toMatchObject({ jsonrpc: '2.0', error: { code: -32600 } });
    expect('id' in body).toBe(false);
  });

  it('refuses a foreign Origin with 403 and a JSON-RPC error without id, and allows a loopback one', async () => {
    const { listener } = await serve();
    const foreign = await post(listener.target, INIT, { origin: 'http://evil.example' });
    expect(foreign.status).toBe(403);
    const body = (await json(foreign)) as JsonObject;
    expect(body).toMatchObject({ jsonrpc: '2.0', error: { code: -32000 } });
    expect('id' in body).toBe(false);
    const local = await post(listener.target, INIT, { origin: 'http://localhost:5173' });
    expect(local.status).toBe(200);
    await text(local);
  });

  it('enforces session rules: visible-ASCII ids, 400 without one, 404 when unknown or deleted, 405 for other methods', async () => {
    const { listener, connections } = await serve();
    const sid = await session(listener.target);
    expect(sid).toMatch(/^[\x21-\x7e]{16,}$/);
    const missing = await post(listener.target, request(1, 'echo'));
    expect(missing.status).toBe(400);
    await text(missing);
    const unknown = await post(listener.target, request(1, 'echo'), { 'mcp-session-id': 'no-such-session' });
    expect(unknown.status).toBe(404);
    await text(unknown);
    const put = await raw(listener.target, 'PUT', { 'mcp-session-id': sid });
    expect(put.status).toBe(405);
    expect(put.headers.allow).toBe('GET, POST, DELETE');
    await text(put);
    const closed = new Promise<unknown>((resolve) => connections[0]!.on('close', resolve));
    const deleted = await raw(listener.target, 'DELETE', { 'MCP-Session-Id': sid });
    expect(deleted.status).toBe(200);
    await text(deleted);
    expect(await within(closed, 5000, 'server connection close')).toMatchObject({ by: 'remote' });
    const after = await post(listener.target, request(2, 'echo'), { 'mcp-session-id': sid });
    expect(after.status).toBe(404);
    await text(after);
  });

  it('delivers an unrelated server notification on the GET stream, and refuses a second concurrent GET with 409', async () => {
    const { listener, connections } = await serve();
    const c = await client(listener.target);
    const peer = new RpcPeer(c);
    await peer.request('initialize', INIT_PARAMS);
    const got = new Promise<[JsonRpcMessage, MessageMeta]>((resolve) => c.on('message', (m, meta) => 'method' in m && resolve([m, meta])));
    // The client opens the GET stream by itself once it has a session; wait until the server sees it.
    await until(() => activeGets(listener) === 1, 'GET stream open');
    await connections[0]!.send(notification('notifications/message', { level: 'info', data: 'hello' }));
    const [message, meta] = await within(got, 5000, 'notification on the GET stream');
    expect(message).toEqual(notification('notifications/message', { level: 'info', data: 'hello' }));
    expect(meta.http).toMatchObject({ method: 'GET', status: 200, headers: { 'content-type': 'text/event-stream' } });
    expect(meta.sse?.id).toMatch(/^[0-9a-f]+-\d+$/);
    const second = await raw(listener.target, 'GET', { accept: 'text/event-stream', 'mcp-session-id': c.sessionId! });
    expect(second.status).toBe(409);
    await text(second);
  });

  it('replays, on GET with Last-Event-ID, only the missed events of that stream', async () => {
    const { listener, connections } = await serve();
    const sid = await session(listener.target);
    const server = connections[0]!;
    const get = await raw(listener.target, 'GET', { accept: 'text/event-stream', 'mcp-session-id': sid });
    expect(get.status).toBe(200);
    const tap = new SseTap(get.body);
    await server.send(notification('n', { i: 1 }));
    await server.send(notification('n', { i: 2 }));
    const [first] = await tap.waitFor(2, 'two live events');
    get.body.destroy();
    await until(() => activeGets(listener) === 0, 'server notices the dropped GET');
    await server.send(notification('n', { i: 3 }));
    await server.send(notification('n', { i: 4 }));
    // Traffic on another stream of the same session must not leak into the replay.
    const chatty = await post(listener.target, request(5, 'chatty'), { 'mcp-session-id': sid });
    expect(chatty.headers['content-type']).toBe('text/event-stream');
    const chattyEvents = new SseTap(chatty.body);
    await chattyEvents.ended;
    expect(chattyEvents.events.map((e) => JSON.parse(e.data) as JsonRpcMessage)).toEqual([
      notification('notifications/progress', { step: 1 }),
      { jsonrpc: '2.0', id: 5, result: { chatted: true } },
    ]);
    const resumed = await raw(listener.target, 'GET', { accept: 'text/event-stream', 'mcp-session-id': sid, 'last-event-id': first!.id! });
    expect(resumed.status).toBe(200);
    const replay = new SseTap(resumed.body);
    const events = await replay.waitFor(3, 'replayed events');
    expect(events.map((e) => (JSON.parse(e.data) as { params: { i: number } }).params.i)).toEqual([2, 3, 4]);
    // Event ids name their stream: the replay comes from the GET stream, the chatty POST had its own.
    const streamOf = (e: SseEvent): string => e.id!.split('-')[0]!;
    expect(events.map(streamOf)).toEqual([streamOf(first!), streamOf(first!), streamOf(first!)]);
    expect(events[0]!.id).toBe(tap.events[1]!.id);
    expect(chattyEvents.events.map(streamOf).every((s) => s !== streamOf(first!))).toBe(true);
    resumed.body.destroy();
  });

  it('keeps the events of a POST stream the client dropped, and a GET with Last-Event-ID picks them up', async () => {
    const { listener, connections } = await serve({ ssePriming: true });
    const sid = await session(listener.target);
    const server = connections[0]!;
    const asked = new Promise<number | string>((resolve) => server.on('message', (m) => isRequest(m) && m.method === 'slow' && resolve(m.id)));
    const r = await post(listener.target, request(9, 'slow'), { 'mcp-session-id': sid });
    expect(r.headers['content-type']).toBe('text/event-stream');
    const tap = new SseTap(r.body);
    const id = await within(asked, 5000, 'slow request');
    await server.send(notification('step', { n: 1 }), { relatedRequestId: id });
    await tap.waitFor(1, 'first step');
    const primer = tap.events[0]!;
    expect(primer.data).toBe('');
    r.body.destroy();
    await server.send(notification('step', { n: 2 }), { relatedRequestId: id });
    await server.send({ jsonrpc: '2.0', id, result: { done: true } });
    const resumed = await raw(listener.target, 'GET', { accept: 'text/event-stream', 'mcp-session-id': sid, 'last-event-id': tap.events[1]!.id! });
    const replay = new SseTap(resumed.body);
    await replay.ended;
    expect(replay.events.filter((e) => e.data !== '').map((e) => JSON.parse(e.data) as JsonRpcMessage)).toEqual([notification('step', { n: 2 }), { jsonrpc: '2.0', id: 9, result: { done: true } }]);
  });

  it('answers a lone response as JSON, streams SSE when something precedes it, and always streams with jsonResponses never', async () => {
    const auto = await serve();
    const sid = await session(auto.listener.target);
    const plain = await post(auto.listener.target, request(1, 'echo', { a: 1 }), { 'mcp-session-id': sid });
    expect(plain.headers['content-type']).toBe('application/json');
    expect(plain.headers['mcp-session-id']).toBe(sid);
    expect(await json(plain)).toEqual({ jsonrpc: '2.0', id: 1, result: { echoed: { a: 1 } } });
    const streamed = await post(auto.listener.target, request(2, 'chatty'), { 'mcp-session-id': sid });
    expect(streamed.headers['content-type']).toBe('text/event-stream');
    const tap = new SseTap(streamed.body);
    await tap.ended;
    expect(tap.events.map((e) => e.event)).toEqual(['message', 'message']);
    expect(tap.events.every((e) => /^[0-9a-f]+-\d+$/.test(e.id ?? ''))).toBe(true);
    const never = await serve({ jsonResponses: 'never' });
    const initStream = await post(never.listener.target, INIT);
    expect(initStream.headers['content-type']).toBe('text/event-stream');
    const initTap = new SseTap(initStream.body);
    await initTap.ended;
    expect(JSON.parse(initTap.events[0]!.data)).toEqual({ jsonrpc: '2.0', id: 0, result: INIT_RESULT });
  });

  it('serves without sessions: one connection per POST, no session id, 405 for GET and DELETE', async () => {
    const { listener, connections } = await serve({ sessions: false });
    const r = await post(listener.target, request(1, 'echo', { n: 1 }));
    expect(r.status).toBe(200);
    expect(r.headers['mcp-session-id']).toBeUndefined();
    expect(await json(r)).toEqual({ jsonrpc: '2.0', id: 1, result: { echoed: { n: 1 } } });
    const again = await post(listener.target, request(1, 'echo', { n: 2 }), { 'mcp-session-id': 'ignored' });
    expect(await json(again)).toEqual({ jsonrpc: '2.0', id: 1, result: { echoed: { n: 2 } } });
    await until(() => connections.length === 2 && connections.every((c) => c.closed), 'per-POST connections closed');
    expect(connections.every((c) => c.sessionId === undefined)).toBe(true);
    const get = await raw(listener.target, 'GET', { accept: 'text/event-stream' });
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe('POST');
    await text(get);
    const del = await raw(listener.target, 'DELETE', {});
    expect(del.status).toBe(405);
    await text(del);
    const c = await client(listener.target);
    const peer = new RpcPeer(c);
    expect(await peer.request('echo', { via: 'client' })).toEqual({ echoed: { via: 'client' } });
    await c.openStream(); // 405: the server has no GET stream, which is not an error
  });

  it('accepts a batch body: 202 for notifications only, a JSON array of responses for requests', async () => {
    const { listener, received } = await serve();
    const sid = await session(listener.target);
    const notes = await post(listener.target, [notification('a'), notification('b')], { 'mcp-session-id': sid });
    expect(notes.status).toBe(202);
    await text(notes);
    const batch = await post(listener.target, [request(1, 'echo', { x: 1 }), notification('c'), request(2, 'echo', { x: 2 })], { 'mcp-session-id': sid });
    expect(batch.headers['content-type']).toBe('application/json');
    const answers = (await json(batch)) as Array<{ id: number }>;
    expect(answers.sort((p, q) => p.id - q.id)).toEqual([
      { jsonrpc: '2.0', id: 1, result: { echoed: { x: 1 } } },
      { jsonrpc: '2.0', id: 2, result: { echoed: { x: 2 } } },
    ]);
    const c = received.find(([m]) => 'method' in m && m.method === 'c');
    expect(c?.[1].batch).toMatchObject({ index: 1, size: 3 });
  });

  it('lets validateRequest reject a request with its own status and body, and sends per-message headers', async () => {
    const methods: string[] = [];
    const { listener } = await serve({
      validateRequest: ({ headers, sessionId }) => {
        methods.push(headers['mcp-method'] ?? '(none)');
        return sessionId !== undefined && headers['mcp-protocol-version'] !== '2025-11-25' ? { status: 400, body: { jsonrpc: '2.0', error: { code: -32600, message: 'Bad MCP-Protocol-Version' } } } : undefined;
      },
    });
    const c = await client(listener.target, { openStandaloneStream: false, messageHeaders: (p): Record<string, string> => (Array.isArray(p) || !('method' in p) ? {} : { 'Mcp-Method': p.method }) });
    const peer = new RpcPeer(c);
    await peer.request('initialize', INIT_PARAMS);
    const errors: TransportError[] = [];
    c.on('error', (e) => errors.push(e));
    // The body carries no id, so no message can settle the request: send() rejecting must.
    await expect(peer.request('echo', {}, { timeoutMs: 20_000 })).rejects.toMatchObject({ code: 'MCPCERT_ERR_HTTP_STATUS', status: 400 });
    expect(errors[0]).toMatchObject({ code: 'MCPCERT_ERR_HTTP_STATUS', status: 400 });
    expect(errors[0]!.raw).toContain('Bad MCP-Protocol-Version');
    c.setProtocolVersion('2025-11-25');
    expect(await peer.request('echo', { ok: 1 })).toEqual({ echoed: { ok: 1 } });
    expect(methods).toEqual(['initialize', 'echo', 'echo']);
  });

  it('settles a request from a JSON-RPC error body carrying its id, and closes remotely on 404 for its session', async () => {
    const { listener, connections } = await serve({
      validateRequest: ({ messages }) => {
        const m = messages[0];
        return m && isRequest(m) && m.method === 'forbidden' ? { status: 400, body: { jsonrpc: '2.0', id: m.id, error: { code: -32602, message: 'nope' } } } : undefined;
      },
    });
    const exchanges: HttpExchange[] = [];
    const c = await client(listener.target, { openStandaloneStream: false, onExchange: (e) => exchanges.push(e) });
    c.on('error', () => undefined);
    const peer = new RpcPeer(c);
    await peer.request('initialize', INIT_PARAMS);
    await expect(peer.request('forbidden', {}, { timeoutMs: 20_000 })).rejects.toBeInstanceOf(RpcError);
    await peer.notify('notifications/initialized');
    expect(exchanges.map((e) => e.status)).toEqual([200, 400, 202]);
    const closed = new Promise<unknown>((resolve) => c.on('close', resolve));
    await connections[0]!.close();
    await expect(peer.request('echo', {}, { timeoutMs: 20_000 })).rejects.toMatchObject({ code: 'MCPCERT_ERR_HTTP_STATUS', status: 404 });
    expect(await within(closed, 5000, 'client close')).toMatchObject({ by: 'remote' });
  });

  it('client resumes a POST SSE stream that dropped before its response', async () => {
    const { listener, connections } = await serve({ ssePriming: true });
    const responses: ServerResponse[] = [];
    listener.server.on('request', (req, res: ServerResponse) => req.method === 'POST' && responses.push(res));
    const c = await client(listener.target, { openStandaloneStream: false });
    const peer = new RpcPeer(c);
    await peer.request('initialize', INIT_PARAMS);
    const server = connections[0]!;
    const asked = new Promise<number | string>((resolve) => server.on('message', (m) => isRequest(m) && m.method === 'slow' && resolve(m.id)));
    const steps: Array<[JsonRpcMessage, MessageMeta]> = [];
    c.on('message', (m, meta) => 'method' in m && steps.push([m, meta]));
    const answer = peer.request('slow');
    const id = await within(asked, 5000, 'slow request');
    await server.send(notification('step', { n: 1 }), { relatedRequestId: id });
    await until(() => steps.length === 1, 'first step at the client');
    // Cut the POST's connection from the server side, as a proxy or a restart would.
    responses.at(-1)!.socket!.destroy();
    await server.send(notification('step', { n: 2 }), { relatedRequestId: id });
    await server.send({ jsonrpc: '2.0', id, result: { done: true } });
    expect(await within(answer, 10_000, 'resumed answer')).toEqual({ done: true });
    expect(steps.map(([m]) => (m as unknown as { params: { n: number } }).params.n)).toEqual([1, 2]);
    expect(steps[0]![1].http?.method).toBe('POST');
    expect(steps[1]![1].http?.method).toBe('GET');
  });

  it('rejects a request answered with the wrong Content-Type, and one whose server is gone', async () => {
    const { createServer } = await import('node:http');
    const odd = createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'text/plain' }).end('hello');
    });
    await new Promise<void>((resolve) => odd.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(odd.address() as { port: number }).port}/mcp`;
    const c = await client(url);
    const errors: TransportError[] = [];
    c.on('error', (e) => errors.push(e));
    const peer = new RpcPeer(c);
    await expect(peer.request('initialize', INIT_PARAMS, { timeoutMs: 20_000 })).rejects.toMatchObject({ code: 'MCPCERT_ERR_CONTENT_TYPE', status: 200 });
    expect(errors.map((e) => e.code)).toEqual(['MCPCERT_ERR_CONTENT_TYPE']);
    odd.closeAllConnections();
    await new Promise<void>((resolve) => odd.close(() => resolve()));
    await expect(peer.request('initialize', INIT_PARAMS, { timeoutMs: 20_000 })).rejects.toMatchObject({ code: 'MCPCERT_ERR_CONNECT' });
    expect(c.closed).toBe(false);
  });

  it('attaches to an existing server and leaves other paths to it', async () => {
    const { createServer } = await import('node:http');
    const shared = createServer();
    shared.on('request', (req, res) => {
      if (req.url === '/other') res.end('other');
    });
    await new Promise<void>((resolve) => shared.listen(0, '127.0.0.1', resolve));
    cleanup.push(() => new Promise<void>((resolve) => { shared.closeAllConnections(); shared.close(() => resolve()); }));
    const listener = await listenHttp({ server: shared, path: '/rpc' });
    cleanup.push(() => listener.close());
    answerInitialize(listener);
    expect(listener.target).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/rpc$/);
    const other = await raw(listener.target.replace('/rpc', '/other'), 'GET', {});
    expect(await text(other)).toBe('other');
    const r = await post(listener.target, INIT);
    expect(r.status).toBe(200);
    await text(r);
  });

  it('leaves no sockets, servers or timers behind', async () => {
    const { listener } = await serve();
    const clients = await Promise.all([1, 2, 3].map(() => connectHttp(listener.target, { reconnectDelayMs: 50 })));
    for (const c of clients) {
      const peer = new RpcPeer(c);
      await peer.request('initialize', INIT_PARAMS);
      await peer.request('chatty');
    }
    await until(() => activeGets(listener) === 3, 'three GET streams');
    await listener.close();
    for (const c of clients) await within(new Promise((r) => (c.closed ? r(null) : c.on('close', r))), 5000, 'client sees the server go');
    await agent.destroy();
    agent = new Agent();
    expect(await settledHandles(baseline)).toEqual(baseline);
  });
});

/** GET requests whose response is still open, as the server sees them. */
const openGets = new WeakMap<HttpListener, number>();

function countGets(listener: HttpListener): void {
  openGets.set(listener, 0);
  listener.server.on('request', (req, res: ServerResponse) => {
    if (req.method !== 'GET') return;
    openGets.set(listener, (openGets.get(listener) ?? 0) + 1);
    res.on('close', () => openGets.set(listener, (openGets.get(listener) ?? 0) - 1));
  });
}

function activeGets(listener: HttpListener): number {
  return openGets.get(listener) ?? 0;
}
