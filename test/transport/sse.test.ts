import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Connection, MessageMeta } from '../../transport/connection.js';
import { MessageError, TransportError } from '../../transport/errors.js';
import type { JsonRpcMessage } from '../../transport/jsonrpc.js';
import { connectSse, type SseClientConnection } from '../../transport/sse/client.js';
import { listenSse, type SseListener, type SseListenOptions } from '../../transport/sse/server.js';
import { openPair, transportSuite, within, type TransportUnderTest } from '../helpers/transport-suite.js';

const sse: TransportUnderTest = {
  name: 'legacy HTTP+SSE',
  listen: () => listenSse(),
  connect: (listener) => connectSse(listener.target),
};

transportSuite(sse);

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTP exchange on its own socket (no keep-alive), bounded in time. */
function rawRequest(url: string, init: { method: string; headers?: Record<string, string>; body?: string | Buffer }): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: init.method, headers: init.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.setTimeout(5000, () => req.destroy(new Error('raw request timed out')));
    req.on('error', reject);
    req.end(init.body);
  });
}

/** Opens a raw GET stream and returns everything up to the first blank line (the first event). */
function firstEvent(url: string, headers: Record<string, string> = {}): Promise<{ status: number; contentType: string; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers: { accept: 'text/event-stream', ...headers }, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
        const end = text.indexOf('\n\n');
        if (end !== -1) {
          resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type']), text: text.slice(0, end + 2) });
          req.destroy();
        }
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type']), text }));
    });
    req.setTimeout(5000, () => req.destroy(new Error('raw stream timed out')));
    req.on('error', (err) => {
      if (!req.destroyed || (err as { code?: string }).code !== 'ECONNRESET') reject(err);
    });
    req.end();
  });
}

function httpUrl(listener: SseListener, path: string): string {
  return `http://127.0.0.1:${listener.port}${path}`;
}

/** A plain node:http server for the client-side tests; every socket is cut on close. */
async function rawServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; url: string; close: () => Promise<void> }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function nextError(connection: Connection): Promise<TransportError> {
  return new Promise((resolve) => connection.once('error', resolve));
}


