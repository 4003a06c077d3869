/**
 * The client side of stdio: spawn the server, speak NDJSON on its stdin/stdout, surface its
 * stderr as `log` lines, and shut it down the way the spec asks (close stdin, wait, SIGTERM,
 * wait, SIGKILL), so no child outlives its connection.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { CommonOptions } from '../connection.js';
import { TransportError } from '../errors.js';
import { NdjsonConnection } from '../ndjson-connection.js';
import { StderrLines } from './stderr-lines.js';

export interface StdioClientOptions extends CommonOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** How long to wait for the process to start (default 10 s). */
  startTimeoutMs?: number;
  /** Grace after closing stdin before SIGTERM, and after SIGTERM before SIGKILL (default 2 s each). */
  closeTimeoutMs?: number;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export class StdioClientConnection extends NdjsonConnection {
  readonly child: ChildProcessWithoutNullStreams;
  readonly command: string;
  #exit: ExitInfo | undefined;
  readonly #exited: Promise<ExitInfo>;

  constructor(child: ChildProcessWithoutNullStreams, command: string, options: StdioClientOptions) {
    const closeTimeoutMs = options.closeTimeoutMs ?? 2000;
    super({
      transport: 'stdio',
      input: child.stdout,
      output: child.stdin,
      ...(options.maxMessageBytes === undefined ? {} : { maxMessageBytes: options.maxMessageBytes }),
      dispose: () => this.#stop(closeTimeoutMs),
    });
    this.child = child;
    this.command = command;
    this.#exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.#exit = { code, signal };
        resolve(this.#exit);
      });
    });
    const stderr = new StderrLines();
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk).forEach((line) => this.emitLog(line)));
    child.stderr.on('end', () => stderr.end().forEach((line) => this.emitLog(line)));
    // The child can die without closing stdout first (e.g. killed by a signal with a grandchild holding the pipe).
    child.once('exit', (code, signal) => this.remoteClosed(`the server process exited (${describeExit({ code, signal })})`));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** The exit status, once the process has exited. */
  get exit(): ExitInfo | undefined {
    return this.#exit;
  }

  async #stop(graceMs: number): Promise<void> {
    if (this.#exit) return;
    this.child.stdin.end();
    if (await exitedWithin(this.#exited, graceMs)) return;
    this.child.kill('SIGTERM');
    if (await exitedWithin(this.#exited, graceMs)) return;
    this.child.kill('SIGKILL');
    await exitedWithin(this.#exited, graceMs);
  }
}

export function describeExit(exit: ExitInfo): string {
  return exit.signal ? `signal ${exit.signal}` : `exit code ${String(exit.code)}`;
}

function exitedWithin(exited: Promise<ExitInfo>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    exited.then(() => true),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Spawns `command args…` and resolves once the process is running. */
export function spawnStdio(command: string, args: readonly string[] = [], options: StdioClientOptions = {}): Promise<StdioClientConnection> {
  const startTimeoutMs = options.startTimeoutMs ?? 10_000;
  return new Promise((resolve, reject) => {
    let child: ChildProcessWithoutNullStreams;
    try {
      child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    } catch (err) {
      reject(new TransportError('MCPCERT_ERR_PROCESS', `cannot start ${command}: ${(err as Error).message}`, { cause: err }));
      return;
    }
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new TransportError('MCPCERT_ERR_TIMEOUT', `${command} did not start within ${startTimeoutMs} ms`));
    }, startTimeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new TransportError('MCPCERT_ERR_PROCESS', `cannot start ${command}: ${err.message}`, { cause: err }));
    });
    child.once('spawn', () => {
      clearTimeout(timer);
      resolve(new StdioClientConnection(child, command, options));
    });
  });
}
