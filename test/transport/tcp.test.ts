import { connect, createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { connectTcp, parseTcpTarget } from '../../transport/tcp/client.js';
import { listenTcp } from '../../transport/tcp/listener.js';
import type { Connection } from '../../transport/connection.js';
import { activeHandles, settledHandles, transportSuite, within } from '../helpers/transport-suite.js';
import type { TransportError } from '../../transport/errors.js';

// Taken before any test runs, so the last test also proves the shared suite left nothing open.
const baseline = activeHandles();

transportSuite({
  name: 'tcp',
  listen: () => listenTcp(),
  connect: (listener) => connectTcp(listener.target),
});

describe('tcp transport specifics', () => {
  it('reports malformed, non-UTF-8 and oversize lines as errors and stays usable', async () => {
    const listener = await listenTcp({ maxMessageBytes: 1024 });
    const serverSide = new Promise<Connection>((r) => listener.on('connection', r));
    const raw = connect({ host: '127.0.0.1', port: listener.port });
    await new Promise((r) => raw.once('connect', r));
    const server = await within(serverSide, 5000, 'server connection');
    const errors: TransportError[] = [];
    const messages: unknown[] = [];
    server.on('error', (e) => errors.push(e));
    server.on('message', (m) => messages.push(m));
    raw.write('{"oops"\n');
    raw.write(Buffer.from([0x7b, 0xff, 0xfe, 0x7d, 0x0a]));
    raw.write(`${'x'.repeat(3000)}\n`);
    raw.write('{"jsonrpc":"2.0","id":1,"method":"ping"}\r\n');
    await within(new Promise<void>((r) => { const t = setInterval(() => { if (messages.length === 1) { clearInterval(t); r(); } }, 5); }), 5000, 'valid message after bad ones');
    expect(errors.map((e) => e.code)).toEqual(['MCPCERT_ERR_PARSE', 'MCPCERT_ERR_INVALID_UTF8', 'MCPCERT_ERR_FRAME_TOO_LARGE']);
    expect(errors[0]!.raw).toBe('{"oops"');
    expect(messages).toEqual([{ jsonrpc: '2.0', id: 1, method: 'ping' }]);
    raw.destroy();
    await within(new Promise((r) => (server.closed ? r(null) : server.on('close', r))), 5000, 'server close');
    await listener.close();
  });

  it('delivers what was sent in the same tick as close', async () => {
    const listener = await listenTcp();
    const serverSide = new Promise<Connection>((r) => listener.on('connection', r));
    const client = await connectTcp(listener.target);
    const server = await within(serverSide, 5000, 'server connection');
    const got: unknown[] = [];
    client.on('message', (m) => got.push(m));
    const closed = new Promise((r) => client.on('close', r));
    void server.send({ jsonrpc: '2.0', method: 'notifications/last-words' });
    void server.close();
    await within(closed, 5000, 'client close');
    expect(got).toEqual([{ jsonrpc: '2.0', method: 'notifications/last-words' }]);
    await listener.close();
  });

  it('rejects a bad target and a refused connection with clear errors', async () => {
    expect(() => parseTcpTarget('http://x:1')).toThrow(/tcp:\/\/HOST:PORT/);
    expect(() => parseTcpTarget('tcp://x')).toThrow(/tcp:\/\/HOST:PORT/);
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((r) => server.close(() => r()));
    await expect(connectTcp(`tcp://127.0.0.1:${port}`)).rejects.toMatchObject({ code: 'MCPCERT_ERR_CONNECT' });
  });

  it('leaves no sockets or servers behind', async () => {
    const listener = await listenTcp();
    const conns: Connection[] = [];
    listener.on('connection', (c) => conns.push(c));
    const clients = await Promise.all([1, 2, 3].map(() => connectTcp(listener.target)));
    await within(new Promise<void>((r) => { const t = setInterval(() => { if (conns.length === 3) { clearInterval(t); r(); } }, 5); }), 5000, 'three connections');
    await listener.close();
    for (const c of clients) await within(new Promise((r) => (c.closed ? r(null) : c.on('close', r))), 5000, 'client sees close');
    expect(await settledHandles(baseline)).toEqual(baseline);
  });

});
