/**
 * `tools/call` echo through the reference server (`mcpcert serve`, run from source as a child
 * process) over stdio and Streamable HTTP, 1 and 16 calls in flight, beside two servers
 * measured in the same run with the same client code (our transport clients + RpcPeer):
 *   - plain: a child answering a fixed JSON-RPC reply (NDJSON on stdio, node:http on HTTP),
 *     the most a server could hope for;
 *   - everything: @modelcontextprotocol/server-everything, the official SDK's demo server.
 * Prints throughput (closed loop, fixed window after warm-up) with p50/p99 latency and the
 * ratios the project's goals name, then the server's RSS growth over one long session.
 *
 *   npm run bench -- reference [--duration MS] [--warmup MS] [--only stdio,http] [--calls N]
 *                              [--profile DIR] [--source]
 *
 * `--calls 0` skips the RSS run; `--profile DIR` has every mcpcert server process write a V8
 * CPU profile (`--cpu-prof`) into DIR when it exits. Our server runs from the build in dist/
 * (`npm run bench` builds first); `--source` runs the sources through tsx instead (whose
 * esbuild transform adds a `__name` call per closure, a few percent slower).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'hdr-histogram-js';
import type { Connection } from '../transport/connection.js';
import { HttpClientConnection, connectHttp } from '../transport/http/client.js';
import type { JsonObject } from '../transport/jsonrpc.js';
import { RpcPeer } from '../transport/rpc.js';
import { spawnStdio } from '../transport/stdio/client.js';
import { sleep } from './measure.js';

type TransportName = 'stdio' | 'http';
const TRANSPORTS: readonly TransportName[] = ['stdio', 'http'];

/** A server process and our client connection to it. */
interface Served {
  connection: Connection;
  pid: number;
  stop: () => Promise<void>;
}

interface ServerKind {
  name: string;
  /** How it is started, for the header of the output. */
  describe: (transport: TransportName) => string;
  start: (transport: TransportName) => Promise<Served>;
  /** Learn the echo argument from tools/list (a real MCP server) or send `text` (the baseline). */
  discover: boolean;
}

const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;
const CALL_TIMEOUT_MS = 30_000;
const HANDSHAKE_TIMEOUT_MS = 10_000;
const tsx = ['--import', 'tsx'];
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const CLI = here('../cli/main.ts');
const BUILT_CLI = here('../dist/cli/main.js');

/**
 * `mcpcert serve`, from source through tsx (as the tests run it) unless `fromDist`; with
 * `profileDir`, every server process writes a V8 CPU profile there when it exits.
 */
