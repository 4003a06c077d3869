import { createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { WebSocketClientTransport } from '@modelcontextprotocol/sdk/client/websocket.js';
import { WebSocket as UndiciWebSocket } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import type { CloseInfo, Connection, MessageMeta } from '../../transport/connection.js';
import { MessageError, TransportError } from '../../transport/errors.js';
import type { JsonObject, JsonRpcMessage } from '../../transport/jsonrpc.js';
import { RpcPeer } from '../../transport/rpc.js';
import { connectWs } from '../../transport/ws/client.js';
import { listenWs, type WsConnection, type WsListener, type WsListenOptions } from '../../transport/ws/server.js';
import { transportSuite, within, type TransportUnderTest } from '../helpers/transport-suite.js';
import { serveMinimalMcp, waitUntil } from '../helpers/mcp-responder.js';

const ws: TransportUnderTest = {
  name: 'WebSocket',
  listen: () => listenWs(),
  connect: (listener) => connectWs(listener.target),
};

transportSuite(ws);

function once<T>(emitter: { once(event: string, listener: (value: T) => void): unknown }, event: string, what: string, ms = 5000): Promise<T> {
  return within(new Promise<T>((resolve) => emitter.once(event, resolve)), ms, what);
}

function nextError(connection: Connection): Promise<TransportError> {
  return within(new Promise<TransportError>((resolve) => connection.once('error', resolve)), 5000, 'error event');
}

function closeInfo(connection: Connection): Promise<CloseInfo> {
  return within(new Promise<CloseInfo>((resolve) => connection.once('close', resolve)), 5000, 'close event');
}

/** A raw `ws` client, for frames our client never sends. */
async function rawClient(url: string, protocols: string[] = ['mcp']): Promise<WebSocket> {
  const socket = new WebSocket(url, protocols);
  await within(
    new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    }),
    5000,
    'raw client open',
  );
  return socket;
}

async function closeRaw(socket: WebSocket): Promise<void> {
  if (socket.readyState === WebSocket.CLOSED) return;
  const closed = new Promise((resolve) => socket.once('close', resolve));
  socket.close();
  await within(closed, 5000, 'raw client close').catch(() => socket.terminate());
}

/** A raw `ws` server, for the client-side tests. */
async function rawServer(options: ConstructorParameters<typeof WebSocketServer>[0] = {}): Promise<{ wss: WebSocketServer; url: string; close: () => Promise<void> }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, ...options });
  await once(wss, 'listening', 'raw server listening');
  const { port } = wss.address() as AddressInfo;
  return {
    wss,
    url: `ws://127.0.0.1:${port}/mcp`,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}