describe('legacy HTTP+SSE server', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const listen = async (options: SseListenOptions = {}): Promise<SseListener> => {
    const listener = await listenSse(options);
    cleanups.push(() => listener.close());
    return listener;
  };
  const connect = async (listener: SseListener, headers?: Record<string, string>): Promise<SseClientConnection> => {
    const client = await connectSse(listener.target, headers ? { headers } : {});
    cleanups.push(() => client.close());
    return client;
  };

  it('reports an sse+http target on 127.0.0.1 with the port it got', async () => {
    const listener = await listen();
    expect(listener.transport).toBe('sse');
    expect(listener.port).toBeGreaterThan(0);
    expect(listener.target).toBe(`sse+http://127.0.0.1:${listener.port}/sse`);
  });

  it('sends the endpoint event first, naming the POST path and the new session', async () => {
    const listener = await listen();
    const accepted = new Promise<Connection>((resolve) => listener.on('connection', resolve));
    const first = await firstEvent(httpUrl(listener, '/sse'));
    expect(first.status).toBe(200);
    expect(first.contentType).toMatch(/^text\/event-stream/);
    const match = /^event: endpoint\ndata: \/messages\?sessionId=([0-9a-f-]+)\n\n$/.exec(first.text);
    expect(match).not.toBeNull();
    const server = await within(accepted, 5000, 'connection event');
    expect(server.sessionId).toBe(match![1]);
    expect(server.transport).toBe('sse');
  });

  it('answers 404 to a POST for an unknown session and 400 when the session id is missing', async () => {
    const listener = await listen();
    const body = JSON.stringify({ jsonrpc: '2.0', method: 'ping', id: 1 });
    const unknown = await rawRequest(httpUrl(listener, '/messages?sessionId=nope'), { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(unknown.status).toBe(404);
    const missing = await rawRequest(httpUrl(listener, '/messages'), { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(missing.status).toBe(400);
    expect(missing.body).toMatch(/sessionId/);
  });

  it('answers other paths 404 and wrong methods 405', async () => {
    const listener = await listen();
    expect((await rawRequest(httpUrl(listener, '/elsewhere'), { method: 'GET' })).status).toBe(404);
    const post = await rawRequest(httpUrl(listener, '/sse'), { method: 'POST', body: '{}' });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET');
    expect((await rawRequest(httpUrl(listener, '/messages?sessionId=x'), { method: 'GET' })).status).toBe(405);
  });

  it('answers a malformed POST body with 400 and a -32700 error, and the session keeps working', async () => {
    const listener = await listen();
    const pair = await openPair({ ...sse, listen: async () => listener });
    cleanups.push(() => pair.client.close());
    const client = pair.client as SseClientConnection;
    const reported = nextError(pair.server);
    const res = await rawRequest(client.endpoint!.href, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"jsonrpc":"2.0",' });
    expect(res.status).toBe(400);
    const answer = JSON.parse(res.body) as { jsonrpc: string; id: unknown; error: { code: number; message: string } };
    expect(answer).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32700 } });
    expect(answer.error.message).toMatch(/Parse error/);
    const error = await within(reported, 5000, 'error on the session');
    // Already answered in the HTTP response, so not a MessageError an engine would answer again.
    expect(error).not.toBeInstanceOf(MessageError);
    expect(error.code).toBe('MCPCERT_ERR_PARSE');
    expect(error.status).toBe(400);
    expect(error.raw).toBe('{"jsonrpc":"2.0",');
    expect(await pair.clientPeer.request('echo', { after: 'parse error' })).toEqual({ echoed: { after: 'parse error' } });
  });

  it('answers an invalid JSON-RPC message with 400 and -32600 carrying its id', async () => {
    const listener = await listen();
    const accepted = new Promise<Connection>((resolve) => listener.on('connection', resolve));
    const client = await connect(listener);
    await within(accepted, 5000, 'connection');
    const res = await rawRequest(client.endpoint!.href, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"jsonrpc":"1.0","id":7,"method":"x"}' });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({ id: 7, error: { code: -32600 } });
  });

  it('answers 415 to a POST that is not application/json', async () => {
    const listener = await listen();
    const client = await connect(listener);
    const res = await rawRequest(client.endpoint!.href, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' });
    expect(res.status).toBe(415);
  });

  it('answers 413 to a POST body over maxMessageBytes, and the session keeps working', async () => {
    const listener = await listen({ maxMessageBytes: 1024 });
    const pair = await openPair({ ...sse, listen: async () => listener });
    cleanups.push(() => pair.client.close());
    const client = pair.client as SseClientConnection;
    const reported = nextError(pair.server);
    const body = JSON.stringify({ jsonrpc: '2.0', method: 'notifications/big', params: { pad: 'x'.repeat(2000) } });
    const declared = await rawRequest(client.endpoint!.href, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(declared.status).toBe(413);
    expect((await within(reported, 5000, 'error on the session')).code).toBe('MCPCERT_ERR_FRAME_TOO_LARGE');
    // Chunked: no Content-Length, so the limit is found while reading.
    const chunked = await rawRequest(client.endpoint!.href, { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, body });
    expect(chunked.status).toBe(413);
    expect(await pair.clientPeer.request('echo', { still: 'open' })).toEqual({ echoed: { still: 'open' } });
  });

  it('refuses a foreign Origin with 403 on both endpoints and lets loopback origins in', async () => {
    const listener = await listen();
    const stream = await rawRequest(httpUrl(listener, '/sse'), { method: 'GET', headers: { origin: 'http://evil.example', accept: 'text/event-stream' } });
    expect(stream.status).toBe(403);
    const refused = await connectSse(listener.target, { headers: { origin: 'http://evil.example' } }).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(TransportError);
    expect((refused as TransportError).code).toBe('MCPCERT_ERR_HTTP_STATUS');
    expect((refused as TransportError).status).toBe(403);
    const client = await connect(listener, { origin: 'http://localhost:5173' });
    const post = await rawRequest(client.endpoint!.href, { method: 'POST', headers: { origin: 'https://evil.example', 'content-type': 'application/json' }, body: '{"jsonrpc":"2.0","method":"x"}' });
    expect(post.status).toBe(403);
  });

  it('applies a custom allowOrigin hook', async () => {
    const listener = await listen({ allowOrigin: (origin) => origin === 'https://app.example' });
    expect((await rawRequest(httpUrl(listener, '/sse'), { method: 'GET', headers: { origin: 'http://localhost' } })).status).toBe(403);
    const client = await connect(listener, { origin: 'https://app.example' });
    expect(client.endpoint).toBeDefined();
  });

  it('puts POST facts and the session id on server-side messages, stream facts on client-side ones', async () => {
    const listener = await listen();
    const accepted = new Promise<Connection>((resolve) => listener.on('connection', resolve));
    const client = await connect(listener, { authorization: 'Bearer t0k3n' });
    const server = await within(accepted, 5000, 'connection');
    const atServer = new Promise<[JsonRpcMessage, MessageMeta]>((resolve) => server.once('message', (m, meta) => resolve([m, meta])));
    await client.send({ jsonrpc: '2.0', method: 'notifications/hello', params: { text: 'é' } });
    const [message, meta] = await within(atServer, 5000, 'message at the server');
    expect(message).toEqual({ jsonrpc: '2.0', method: 'notifications/hello', params: { text: 'é' } });
    expect(meta.transport).toBe('sse');
    expect(meta.sessionId).toBe(server.sessionId);
    expect(meta.bytes).toBe(Buffer.byteLength(JSON.stringify(message)));
    expect(meta.http?.method).toBe('POST');
    expect(meta.http?.url).toBe(`/messages?sessionId=${server.sessionId}`);
    expect(meta.http?.headers.authorization).toBe('Bearer t0k3n');
    expect(meta.receivedAt).toBeGreaterThan(0);
    const atClient = new Promise<MessageMeta>((resolve) => client.once('message', (_m, m) => resolve(m)));
    await server.send({ jsonrpc: '2.0', method: 'notifications/back' });
    const clientMeta = await within(atClient, 5000, 'message at the client');
    expect(clientMeta).toMatchObject({ transport: 'sse', sse: { event: 'message' }, sessionId: server.sessionId, http: { status: 200 } });
    expect(clientMeta.http?.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(clientMeta.bytes).toBe(Buffer.byteLength('{"jsonrpc":"2.0","method":"notifications/back"}'));
  });

  it('sends keep-alive comments when keepAliveMs is set', async () => {
    const listener = await listen({ keepAliveMs: 20 });
    const text = await new Promise<string>((resolve, reject) => {
      const req = httpRequest(httpUrl(listener, '/sse'), { agent: false }, (res) => {
        let seen = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          seen += chunk;
          if (seen.includes(': keep-alive\n\n')) {
            resolve(seen);
            req.destroy();
          }
        });
      });
      req.setTimeout(5000, () => req.destroy(new Error('no keep-alive comment')));
      req.on('error', (err) => {
        if ((err as { code?: string }).code !== 'ECONNRESET') reject(err);
      });
      req.end();
    });
    expect(text.startsWith('event: endpoint\n')).toBe(true);
  });

  it('ends every session when the listener closes', async () => {
    const listener = await listenSse();
    const accepted = new Promise<Connection>((resolve) => listener.on('connection', resolve));
    const client = await connectSse(listener.target);
    const server = await within(accepted, 5000, 'connection');
    const clientClosed = new Promise((resolve) => client.on('close', resolve));
    await listener.close();
    expect(server.closed).toBe(true);
    expect(await within(clientClosed, 5000, 'client close')).toMatchObject({ by: 'remote' });
    expect(listener.sessionCount).toBe(0);
  });

  it('attaches to an existing server and leaves its other paths and its lifetime alone', async () => {
    const owner = await rawServer((req, res) => {
      if (req.url === '/health') res.end('ok');
    });
    cleanups.push(owner.close);
    const listener = await listenSse({ server: owner.server });
    expect(listener.target).toBe(`sse+http://127.0.0.1:${listener.port}/sse`);
    const client = await connectSse(listener.target);
    expect(client.endpoint?.pathname).toBe('/messages');
    expect((await rawRequest(`${owner.url}/health`, { method: 'GET' })).body).toBe('ok');
    await client.close();
    await listener.close();
    expect(owner.server.listening).toBe(true);
  });
});

describe('legacy HTTP+SSE client against misbehaving servers', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const raw = async (handler: (req: IncomingMessage, res: ServerResponse) => void) => {
    const server = await rawServer(handler);
    cleanups.push(server.close);
    return server;
  };

  it('refuses an endpoint on another origin and never POSTs there', async () => {
    const posts: string[] = [];
    const server = await raw((req, res) => {
      if (req.method === 'POST') posts.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('event: endpoint\ndata: http://evil.example:8080/messages?sessionId=1\n\n');
    });
    const err = await connectSse(`sse+${server.url}/sse`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect((err as TransportError).code).toBe('MCPCERT_ERR_PROTOCOL');
    expect((err as TransportError).message).toMatch(/origin http:\/\/evil\.example:8080/);
    expect(posts).toEqual([]);
  });

  it('times out when the server never sends the endpoint event', async () => {
    const server = await raw((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(': no endpoint here\n\n');
    });
    const err = await connectSse(`${server.url}/sse`, { connectTimeoutMs: 300 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect((err as TransportError).code).toBe('MCPCERT_ERR_TIMEOUT');
    expect((err as TransportError).message).toMatch(/endpoint event.*300 ms/);
  });

  it('reports a stream that ends before the endpoint event', async () => {
    const server = await raw((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(': bye\n\n');
    });
    const err = await connectSse(`${server.url}/sse`).catch((e: unknown) => e);
    expect((err as TransportError).code).toBe('MCPCERT_ERR_CONNECT');
    expect((err as TransportError).message).toMatch(/before sending the endpoint event/);
  });

  it('reports a GET answered with an error status, keeping status, headers and body', async () => {
    const server = await raw((_req, res) => {
      res.writeHead(401, { 'www-authenticate': 'Bearer realm="x"', 'content-type': 'text/plain' });
      res.end('who are you?');
    });
    const err = (await connectSse(`${server.url}/sse`).catch((e: unknown) => e)) as TransportError;
    expect(err.code).toBe('MCPCERT_ERR_HTTP_STATUS');
    expect(err.status).toBe(401);
    expect(err.headers?.['www-authenticate']).toBe('Bearer realm="x"');
    expect(err.raw).toBe('who are you?');
  });

  it('reports a GET that is not an event stream', async () => {
    const server = await raw((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
    const err = (await connectSse(`${server.url}/sse`).catch((e: unknown) => e)) as TransportError;
    expect(err.code).toBe('MCPCERT_ERR_CONTENT_TYPE');
  });

  it('rejects send() with the status, headers and body of a non-2xx POST', async () => {
    const server = await raw((req, res) => {
      if (req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write('event: endpoint\ndata: /post?sessionId=abc\n\n');
        return;
      }
      req.resume();
      req.on('end', () => {
        res.writeHead(500, { 'x-reason': 'broken' });
        res.end('boom');
      });
    });
    const client = await connectSse(`${server.url}/sse`);
    cleanups.push(() => client.close());
    expect(client.sessionId).toBe('abc');
    const err = (await client.send({ jsonrpc: '2.0', method: 'x' }).catch((e: unknown) => e)) as TransportError;
    expect(err).toBeInstanceOf(TransportError);
    expect(err.code).toBe('MCPCERT_ERR_HTTP_STATUS');
    expect(err.status).toBe(500);
    expect(err.headers?.['x-reason']).toBe('broken');
    expect(err.raw).toBe('boom');
    expect(client.closed).toBe(false);
  });

  it('reports unreadable events as errors and keeps reading', async () => {
    const server = await raw((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('event: endpoint\ndata: /post\n\n');
      setTimeout(() => {
        res.write('event: message\ndata: {not json\n\n');
        res.write('event: surprise\ndata: {}\n\n');
        res.write('event: message\ndata: {"jsonrpc":"2.0","method":"ok"}\n\n');
      }, 20);
    });
    const client = await connectSse(`${server.url}/sse`);
    cleanups.push(() => client.close());
    const errors: TransportError[] = [];
    client.on('error', (e) => errors.push(e));
    const message = await within(new Promise<JsonRpcMessage>((resolve) => client.once('message', resolve)), 5000, 'message');
    expect(message).toEqual({ jsonrpc: '2.0', method: 'ok' });
    expect(errors.map((e) => e.code)).toEqual(['MCPCERT_ERR_PARSE', 'MCPCERT_ERR_PROTOCOL']);
    expect(errors[0]).toBeInstanceOf(MessageError);
  });

  it('delivers a message sent right after the endpoint event to listeners attached after connect', async () => {
    const server = await raw((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('event: endpoint\ndata: /post\n\nevent: message\ndata: {"jsonrpc":"2.0","method":"early"}\n\n');
    });
    const client = await connectSse(`${server.url}/sse`);
    cleanups.push(() => client.close());
    const message = await within(new Promise<JsonRpcMessage>((resolve) => client.once('message', resolve)), 5000, 'early message');
    expect(message).toEqual({ jsonrpc: '2.0', method: 'early' });
  });
});