function oursKind(fromDist: boolean, profileDir: string | undefined): ServerKind {
  const node = [...(profileDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', profileDir]), ...(fromDist ? [] : tsx)];
  const main = fromDist ? BUILT_CLI : CLI;
  const shown = `node ${[...node, fromDist ? 'dist/cli/main.js' : 'cli/main.ts'].join(' ')}`;
  return {
    name: 'mcpcert',
    discover: true,
    describe: (t) => `${shown} serve --transport ${t}${t === 'http' ? ' --port 0' : ''} (${fromDist ? 'built dist/, as compiled by the last npm run build' : 'from source, not dist/'})`,
    start: (t) =>
      t === 'stdio'
        ? startStdio(process.execPath, [...node, main, 'serve', '--transport', 'stdio'])
        : startHttp(process.execPath, [...node, main, 'serve', '--transport', 'http', '--port', '0'], { readyOn: 'stdout', ready: /^READY http (\S+)$/m, url: (m) => m }),
  };
}

const plain: ServerKind = {
  name: 'plain',
  discover: false,
  describe: (t) => (t === 'stdio' ? 'bench/fixtures/plain-stdio-reply.ts (NDJSON child, fixed reply)' : 'bench/fixtures/plain-http-reply.ts (node:http child, fixed reply)'),
  start: (t) =>
    t === 'stdio'
      ? startStdio(process.execPath, [...tsx, here('./fixtures/plain-stdio-reply.ts')])
      : startHttp(process.execPath, [...tsx, here('./fixtures/plain-http-reply.ts')], { readyOn: 'stdout', ready: /^READY http (\S+)$/m, url: (m) => m }),
};

/** The installed @modelcontextprotocol/server-everything: its version and entry script. */
interface Everything {
  version: string;
  entry: string;
}

async function findEverything(): Promise<Everything | undefined> {
  let manifestPath: string;
  try {
    manifestPath = createRequire(import.meta.url).resolve('@modelcontextprotocol/server-everything/package.json');
  } catch {
    return undefined;
  }
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as { version: string; bin?: Record<string, string> | string };
  const bin = typeof manifest.bin === 'string' ? manifest.bin : (manifest.bin?.['mcp-server-everything'] ?? 'dist/index.js');
  return { version: manifest.version, entry: join(dirname(manifestPath), bin) };
}

function everythingKind(pkg: Everything): ServerKind {
  const preload = here('./fixtures/loopback-listen.ts');
  return {
    name: `everything ${pkg.version}`,
    discover: true,
    describe: (t) => (t === 'stdio' ? `node ${pkg.entry} stdio` : `PORT=0 node --import tsx --import bench/fixtures/loopback-listen.ts ${pkg.entry} streamableHttp (stdout, one log line per POST, to /dev/null)`),
    start: (t) =>
      t === 'stdio'
        ? startStdio(process.execPath, [pkg.entry, 'stdio'])
        : // It binds every interface on $PORT (default 3001) with no host option: the preload
          // pins it to loopback and tells us the port it got.
          startHttp(process.execPath, [...tsx, '--import', preload, pkg.entry, 'streamableHttp'], {
            readyOn: 'stderr',
            ready: /^LISTENING (\S+)$/m,
            url: (hostPort) => `http://${hostPort}/mcp`,
            env: { ...process.env, PORT: '0' },
          }),
  };
}

async function startStdio(command: string, args: string[]): Promise<Served> {
  const connection = await spawnStdio(command, args, { startTimeoutMs: START_TIMEOUT_MS, closeTimeoutMs: STOP_TIMEOUT_MS });
  const pid = connection.pid;
  if (pid === undefined) throw new Error(`${command} ${args.join(' ')} started without a pid`);
  return { connection, pid, stop: () => connection.close() };
}

interface HttpLaunch {
  /** The stream that announces readiness; the other one is discarded. */
  readyOn: 'stdout' | 'stderr';
  ready: RegExp;
  url: (match: string) => string;
  env?: NodeJS.ProcessEnv;
}

/** Starts an HTTP server process, waits (bounded) for its readiness line, and connects. */
async function startHttp(command: string, args: string[], launch: HttpLaunch): Promise<Served> {
  const child = spawn(command, args, {
    env: launch.env ?? process.env,
    stdio: ['ignore', launch.readyOn === 'stdout' ? 'pipe' : 'ignore', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    // A process that could not be spawned never exits: count its spawn error as the end.
    child.once('error', () => resolve());
  });
  let stderrTail = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (d: string) => (stderrTail = (stderrTail + d).slice(-4000)));
  const stopProcess = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  };
  const readyStream = launch.readyOn === 'stdout' ? child.stdout : child.stderr;
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${args.join(' ')} did not announce readiness within ${START_TIMEOUT_MS} ms; stderr: ${stderrTail}`)), START_TIMEOUT_MS);
      let seen = '';
      let isReady = false;
      readyStream?.setEncoding('utf8');
      // Keeps draining after the match, so a chatty server never blocks on a full pipe.
      readyStream?.on('data', (d: string) => {
        if (isReady) return;
        seen += d;
        const match = launch.ready.exec(seen);
        if (!match?.[1]) return;
        isReady = true;
        clearTimeout(timer);
        resolve(launch.url(match[1]));
      });
      void exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`${args.join(' ')} exited before it was ready; stderr: ${stderrTail}`));
      });
    });
    const connection = await connectHttp(url, { requestTimeoutMs: CALL_TIMEOUT_MS });
    if (child.pid === undefined) throw new Error(`${command} started without a pid`);
    return {
      connection,
      pid: child.pid,
      stop: async () => {
        await connection.close();
        await stopProcess();
      },
    };
  } catch (err) {
    await stopProcess();
    throw err;
  }
}

/**
 * The MCP handshake, then the echo call, checked once for the right answer so a run never
 * measures errors. The same code for every server: only the server differs between rows.
 */
async function openEcho(served: Served, discover: boolean): Promise<() => Promise<void>> {
  const peer = new RpcPeer(served.connection, { timeoutMs: CALL_TIMEOUT_MS });
  const init = await peer.request('initialize', { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'mcpcert-bench', version: '1' } }, { timeoutMs: HANDSHAKE_TIMEOUT_MS });
  if (served.connection instanceof HttpClientConnection && typeof init.protocolVersion === 'string') served.connection.setProtocolVersion(init.protocolVersion);
  await peer.notify('notifications/initialized');
  const argument = discover ? await echoArgument(peer) : 'text';
  const params: JsonObject = { name: 'echo', arguments: { [argument]: 'hello' } };
  const first = await peer.request('tools/call', params);
  const texts = Array.isArray(first.content) ? first.content.map((c) => (c !== null && typeof c === 'object' && !Array.isArray(c) ? c.text : undefined)) : [];
  if (first.isError === true || !texts.some((t) => typeof t === 'string' && t.includes('hello'))) {
    throw new Error(`echo did not echo: ${JSON.stringify(first).slice(0, 300)}`);
  }
  return async () => {
    const result = await peer.request('tools/call', params);
    if (result.isError === true) throw new Error(`echo failed: ${JSON.stringify(result).slice(0, 300)}`);
  };
}

/** The first string property of the echo tool's inputSchema (`text` for us, `message` for server-everything). */
async function echoArgument(peer: RpcPeer): Promise<string> {
  let cursor: string | undefined;
  for (let page = 0; page < 20; page++) {
    const listed = await peer.request('tools/list', cursor === undefined ? {} : { cursor });
    const tools = Array.isArray(listed.tools) ? listed.tools : [];
    for (const tool of tools) {
      if (tool === null || typeof tool !== 'object' || Array.isArray(tool) || tool.name !== 'echo') continue;
      const schema = tool.inputSchema;
      const properties = schema !== null && typeof schema === 'object' && !Array.isArray(schema) ? schema.properties : undefined;
      if (properties === null || typeof properties !== 'object' || Array.isArray(properties)) break;
      const found = Object.entries(properties).find(([, p]) => p !== null && typeof p === 'object' && !Array.isArray(p) && p.type === 'string');
      if (found) return found[0];
      break;
    }
    if (typeof listed.nextCursor !== 'string') break;
    cursor = listed.nextCursor;
  }
  throw new Error('the server has no echo tool with a string argument in tools/list');
}

interface Measured {
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU time per completed call, in µs, of the server process and of this (client) process. */
  serverCpuUs: number;
  clientCpuUs: number;
}

/** User + system CPU time of a process in µs, from /proc (USER_HZ is 100 on Linux). */
async function processCpuUs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  // Fields after the parenthesised command name, which may itself contain spaces.
  const fields = stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
  if (!fields) return Number.NaN;
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

function ownCpuUs(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

/**
 * Keeps `inFlight` calls outstanding: `warmupMs` discarded, then `durationMs` counted, every
 * completed call's latency recorded (µs) in an HDR histogram, and the CPU both processes
 * spent in the window. The first failure ends the run.
 */
async function closedLoop(call: () => Promise<void>, inFlight: number, durationMs: number, warmupMs: number, serverPid: number): Promise<Measured> {
  const histogram = build({ lowestDiscernibleValue: 1, highestTrackableValue: CALL_TIMEOUT_MS * 1000, numberOfSignificantValueDigits: 3 });
  let phase: 'warmup' | 'measure' | 'stop' = 'warmup';
  let completed = 0;
  let failure: unknown;
  const worker = async (): Promise<void> => {
    while (phase !== 'stop') {
      const started = performance.now();
      await call();
      if (phase !== 'measure') continue;
      completed++;
      histogram.recordValue(Math.min(CALL_TIMEOUT_MS * 1000, Math.max(1, Math.round((performance.now() - started) * 1000))));
    }
  };
  let stopEarly!: () => void;
  const failed = new Promise<void>((resolve) => (stopEarly = resolve));
  const workers = Promise.all(Array.from({ length: inFlight }, () => worker().catch((err: unknown) => {
    failure ??= err;
    phase = 'stop';
    stopEarly();
  })));
  await Promise.race([sleep(warmupMs), failed]);
  const serverCpuAtStart = await processCpuUs(serverPid);
  const clientCpuAtStart = ownCpuUs();
  if (phase === 'warmup') phase = 'measure';
  const start = performance.now();
  await Promise.race([sleep(durationMs), failed]);
  const seconds = (performance.now() - start) / 1000;
  const counted = completed;
  const clientCpu = ownCpuUs() - clientCpuAtStart;
  const serverCpu = (await processCpuUs(serverPid)) - serverCpuAtStart;
  phase = 'stop';
  await workers;
  if (failure !== undefined) throw failure;
  return {
    perSecond: counted / seconds,
    p50Ms: histogram.getValueAtPercentile(50) / 1000,
    p99Ms: histogram.getValueAtPercentile(99) / 1000,
    serverCpuUs: serverCpu / counted,
    clientCpuUs: clientCpu / counted,
  };
}

async function measure(kind: ServerKind, transport: TransportName, inFlight: number, durationMs: number, warmupMs: number): Promise<Measured> {
  return labelled(`${kind.name} over ${transport}, ${inFlight} in flight`, async () => {
    const served = await kind.start(transport);
    try {
      return await closedLoop(await openEcho(served, kind.discover), inFlight, durationMs, warmupMs, served.pid);
    } finally {
      await served.stop();
    }
  });
}

/** Names the run that failed, so a broken server reads as such and not as a bare timeout. */
async function labelled<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw new Error(`${what}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

/** The process's resident set in KB (Linux /proc), or undefined where there is none. */
async function rssKb(pid: number): Promise<number | undefined> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => undefined);
  const kb = status === undefined ? undefined : /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
  return kb === undefined ? undefined : Number(kb);
}

