/**
 * The behaviour every transport must show, client against server, written once and run per
 * transport: volume both ways, multi-byte UTF-8, a 1 MiB message, interleaved concurrent
 * requests answered out of order, and clean close from either side.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Connection, Listener } from '../../transport/connection.js';
import { RpcPeer } from '../../transport/rpc.js';
import type { JsonObject } from '../../transport/jsonrpc.js';

export interface TransportUnderTest {
  name: string;
  /** Start a server listener on 127.0.0.1, port 0. */
  listen(): Promise<Listener>;
  /** Connect a client to it. */
  connect(listener: Listener): Promise<Connection>;
}

export interface Pair {
  listener: Listener;
  client: Connection;
  server: Connection;
  clientPeer: RpcPeer;
  serverPeer: RpcPeer;
}

/** Waits for an event with a bound, so a broken transport fails the test instead of hanging it. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no result within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Connects a client and captures the server side of that connection. The server peer echoes
 * requests (`echo`), floods notifications (`flood`), and answers after a delay (`sleep`).
 */
export async function openPair(t: TransportUnderTest): Promise<Pair> {
  const listener = await t.listen();
  const serverReady = new Promise<Connection>((resolve) => listener.on('connection', resolve));
  const client = await t.connect(listener);
  const clientPeer = new RpcPeer(client, { timeoutMs: 20_000 });
  // Some transports only reveal the server side on the first message; `hello` makes it appear.
  const hello = clientPeer.request('echo', { hello: true });
  const server = await within(serverReady, 10_000, 'server connection');
  const serverPeer = new RpcPeer(server, { timeoutMs: 20_000 });
  serverPeer.onRequest(async (req): Promise<JsonObject> => {
    const params = req.params ?? {};
    switch (req.method) {
      case 'echo':
        return { echoed: params };
      case 'sleep':
        await new Promise((r) => setTimeout(r, Number(params.ms ?? 0)));
        return { slept: params.ms ?? 0, tag: params.tag ?? null };
      case 'flood': {
        const count = Number(params.count ?? 0);
        const text = String(params.text ?? '');
        for (let i = 0; i < count; i++) await server.send({ jsonrpc: '2.0', method: 'notifications/flood', params: { i, text } }, { relatedRequestId: req.id });
        return { sent: count };
      }
      default:
        throw new Error(`unknown method ${req.method}`);
    }
  });
  await within(hello, 10_000, 'first echo');
  return { listener, client, server, clientPeer, serverPeer };
}

const UNICODE = 'héllo wörld — 日本語テキスト — 🧪🚀👩‍💻 — Ελληνικά — עברית — ';

export function transportSuite(t: TransportUnderTest): void {
  describe(`${t.name} transport, client against server`, () => {
    const open: Pair[] = [];
    afterEach(async () => {
      for (const pair of open.splice(0)) {
        await pair.client.close();
        await pair.server.close();
        await pair.listener.close();
      }
    });
    const pair = async () => {
      const p = await openPair(t);
      open.push(p);
      return p;
    };

    it('carries 10,000 requests client→server, each answered', async () => {
      const { clientPeer } = await pair();
      const total = 10_000;
      const window = 32;
      let next = 0;
      let answered = 0;
      const worker = async () => {
        while (next < total) {
          const i = next++;
          const res = await clientPeer.request('echo', { i, text: UNICODE });
          expect(res).toEqual({ echoed: { i, text: UNICODE } });
          answered++;
        }
      };
      await Promise.all(Array.from({ length: window }, worker));
      expect(answered).toBe(total);
    });

    it('carries 10,000 messages server→client, in order, with multi-byte text intact', async () => {
      const { client, clientPeer } = await pair();
      const seen: number[] = [];
      let broken = 0;
      client.on('message', (m) => {
        if ('method' in m && m.method === 'notifications/flood') {
          const params = m.params as { i: number; text: string };
          if (params.text !== UNICODE) broken++;
          seen.push(params.i);
        }
      });
      const res = await clientPeer.request('flood', { count: 10_000, text: UNICODE }, { timeoutMs: 60_000 });
      expect(res).toEqual({ sent: 10_000 });
      expect(broken).toBe(0);
      expect(seen.length).toBe(10_000);
      expect(seen.every((v, i) => v === i)).toBe(true);
    });

    it('carries a 1 MiB message each way', async () => {
      const { clientPeer } = await pair();
      const big = '𝄞é'.repeat(Math.ceil((1024 * 1024) / 6));
      expect(Buffer.byteLength(big)).toBeGreaterThanOrEqual(1024 * 1024);
      const res = await clientPeer.request('echo', { big });
      expect((res.echoed as JsonObject).big).toBe(big);
    });

    it('matches interleaved concurrent requests answered out of order', async () => {
      const { clientPeer } = await pair();
      const delays = Array.from({ length: 40 }, (_, i) => ((i * 37) % 11) * 5);
      const results = await Promise.all(delays.map((ms, tag) => clientPeer.request('sleep', { ms, tag })));
      results.forEach((r, tag) => expect(r).toEqual({ slept: delays[tag], tag }));
    });

    it('closes both sides when the client closes', async () => {
      const { client, server } = await pair();
      const serverClosed = new Promise((resolve) => server.on('close', resolve));
      await client.close();
      expect(client.closed).toBe(true);
      await within(serverClosed, 10_000, 'server close after client close');
      expect(server.closed).toBe(true);
      await expect(client.send({ jsonrpc: '2.0', method: 'x' })).rejects.toThrow(/closed/);
    });

    it('leaves no sockets, servers or timers behind once client, server and listener are closed', async () => {
      const keys = ['TCPSocketWrap', 'TCPServerWrap', 'Timeout'];
      const counts = () => activeHandles();
      // Let what earlier tests closed finish closing first (libuv releases handles a turn later).
      await new Promise((r) => setTimeout(r, 50));
      const before = counts();
      const p = await openPair(t);
      await p.clientPeer.request('flood', { count: 100, text: 'x' });
      await p.client.close();
      await p.server.close();
      await p.listener.close();
      const clean = () => keys.every((key) => (counts()[key] ?? 0) <= (before[key] ?? 0));
      const deadline = Date.now() + 5000;
      while (!clean() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      const after = counts();
      for (const key of keys) expect(after[key] ?? 0, key).toBeLessThanOrEqual(before[key] ?? 0);
    });

    it('closes both sides when the server closes', async () => {
      const { client, server } = await pair();
      const clientClosed = new Promise((resolve) => client.on('close', resolve));
      await server.close();
      expect(server.closed).toBe(true);
      await within(clientClosed, 10_000, 'client close after server close');
      expect(client.closed).toBe(true);
    });
  });
}

/**
 * Handles that keep the event loop alive, by type. Compared before and after a test file so a
 * leaked socket, server or timer fails the run instead of making it hang.
 */
export function activeHandles(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const name of process.getActiveResourcesInfo()) counts[name] = (counts[name] ?? 0) + 1;
  return counts;
}

/**
 * libuv releases a closed handle on a later loop turn, so a just-closed server can still be
 * listed for a few milliseconds. Polls (bounded) until the counts are back to `baseline` and
 * returns the last counts seen, for the caller to compare.
 */
export async function settledHandles(baseline: Record<string, number>, ms = 3000): Promise<Record<string, number>> {
  const deadline = Date.now() + ms;
  let now = activeHandles();
  while (JSON.stringify(now) !== JSON.stringify(baseline) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 10));
    now = activeHandles();
  }
  return now;
}
