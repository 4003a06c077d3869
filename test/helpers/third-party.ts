/**
 * Starting third-party MCP servers for tests: each binds loopback only (through the
 * bench/fixtures/loopback-listen.ts preload, which also reports the port it got) and is
 * stopped, however the test ends.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PRELOAD = fileURLToPath(new URL('../../bench/fixtures/loopback-listen.ts', import.meta.url));
const START_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 3_000;

export interface RunningServer {
  /** http://127.0.0.1:PORT */
  origin: string;
  /** Everything the server wrote on stderr so far (for failure messages). */
  log(): string;
  stop(): Promise<void>;
}

/** A package file under node_modules, as a path. */
export function modulePath(relative: string): string {
  return fileURLToPath(new URL(`../../node_modules/${relative}`, import.meta.url));
}

/** Starts `node SCRIPT ARGS…` with the loopback preload; resolves once it listens. */
export async function startThirdParty(script: string, args: readonly string[] = [], env: Record<string, string> = {}): Promise<RunningServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', PRELOAD, script, ...args], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', MCPCERT_LISTEN_PORT: '0', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`${script} did not listen within ${START_TIMEOUT_MS} ms:\n${stderr}`)), START_TIMEOUT_MS);
    const fail = (err: Error): void => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(err);
    };
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-20_000);
      const match = /LISTENING 127\.0\.0\.1:(\d+)/.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once('error', fail);
    child.once('exit', (code, signal) => fail(new Error(`${script} exited (${code ?? signal}) before listening:\n${stderr}`)));
  });
  return { origin: `http://127.0.0.1:${port}`, log: () => stderr, stop: () => stop(child) };
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