interface RssRun {
  calls: number;
  seconds: number;
  /** [calls completed, RSS KB], taken every hundredth of the run. */
  samples: Array<[number, number]>;
}

/** `calls` echo calls over one session, 16 in flight, sampling the server's RSS every hundredth. */
async function rssRun(ours: ServerKind, transport: TransportName, calls: number): Promise<RssRun | undefined> {
  const served = await ours.start(transport);
  try {
    if ((await rssKb(served.pid)) === undefined) return undefined;
    const call = await openEcho(served, true);
    const step = Math.max(1, Math.floor(calls / 100));
    const samples: Array<Promise<[number, number]>> = [];
    let issued = 0;
    let completed = 0;
    const started = performance.now();
    const worker = async (): Promise<void> => {
      while (issued < calls) {
        issued++;
        await call();
        completed++;
        if (completed % step === 0) {
          const at = completed;
          samples.push(rssKb(served.pid).then((kb) => [at, kb ?? Number.NaN]));
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    const seconds = (performance.now() - started) / 1000;
    const taken = await Promise.all(samples);
    if (taken.at(-1)?.[0] !== completed) taken.push([completed, (await rssKb(served.pid)) ?? Number.NaN]);
    return { calls: completed, seconds, samples: taken };
  } finally {
    await served.stop();
  }
}

/** Least-squares slope of RSS KB over calls: the GC sawtooth makes any two samples noisy. */
function slope(points: Array<[number, number]>): number {
  const n = points.length;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  const sxy = points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0);
  const sxx = points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  return sxx === 0 ? Number.NaN : sxy / sxx;
}

function reportRss(transport: TransportName, run: RssRun): void {
  // Warm-up: the first tenth of the calls (20,000 of 200,000) grows the heap to its working size.
  const afterWarmup = run.samples.filter(([at]) => at >= run.calls / 10);
  const [warmAt, warmKb] = afterWarmup[0] ?? run.samples[0]!;
  const [endAt, endKb] = run.samples.at(-1)!;
  const growth = endAt > warmAt ? (endKb - warmKb) / (endAt - warmAt) : Number.NaN;
  const trend = slope(afterWarmup);
  const verdict = (v: number) => `${v.toFixed(4)} KB/call ${v <= RSS_GOAL_KB_PER_CALL ? 'met' : 'MISSED'}`;
  const mb = (kb: number) => (kb / 1024).toFixed(1);
  process.stdout.write(`rss ${transport}: ${run.calls} calls over one session, 16 in flight, ${run.seconds.toFixed(1)} s; server RSS ${mb(warmKb)} MB after ${warmAt} calls → ${mb(endKb)} MB after ${endAt}\n`);
  process.stdout.write(`  growth (end − warm-up) ${verdict(growth)}; trend (least squares over ${afterWarmup.length} samples) ${verdict(trend)}; goal ≤ ${RSS_GOAL_KB_PER_CALL}\n`);
  const tenth = Math.max(1, Math.round(run.samples.length / 10));
  const shown = run.samples.filter((_, i) => (i + 1) % tenth === 0);
  if (run.calls < 100_000) process.stdout.write(`  (under 100,000 calls the heap is still growing to its working size: this measures warm-up more than growth)\n`);
  process.stdout.write(`  samples (calls: MB): ${shown.map(([at, kb]) => `${at}: ${mb(kb)}`).join(', ')}; min ${mb(Math.min(...afterWarmup.map(([, kb]) => kb)))}, max ${mb(Math.max(...afterWarmup.map(([, kb]) => kb)))}\n`);
}

function printTable(rows: string[][]): void {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) process.stdout.write(`${r.map((c, i) => c.padEnd(widths[i]!)).join('  ')}\n`);
}

interface Goal {
  transport: TransportName;
  against: 'plain' | 'everything';
  atLeast: number;
}

/** The issue's goals: ours over the named server, per transport. */
const GOALS: readonly Goal[] = [
  { transport: 'http', against: 'plain', atLeast: 0.5 },
  { transport: 'http', against: 'everything', atLeast: 10 },
  { transport: 'stdio', against: 'plain', atLeast: 0.6 },
];
const RSS_GOAL_KB_PER_CALL = 0.1;

export async function main(args: string[]): Promise<void> {
  try {
    await run(args);
  } catch (err) {
    // A failed server is a result to read, not a crash to debug: one line, then exit 1.
    process.stderr.write(`bench reference: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}

async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { duration: { type: 'string' }, warmup: { type: 'string' }, only: { type: 'string' }, calls: { type: 'string' }, profile: { type: 'string' }, source: { type: 'boolean' } } });
  const durationMs = Number(values.duration ?? 3000);
  const warmupMs = Number(values.warmup ?? 1000);
  const calls = Number(values.calls ?? 200_000);
  const only = values.only?.split(',');
  const usage = (message: string): void => {
    process.stderr.write(`bench reference: ${message}\n`);
    process.exitCode = 2;
  };
  for (const [flag, value] of [['--duration', durationMs], ['--warmup', warmupMs], ['--calls', calls]] as const) {
    if (!Number.isInteger(value) || value < 0) return usage(`${flag} must be a whole number ≥ 0 (got ${String(value)})`);
  }
  if (durationMs === 0) return usage('--duration must be more than 0 ms');
  const unknown = only?.filter((t) => !TRANSPORTS.includes(t as TransportName)) ?? [];
  if (unknown.length > 0) return usage(`--only takes ${TRANSPORTS.join(',')} (got ${unknown.join(',')})`);
  const transports = TRANSPORTS.filter((t) => !only || only.includes(t));

  const pkg = await findEverything();
  if (!pkg) {
    process.stderr.write('bench reference: @modelcontextprotocol/server-everything is not installed; it is a devDependency of mcpcert: run `npm ci` (or `npm install`) in the checkout first\n');
    process.exitCode = 1;
    return;
  }
  const everything = everythingKind(pkg);
  // What users run is the build (`npm run bench` builds first); --source measures the sources through tsx.
  const fromDist = values.source !== true;
  if (fromDist && !existsSync(BUILT_CLI)) return usage('dist/cli/main.js does not exist: run `npm run build` first (npm run bench does), or pass --source');
  const ours = oursKind(fromDist, values.profile);
  const kinds = { ours, plain, everything };

  process.stdout.write(`node ${process.version}, ${durationMs} ms measured after ${warmupMs} ms warm-up per row, closed loop; latency p50/p99 in ms\n`);
  process.stdout.write('  client, the same for every server: spawnStdio / connectHttp + RpcPeer in this process, initialize, then tools/call echo "hello"\n');
  for (const t of transports) for (const k of Object.values(kinds)) process.stdout.write(`  ${t} ${k.name}: ${k.describe(t)}\n`);

  const rows: string[][] = [['transport', 'in flight', 'mcpcert msg/s', 'p50 ms', 'p99 ms', 'plain msg/s', 'vs plain', 'everything msg/s', 'vs everything']];
  const detail: string[][] = [['transport', 'in flight', 'server', 'msg/s', 'p50 ms', 'p99 ms', 'server cpu µs/call', 'client cpu µs/call']];
  const ratios = new Map<string, number>();
  for (const transport of transports) {
    for (const inFlight of [1, 16]) {
      // Back to back, so all three see the same machine state.
      const base = await measure(plain, transport, inFlight, durationMs, warmupMs);
      const mine = await measure(ours, transport, inFlight, durationMs, warmupMs);
      const theirs = await measure(everything, transport, inFlight, durationMs, warmupMs);
      const vsPlain = mine.perSecond / base.perSecond;
      const vsEverything = mine.perSecond / theirs.perSecond;
      ratios.set(`${transport} ${inFlight} plain`, vsPlain);
      ratios.set(`${transport} ${inFlight} everything`, vsEverything);
      rows.push([transport, String(inFlight), mine.perSecond.toFixed(0), mine.p50Ms.toFixed(2), mine.p99Ms.toFixed(2), base.perSecond.toFixed(0), vsPlain.toFixed(2), theirs.perSecond.toFixed(0), vsEverything.toFixed(2)]);
      for (const [kind, m] of [[ours, mine], [plain, base], [everything, theirs]] as const) {
        detail.push([transport, String(inFlight), kind.name, m.perSecond.toFixed(0), m.p50Ms.toFixed(2), m.p99Ms.toFixed(2), m.serverCpuUs.toFixed(0), m.clientCpuUs.toFixed(0)]);
      }
      process.stderr.write(`${transport} ×${inFlight}: mcpcert ${mine.perSecond.toFixed(0)}, plain ${base.perSecond.toFixed(0)}, everything ${theirs.perSecond.toFixed(0)} msg/s\n`);
    }
  }
  printTable(rows);
  process.stdout.write('\n');
  printTable(detail);
  process.stdout.write('\n');

  for (const goal of GOALS.filter((g) => transports.includes(g.transport))) {
    for (const inFlight of [1, 16]) {
      const ratio = ratios.get(`${goal.transport} ${inFlight} ${goal.against}`)!;
      process.stdout.write(`goal ${goal.transport} ×${inFlight}: mcpcert / ${goal.against} = ${ratio.toFixed(2)} (≥ ${goal.atLeast}) ${ratio >= goal.atLeast ? 'met' : 'MISSED'}\n`);
    }
  }

  if (calls === 0) return;
  for (const transport of transports) {
    const run = await labelled(`rss run of ${ours.name} over ${transport}`, () => rssRun(ours, transport, calls));
    if (!run) {
      process.stdout.write(`rss ${transport}: not measured (no /proc/PID/status on this system)\n`);
      continue;
    }
    reportRss(transport, run);
  }
}
