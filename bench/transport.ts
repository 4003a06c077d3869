/**
 * Round trips per second through each mcpcert transport (client → server → client, with
 * RpcPeer on both ends), 1 and 16 requests in flight, beside a plain-Node baseline doing the
 * same exchange in the same run. Prints a table of rates and ratios.
 *
 *   npm run bench -- transport [--duration MS] [--warmup MS] [--only stdio,http]
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer as createNetServer, connect as netConnect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Connection, Listener } from '../transport/connection.js';
import { RpcPeer } from '../transport/rpc.js';
import { spawnStdio } from '../transport/stdio/client.js';
import { connectTcp } from '../transport/tcp/client.js';
import { listenTcp } from '../transport/tcp/listener.js';
import { connectHttp } from '../transport/http/client.js';
import { listenHttp } from '../transport/http/server.js';
import { connectSse } from '../transport/sse/client.js';
import { listenSse } from '../transport/sse/server.js';
import { connectWs } from '../transport/ws/client.js';
import { listenWs } from '../transport/ws/server.js';
import { plainHttp } from './baselines/plain-http.js';
import { plainNdjsonClient, plainNdjsonServer } from './baselines/plain-ndjson.js';
import { plainWs } from './baselines/plain-ws.js';
import { roundTrips, type Rate } from './measure.js';

export interface Subject {
  call: () => Promise<unknown>;
  teardown: () => Promise<void>;
}

export interface Scenario {
  transport: string;
  baseline: string;
  ours: () => Promise<Subject>;
  plain: () => Promise<Subject>;
}

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const tsx = ['--import', 'tsx'];

/** Serves RpcPeer echo on every connection of a listener; the client side calls `ping`. */
export async function oursOver(listener: Listener, connect: (l: Listener) => Promise<Connection>, prepare?: (peer: RpcPeer) => Promise<void>): Promise<Subject> {
  const served: Connection[] = [];
  listener.on('connection', (c) => {
    served.push(c);
    new RpcPeer(c).onRequest(() => ({}));
  });
  const client = await connect(listener);
  const peer = new RpcPeer(client);
  await prepare?.(peer);
  return {
    call: () => peer.request('ping'),
    teardown: async () => {
      await client.close();
      await Promise.all(served.map((c) => c.close()));
      await listener.close();
    },
  };
}

/**
 * The server child runs our transport from the build when there is one (`npm run bench`
 * builds first): from source, tsx's transform would slow our side and not the few-line baseline.
 */
const BUILT_TRANSPORT = fileURLToPath(new URL('../dist/transport/stdio/server.js', import.meta.url));
const stdioServer = (): string[] => (existsSync(BUILT_TRANSPORT) ? [fixture('stdio-echo-built.mjs')] : [...tsx, fixture('stdio-echo.ts')]);

const stdio: Scenario = {
  transport: 'stdio',
  baseline: 'plain NDJSON child process',
  ours: async () => {
    const client = await spawnStdio(process.execPath, stdioServer());
    const peer = new RpcPeer(client);
    return { call: () => peer.request('ping'), teardown: () => client.close() };
  },
  plain: async () => {
    const child = spawn(process.execPath, [...tsx, fixture('plain-stdio-echo.ts')], { stdio: ['pipe', 'pipe', 'inherit'] });
    const call = plainNdjsonClient(child.stdout, child.stdin);
    return {
      call,
      teardown: async () => {
        const exited = new Promise((r) => child.once('exit', r));
        child.stdin.end();
        child.kill();
        await exited;
      },
    };
  },
};

const tcp: Scenario = {
  transport: 'tcp',
  baseline: 'plain NDJSON socket',
  ours: async () => oursOver(await listenTcp(), (l) => connectTcp(l.target)),
  plain: async () => {
    const server = createNetServer((socket) => plainNdjsonServer(socket, socket));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const socket = netConnect({ host: '127.0.0.1', port: (server.address() as { port: number }).port, noDelay: true });
    await new Promise((r) => socket.once('connect', r));
    return {
      call: plainNdjsonClient(socket, socket),
      teardown: async () => {
        socket.destroy();
        await new Promise((r) => server.close(r));
      },
    };
  },
};

const http: Scenario = {
  transport: 'http',
  baseline: 'plain node:http + undici',
  // A session first, as every real Streamable HTTP client has one.
  ours: async () => oursOver(await listenHttp(), (l) => connectHttp(l.target), (peer) => peer.request('initialize', { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'bench', version: '1' } }).then(() => undefined)),
  plain: () => plainHttp(),
};

const sse: Scenario = {
  transport: 'sse',
  baseline: 'plain node:http + undici',
  ours: async () => oursOver(await listenSse(), (l) => connectSse(l.target)),
  plain: () => plainHttp(),
};

const ws: Scenario = {
  transport: 'ws',
  baseline: 'plain ws echo',
  ours: async () => oursOver(await listenWs(), (l) => connectWs(l.target)),
  plain: () => plainWs(),
};

export const scenarios: Scenario[] = [stdio, http, sse, ws, tcp];

async function measure(make: () => Promise<Subject>, inFlight: number, durationMs: number, warmupMs: number): Promise<Rate> {
  const subject = await make();
  try {
    return await roundTrips(subject.call, inFlight, durationMs, warmupMs);
  } finally {
    await subject.teardown();
  }
}

export async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { duration: { type: 'string' }, warmup: { type: 'string' }, only: { type: 'string' } } });
  const durationMs = Number(values.duration ?? 2000);
  const warmupMs = Number(values.warmup ?? 500);
  const only = values.only?.split(',');
  const rows: string[][] = [['transport', 'in flight', 'mcpcert msg/s', 'baseline msg/s', 'ratio', 'baseline']];
  for (const s of scenarios.filter((x) => !only || only.includes(x.transport))) {
    for (const inFlight of [1, 16]) {
      // Baseline first, then ours, back to back, so both see the same machine state.
      const base = await measure(s.plain, inFlight, durationMs, warmupMs);
      const ours = await measure(s.ours, inFlight, durationMs, warmupMs);
      rows.push([s.transport, String(inFlight), ours.perSecond.toFixed(0), base.perSecond.toFixed(0), (ours.perSecond / base.perSecond).toFixed(2), s.baseline]);
      process.stderr.write(`${s.transport} ×${inFlight}: ${ours.perSecond.toFixed(0)} vs ${base.perSecond.toFixed(0)} msg/s\n`);
    }
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) process.stdout.write(`${r.map((c, i) => c.padEnd(widths[i]!)).join('  ')}\n`);
}