describe('WebSocket transport', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const listen = async (options: WsListenOptions = {}): Promise<WsListener> => {
    const listener = await listenWs(options);
    cleanups.push(() => listener.close());
    return listener;
  };
  const accept = (listener: WsListener): Promise<WsConnection> => within(new Promise<WsConnection>((resolve) => listener.on('connection', (c) => resolve(c as WsConnection))), 5000, 'server connection');

  it('reports a ws target on 127.0.0.1 with the port it got', async () => {
    const listener = await listen();
    expect(listener.transport).toBe('ws');
    expect(listener.target).toBe(`ws://127.0.0.1:${listener.port}/mcp`);
  });

  it('selects the mcp subprotocol when the client offers it', async () => {
    const listener = await listen();
    const accepted = accept(listener);
    const client = await connectWs(listener.target);
    cleanups.push(() => client.close());
    expect(client.negotiatedProtocol).toBe('mcp');
    expect((await accepted).negotiatedProtocol).toBe('mcp');
  });

  it('refuses a handshake that offers subprotocols but not mcp', async () => {
    const listener = await listen();
    let connections = 0;
    listener.on('connection', () => connections++);
    const socket = new WebSocket(listener.target, ['other']);
    const status = await within(
      new Promise<number>((resolve) => {
        socket.once('unexpected-response', (_req, res) => {
          resolve(res.statusCode ?? 0);
          socket.terminate();
        });
        socket.on('error', () => undefined);
      }),
      5000,
      'refusal',
    );
    expect(status).toBe(400);
    expect(connections).toBe(0);
  });

  it('accepts a client that offers no subprotocol, without selecting one', async () => {
    const listener = await listen();
    const accepted = accept(listener);
    const socket = await rawClient(listener.target, []);
    cleanups.push(() => closeRaw(socket));
    expect(socket.protocol).toBe('');
    expect((await accepted).negotiatedProtocol).toBeUndefined();
  });

  it('client falls back when a server selects no subprotocol, and refuses it when told to', async () => {
    const server = await rawServer({ handleProtocols: () => false });
    cleanups.push(server.close);
    const client = await connectWs(server.url);
    cleanups.push(() => client.close());
    expect(client.negotiatedProtocol).toBeUndefined();
    const err = (await connectWs(server.url, { requireSubprotocol: true }).catch((e: unknown) => e)) as TransportError;
    expect(err).toBeInstanceOf(TransportError);
    expect(err.code).toBe('MCPCERT_ERR_PROTOCOL');
    expect(err.message).toMatch(/selected no subprotocol/);
  });

  it('server reports a binary frame and a malformed text frame without answering them, and stays usable', async () => {
    const listener = await listen();
    const accepted = accept(listener);
    const socket = await rawClient(listener.target);
    cleanups.push(() => closeRaw(socket));
    const server = await accepted;
    serveMinimalMcp(server, [], 'mcpcert-ws-test');
    const received: string[] = [];
    socket.on('message', (data) => received.push(String(data)));

    const binary = nextError(server);
    socket.send(Buffer.from('{"jsonrpc":"2.0","id":1,"method":"ping"}'), { binary: true });
    const binaryError = await binary;
    expect(binaryError.code).toBe('MCPCERT_ERR_BINARY_FRAME');
    expect(binaryError.raw).toContain('"ping"');

    const malformed = nextError(server);
    socket.send('{"jsonrpc":"2.0",');
    const parseError = await malformed;
    expect(parseError).toBeInstanceOf(MessageError);
    expect((parseError as MessageError).rpcCode).toBe(-32700);
    expect(parseError.raw).toBe('{"jsonrpc":"2.0",');

    socket.send('{"jsonrpc":"2.0","id":7,"method":"ping"}');
    await waitUntil(() => received.length > 0, 5000);
    // The first frame back answers id 7: the transport put nothing on the wire for the bad frames.
    expect(received.map((text) => JSON.parse(text) as JsonObject)).toEqual([{ jsonrpc: '2.0', id: 7, result: {} }]);
    expect(server.closed).toBe(false);
  });

  it('server reports a text frame that is not UTF-8 and the socket closes with 1007', async () => {
    const listener = await listen();
    const accepted = accept(listener);
    const socket = await rawClient(listener.target);
    cleanups.push(() => closeRaw(socket));
    const server = await accepted;
    const error = nextError(server);
    const closed = closeInfo(server);
    const peerClose = new Promise<number>((resolve) => socket.once('close', (code: number) => resolve(code)));
    socket.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
    expect((await error).code).toBe('MCPCERT_ERR_INVALID_UTF8');
    expect((await closed).error?.code).toBe('MCPCERT_ERR_INVALID_UTF8');
    expect(await within(peerClose, 5000, 'peer close')).toBe(1007);
  });

  it('cuts a peer that stops answering keep-alive pings', async () => {
    const listener = await listen({ keepAliveMs: 30 });
    const accepted = accept(listener);
    const silent = new WebSocket(listener.target, ['mcp'], { autoPong: false });
    silent.on('error', () => undefined);
    cleanups.push(async () => silent.terminate());
    const server = await accepted;
    const info = await closeInfo(server);
    expect(info.by).toBe('remote');
    expect(info.error?.code).toBe('MCPCERT_ERR_TIMEOUT');
    expect(info.error?.message).toMatch(/ping within 30 ms/);
  });

  it('keeps a connection whose peer answers keep-alive pings', async () => {
    const listener = await listen({ keepAliveMs: 150 });
    const accepted = accept(listener);
    const client = await connectWs(listener.target);
    cleanups.push(() => client.close());
    const server = await accepted;
    serveMinimalMcp(server, [], 'mcpcert-ws-test');
    const peer = new RpcPeer(client);
    // Several ping rounds pass while the client sleeps between requests.
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r, 200));
      expect(await peer.request('ping')).toEqual({});
    }
    expect(server.closed).toBe(false);
  });

  it('client reports a binary frame and a malformed text frame and keeps reading', async () => {
    const server = await rawServer({ handleProtocols: () => 'mcp' });
    cleanups.push(server.close);
    const peerReady = once<WebSocket>(server.wss, 'connection', 'raw server connection');
    const client = await connectWs(server.url);
    cleanups.push(() => client.close());
    const peer = await peerReady;
    const errors: TransportError[] = [];
    client.on('error', (e) => errors.push(e));
    const message = new Promise<JsonRpcMessage>((resolve) => client.once('message', resolve));
    peer.send(Buffer.from([0xde, 0xad]), { binary: true });
    peer.send('not json');
    peer.send('{"jsonrpc":"2.0","method":"notifications/ok"}');
    expect(await within(message, 5000, 'message')).toEqual({ jsonrpc: '2.0', method: 'notifications/ok' });
    expect(errors.map((e) => e.code)).toEqual(['MCPCERT_ERR_BINARY_FRAME', 'MCPCERT_ERR_PARSE']);
    expect(client.closed).toBe(false);
  });

  it('closes both sides with 1009 when a frame exceeds maxMessageBytes, and each side reports it', async () => {
    const listener = await listen({ maxMessageBytes: 1024 });
    const accepted = accept(listener);
    const client = await connectWs(listener.target);
    cleanups.push(() => client.close());
    const server = await accepted;
    const serverError = nextError(server);
    const serverClosed = closeInfo(server);
    const clientClosed = closeInfo(client);
    await client.send({ jsonrpc: '2.0', method: 'notifications/big', params: { pad: 'x'.repeat(2000) } });
    expect((await serverError).code).toBe('MCPCERT_ERR_FRAME_TOO_LARGE');
    const atServer = await serverClosed;
    expect(atServer.error?.code).toBe('MCPCERT_ERR_FRAME_TOO_LARGE');
    const atClient = await clientClosed;
    expect(atClient.by).toBe('remote');
    expect(atClient.reason).toMatch(/1009/);
    expect(atClient.error?.code).toBe('MCPCERT_ERR_FRAME_TOO_LARGE');
    expect(client.closed && server.closed).toBe(true);
  });

  it('client refuses frames over its own maxMessageBytes', async () => {
    const server = await rawServer({ handleProtocols: () => 'mcp' });
    cleanups.push(server.close);
    const peerReady = once<WebSocket>(server.wss, 'connection', 'raw server connection');
    const client = await connectWs(server.url, { maxMessageBytes: 512 });
    cleanups.push(() => client.close());
    const peer = await peerReady;
    const peerClose = new Promise<number>((resolve) => peer.once('close', (code: number) => resolve(code)));
    const closed = closeInfo(client);
    peer.send(JSON.stringify({ jsonrpc: '2.0', method: 'x', params: { pad: 'y'.repeat(1000) } }));
    expect((await closed).error?.code).toBe('MCPCERT_ERR_FRAME_TOO_LARGE');
    expect(await within(peerClose, 5000, 'peer close')).toBe(1009);
  });

  it('refuses a foreign Origin with 403 and accepts a loopback one', async () => {
    const listener = await listen();
    const err = (await connectWs(listener.target, { headers: { origin: 'http://evil.example' } }).catch((e: unknown) => e)) as TransportError;
    expect(err).toBeInstanceOf(TransportError);
    expect(err.code).toBe('MCPCERT_ERR_HTTP_STATUS');
    expect(err.status).toBe(403);
    expect(err.raw).toMatch(/evil\.example/);
    const client = await connectWs(listener.target, { headers: { origin: 'http://127.0.0.1:3000' } });
    cleanups.push(() => client.close());
    expect(client.closed).toBe(false);
  });

  it('answers an upgrade on another path with 404 and a plain GET with 426', async () => {
    const listener = await listen();
    const err = (await connectWs(`ws://127.0.0.1:${listener.port}/other`).catch((e: unknown) => e)) as TransportError;
    expect(err.code).toBe('MCPCERT_ERR_HTTP_STATUS');
    expect(err.status).toBe(404);
    const res = await fetch(`http://127.0.0.1:${listener.port}/mcp`, { headers: { connection: 'close' } });
    expect(res.status).toBe(426);
    await res.body?.cancel();
  });

  it('times out a handshake against a TCP server that never answers', async () => {
    const sockets = new Set<Socket>();
    const silent = createTcpServer((socket) => {
      sockets.add(socket);
      // Read (and ignore) the request, so the client's hang-up is noticed.
      socket.resume();
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    cleanups.push(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    });
    const { port } = silent.address() as AddressInfo;
    const err = (await connectWs(`ws://127.0.0.1:${port}/mcp`, { handshakeTimeoutMs: 300 }).catch((e: unknown) => e)) as TransportError;
    expect(err).toBeInstanceOf(TransportError);
    expect(err.code).toBe('MCPCERT_ERR_TIMEOUT');
    expect(err.message).toMatch(/handshake.*300 ms/);
    // The client side of the attempt is gone: the server sees its socket close.
    expect(await waitUntil(() => sockets.size === 0, 5000)).toBe(true);
  });

  it('reports a refused connection as MCPCERT_ERR_CONNECT', async () => {
    const listener = await listenWs();
    const target = listener.target;
    await listener.close();
    const err = (await connectWs(target).catch((e: unknown) => e)) as TransportError;
    expect(err.code).toBe('MCPCERT_ERR_CONNECT');
  });

  it('puts transport facts and the handshake headers on every received message', async () => {
    const listener = await listen();
    const accepted = accept(listener);
    const client = await connectWs(listener.target, { headers: { authorization: 'Bearer abc' } });
    cleanups.push(() => client.close());
    const server = await accepted;
    const atServer = new Promise<MessageMeta>((resolve) => server.once('message', (_m, meta) => resolve(meta)));
    const text = '{"jsonrpc":"2.0","method":"notifications/hi","params":{"t":"日本"}}';
    await client.send(JSON.parse(text) as JsonRpcMessage);
    const meta = await within(atServer, 5000, 'message');
    expect(meta).toMatchObject({ transport: 'ws', bytes: Buffer.byteLength(text), http: { method: 'GET', url: '/mcp' } });
    expect(meta.http?.headers.authorization).toBe('Bearer abc');
    expect(meta.receivedAt).toBeGreaterThan(0);
    const atClient = new Promise<MessageMeta>((resolve) => client.once('message', (_m, m) => resolve(m)));
    await server.send({ jsonrpc: '2.0', method: 'notifications/back' });
    expect(await within(atClient, 5000, 'message back')).toMatchObject({ transport: 'ws', http: { status: 101, headers: { 'sec-websocket-protocol': 'mcp' } } });
  });

  it('reports the close code of a remote close', async () => {
    const server = await rawServer({ handleProtocols: () => 'mcp' });
    cleanups.push(server.close);
    const peerReady = once<WebSocket>(server.wss, 'connection', 'raw server connection');
    const client = await connectWs(server.url);
    const peer = await peerReady;
    const closed = closeInfo(client);
    peer.close(4001, 'go away');
    const info = await closed;
    expect(info.by).toBe('remote');
    expect(info.reason).toMatch(/4001 \(go away\)/);
  });

  it('terminates a peer that does not answer the close handshake in time', async () => {
    const server = await rawServer({ handleProtocols: () => 'mcp' });
    cleanups.push(server.close);
    const peerReady = once<WebSocket>(server.wss, 'connection', 'raw server connection');
    const client = await connectWs(server.url, { closeTimeoutMs: 200 });
    const peer = await peerReady;
    // Stop reading: the peer never sees our close frame, so never answers it.
    peer.pause();
    await client.close('bye');
    expect(client.closed).toBe(true);
  });

  it('attaches to an existing server, taking only upgrades on its path', async () => {
    const owner = createHttpServer((_req, res) => res.end('ok'));
    const foreign = new WebSocketServer({ noServer: true });
    owner.on('upgrade', (req, socket, head) => {
      if (req.url === '/other') foreign.handleUpgrade(req, socket, head, (s) => s.close(1000, 'other'));
    });
    await new Promise<void>((resolve) => owner.listen(0, '127.0.0.1', resolve));
    cleanups.push(async () => {
      owner.closeAllConnections();
      await new Promise<void>((resolve) => foreign.close(() => resolve()));
      await new Promise<void>((resolve) => owner.close(() => resolve()));
    });
    const listener = await listenWs({ server: owner, path: '/mcp' });
    const client = await connectWs(listener.target);
    const other = await rawClient(listener.target.replace('/mcp', '/other'), []);
    expect(await once<number>(other, 'close', 'other close')).toBe(1000);
    await client.close();
    await listener.close();
    expect(owner.listening).toBe(true);
  });

  it('lets the SDK WebSocketClientTransport initialize and list tools against our server', async () => {
    const listener = await listen();
    listener.on('connection', (connection) => serveMinimalMcp(connection, [], 'mcpcert-ws-test'));
    const globals = globalThis as Record<string, unknown>;
    const previous = globals.WebSocket;
    // Node 20 has no global WebSocket; the SDK transport expects the WHATWG one, which undici provides.
    globals.WebSocket = UndiciWebSocket;
    try {
      const client = new Client({ name: 'sdk-client', version: '1.0.0' });
      await within(client.connect(new WebSocketClientTransport(new URL(listener.target))), 10_000, 'SDK connect');
      expect(client.getServerVersion()).toEqual({ name: 'mcpcert-ws-test', version: '0.0.0' });
      const { tools } = await within(client.listTools(), 10_000, 'SDK tools/list');
      expect(tools.map((tool) => tool.name)).toEqual(['echo']);
      const called = await within(client.callTool({ name: 'echo', arguments: { text: 'hi 👋' } }), 10_000, 'SDK tools/call');
      expect(called.content).toEqual([{ type: 'text', text: 'hi 👋' }]);
      await client.close();
    } finally {
      globals.WebSocket = previous;
    }
  });
});
