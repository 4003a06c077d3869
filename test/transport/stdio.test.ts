import { createServer, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BaseListener, type Connection } from '../../transport/connection.js';
import type { TransportError } from '../../transport/errors.js';
import { RpcPeer } from '../../transport/rpc.js';
import { spawnStdio, type StdioClientConnection } from '../../transport/stdio/client.js';
import { serveStdio } from '../../transport/stdio/server.js';
import { activeHandles, settledHandles, transportSuite, within } from '../helpers/transport-suite.js';

const baseline = activeHandles();
const relay = fileURLToPath(new URL('../fixtures/stdio-relay.mjs', import.meta.url));
const fixture = fileURLToPath(new URL('../fixtures/stdio-echo-server.ts', import.meta.url));

/**
 * Holds the server side of a real stdio pipe pair in this process: the client spawns a relay
 * child whose stdin/stdout are joined to a socket that `serveStdio` reads and writes here.
 */
class RelayListener extends BaseListener {
  readonly transport = 'stdio' as const;
  readonly #server: Server;
  readonly #open = new Set<Connection>();

  constructor(server: Server) {
    super();
    this.#server = server;
    server.on('connection', (socket) => {
      const connection = serveStdio({ input: socket, output: socket });
      this.#open.add(connection);
      connection.on('close', () => {
        this.#open.delete(connection);
        socket.destroy();
      });
      this.emitConnection(connection);
    });
  }

  get target(): string {
    return `stdio:node ${relay} ${(this.#server.address() as { port: number }).port}`;
  }

  get port(): number {
    return (this.#server.address() as { port: number }).port;
  }

  async close(): Promise<void> {
    await Promise.all([...this.#open].map((c) => c.close()));
    await new Promise<void>((r) => this.#server.close(() => r()));
  }
}

async function listenRelay(): Promise<RelayListener> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return new RelayListener(server);
}

transportSuite({
  name: 'stdio',
  listen: listenRelay,
  connect: (listener) => spawnStdio(process.execPath, [relay, String((listener as RelayListener).port)]),
});

function spawnFixture(mode: string, closeTimeoutMs?: number): Promise<StdioClientConnection> {
  return spawnStdio(process.execPath, ['--import', 'tsx', fixture, mode], closeTimeoutMs === undefined ? {} : { closeTimeoutMs });
}

describe('stdio transport against a real child process', () => {
  it('talks to a spawned server, captures its stderr as log lines, and stops it on close', async () => {
    const client = await spawnFixture('echo');
    const logs: string[] = [];
    client.on('log', (line) => logs.push(line));
    const peer = new RpcPeer(client, { timeoutMs: 15_000 });
    expect(await peer.request('echo', { text: 'ünïcødé 🧪' })).toEqual({ echoed: { text: 'ünïcødé 🧪' } });
    await client.close();
    expect(client.exit).toEqual({ code: 0, signal: null });
    expect(logs).toContain('stdio fixture ready (echo)');
  });

  it('reports non-JSON output on stdout as an error with the raw line, and keeps going', async () => {
    const client = await spawnFixture('noisy');
    const errors: TransportError[] = [];
    client.on('error', (e) => errors.push(e));
    const peer = new RpcPeer(client, { timeoutMs: 15_000 });
    expect(await peer.request('echo', { n: 1 })).toEqual({ echoed: { n: 1 } });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'MCPCERT_ERR_PARSE', raw: 'starting up...' });
    await client.close();
  });

  it('escalates to SIGTERM and then SIGKILL when the server ignores stdin EOF', async () => {
    const client = await spawnFixture('stubborn', 300);
    const logs: string[] = [];
    client.on('log', (line) => logs.push(line));
    const peer = new RpcPeer(client, { timeoutMs: 15_000 });
    await peer.request('echo', {});
    await client.close();
    expect(client.exit).toEqual({ code: null, signal: 'SIGKILL' });
    expect(logs).toContain('ignoring SIGTERM');
  });

  it('closes with the exit status when the server crashes, failing the requests in flight', async () => {
    const client = await spawnFixture('crash');
    const peer = new RpcPeer(client, { timeoutMs: 15_000 });
    const closed = new Promise<string>((r) => client.on('close', (info) => r(info.reason)));
    await peer.request('echo', {});
    await expect(peer.request('echo', {})).rejects.toThrow();
    expect(await within(closed, 10_000, 'close after crash')).toMatch(/exit code 3|closed its output/);
    expect(client.exit).toEqual({ code: 3, signal: null });
  });

  it('fails clearly when the command does not exist', async () => {
    await expect(spawnStdio('/nonexistent/mcp-server-xyz')).rejects.toMatchObject({ code: 'MCPCERT_ERR_PROCESS', message: expect.stringMatching(/ENOENT/) });
  });

  it('frames a message split inside a multi-byte character, and rejects a line over the limit', async () => {
    const { PassThrough } = await import('node:stream');
    const input = new PassThrough();
    const output = new PassThrough();
    const server = serveStdio({ input, output, maxMessageBytes: 64 });
    const got: unknown[] = [];
    const errors: TransportError[] = [];
    server.on('message', (m) => got.push(m));
    server.on('error', (e) => errors.push(e));
    const line = Buffer.from('{"jsonrpc":"2.0","method":"n","params":{"t":"€"}}\n');
    const cut = line.indexOf(0xe2) + 1; // inside the 3-byte euro sign
    input.write(line.subarray(0, cut));
    input.write(line.subarray(cut));
    input.write(`${'x'.repeat(100)}\n`);
    await new Promise((r) => setImmediate(r));
    expect(got).toEqual([{ jsonrpc: '2.0', method: 'n', params: { t: '€' } }]);
    expect(errors.map((e) => e.code)).toEqual(['MCPCERT_ERR_FRAME_TOO_LARGE']);
    await server.close();
    expect(output.writableEnded).toBe(true);
  });

  it('leaves no child processes, pipes or sockets behind', async () => {
    expect(await settledHandles(baseline)).toEqual(baseline);
  });
});
