/**
 * The embedded default target (DESIGN.md "Command line": no TARGET): the reference server on
 * loopback for http, sse, ws and tcp, and as a child `mcpcert serve --transport stdio` for
 * stdio, from this very package (sources under tsx, or the build). The network listeners run
 * in a child `mcpcert serve --transport all` by default, so the server and the suite each
 * have a core; in this process on request (tests that want no extra process).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { NETWORK_TRANSPORTS } from '../reference/transports.js';
import { dataPath, packageRoot } from '../spec/paths.js';
import type { Listener } from '../transport/connection.js';
import { parseTarget, stdioTarget, type Target } from './target.js';

export interface Embedded {
  targets: Target[];
  close(): Promise<void>;
}

/** How to start this package's own CLI: the TypeScript entry under tsx when running from sources. */
export function ownCli(): { command: string; args: string[] } {
  const fromSources = fileURLToPath(import.meta.url).endsWith('.ts');
  return fromSources ? { command: process.execPath, args: ['--import', 'tsx', dataPath('cli', 'main.ts')] } : { command: process.execPath, args: [dataPath('dist', 'cli', 'main.js')] };
}

/**
 * How to start a stdio reference server. A run starts ~100 short-lived ones (one per fresh
 * session), so start-up CPU is most of what the embedded stdio target costs. Best: the
 * build's V8 startup snapshot (modules loaded, validators compiled), when it was made by this
 * very Node binary for this package directory; else the build's single-file bundle with V8's
 * optimizing compiler off (less CPU for processes this short); else the sources. The server
 * behaves exactly the same in all three.
 */
function stdioServerArgs(cli: { command: string; args: string[] }): string[] {
  const fromSources = fileURLToPath(import.meta.url).endsWith('.ts');
  if (fromSources) return ['--no-opt', ...cli.args, 'serve', '--transport', 'stdio'];
  const blob = dataPath('dist', 'reference', 'stdio-server.blob');
  if (snapshotUsable(blob)) return ['--snapshot-blob', blob];
  const bundle = dataPath('dist', 'reference', 'stdio-server.bundle.mjs');
  if (existsSync(bundle)) return ['--no-opt', bundle];
  return ['--no-opt', ...cli.args, 'serve', '--transport', 'stdio'];
}

/** Whether the blob's record (scripts/bundle-stdio.mjs) names this Node build and package directory. */
function snapshotUsable(blob: string): boolean {
  if (!existsSync(blob)) return false;
  try {
    const record = JSON.parse(readFileSync(`${blob}.json`, 'utf8')) as Record<string, unknown>;
    return record.node === process.version && record.platform === process.platform && record.arch === process.arch && record.root === packageRoot();
  } catch {
    // No record, or an unreadable one: the blob cannot be trusted to load.
    return false;
  }
}

export interface EmbeddedOptions {
  /** Run the network listeners in this process instead of a child (default: a child). */
  inProcess?: boolean;
}

/** Starts the listeners on 127.0.0.1, free ports. @throws when they cannot start (then nothing is left open). */
export async function startEmbedded(options: EmbeddedOptions = {}): Promise<Embedded> {
  const cli = ownCli();
  const stdio = stdioTarget(cli.command, stdioServerArgs(cli));
  const network = options.inProcess ? await listenHere() : await listenInChild(cli);
  return { targets: [stdio, ...network.targets], close: network.close };
}

async function listenHere(): Promise<Embedded> {
  // Loaded only here: a run against the child server needs none of the server's modules.
  const [{ populateDefault }, { listenAll }, { ReferenceServer }] = await Promise.all([import('../reference/populate.js'), import('../reference/serve.js'), import('../reference/server.js')]);
  const server = new ReferenceServer({ populate: populateDefault });
  let listeners: Listener[];
  try {
    listeners = await listenAll(server, NETWORK_TRANSPORTS, { host: '127.0.0.1', port: 0 });
  } catch (err) {
    await server.close();
    throw err;
  }
  return {
    targets: listeners.map((l) => parseTarget(l.target)),
    close: async () => {
      await Promise.all(listeners.map((l) => l.close()));
      await server.close();
    },
  };
}

const CHILD_START_TIMEOUT_MS = 20_000;
const CHILD_STOP_TIMEOUT_MS = 3_000;

/** `mcpcert serve --transport all --port 0` as a child; its READY lines name the targets. */
async function listenInChild(cli: { command: string; args: string[] }): Promise<Embedded> {
  // stdin stays open as a lifeline: the child exits when it closes, however this process ends.
  const child = spawn(cli.command, [...cli.args, 'serve', '--transport', 'all', '--port', '0'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, MCPCERT_EXIT_WITH_PARENT: '1' } });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_STOP_TIMEOUT_MS);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  const targets = await new Promise<Target[]>((resolve, reject) => {
    const found = new Map<string, Target>();
    let stdout = '';
    const fail = (reason: string): void => {
      clearTimeout(timer);
      void stop().then(() => reject(new Error(`${reason}${stderr === '' ? '' : `: ${stderr.trim()}`}`)));
    };
    const timer = setTimeout(() => fail(`the reference server did not start within ${CHILD_START_TIMEOUT_MS} ms`), CHILD_START_TIMEOUT_MS);
    child.once('error', (err) => fail(`cannot start the reference server: ${err.message}`));
    child.once('exit', (code, signal) => fail(`the reference server exited (${code ?? signal}) before it was ready`));
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      for (const match of stdout.matchAll(/^READY (\S+) (\S+)$/gm)) found.set(match[1]!, parseTarget(match[2]!));
      if (NETWORK_TRANSPORTS.every((t) => found.has(t))) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve(NETWORK_TRANSPORTS.map((t) => found.get(t)!));
      }
    });
  });
  return { targets, close: stop };
}
