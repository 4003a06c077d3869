/**
 * Keeping the client's SSE streams alive: a POST stream that drops before its responses is
 * resumed with GET + Last-Event-ID (2025-11-25: resumption is always via GET), and the GET
 * stream is reopened when it ends. The connection supplies the I/O through `StreamHost`.
 */
import type { Readable } from 'node:stream';
import type { HttpMeta } from '../connection.js';
import { TransportError } from '../errors.js';
import type { SseOutcome } from './client-sse.js';

export interface OpenStream {
  body: Readable;
  controller: AbortController;
  http: HttpMeta;
  /** Which HTTP answer carried it (`POST#3`, `GET#4`), for `meta.sse.streamId`. */
  label: string;
}

export interface StreamState {
  lastEventId?: string;
  /** The server's last `retry` value, which the client MUST respect. */
  retryMs?: number;
}

export interface StandaloneRun {
  stopped: boolean;
  controller?: AbortController;
}

export type GetResult =
  | { kind: 'stream'; stream: OpenStream }
  /** 405: the server offers no GET stream. */
  | { kind: 'none' }
  /** 404 for our session id: the server ended the session. */
  | { kind: 'gone'; error: TransportError }
  /** Nobody listens any more: the server is gone. */
  | { kind: 'refused'; error: TransportError }
  | { kind: 'error'; error: TransportError };

export interface StreamHost {
  readonly isStopped: boolean;
  readonly maxAttempts: number;
  readonly reconnectDelayMs: number;
  readonly timeoutMs: number;
  /** Reads one stream to its end; answered request ids leave `pending`. */
  consume(stream: OpenStream, state: StreamState, pending: Set<string> | undefined): Promise<SseOutcome>;
  openGet(lastEventId: string | undefined, run: StandaloneRun | undefined, bodyTimeoutMs: number): Promise<GetResult>;
  sleep(ms: number): Promise<void>;
  closeRemote(reason: string, error: TransportError): void;
  reportError(error: TransportError): void;
}

/** Follows the SSE answer to a POST until every request in it is answered, resuming it if it drops. */
export async function followPostStream(host: StreamHost, first: OpenStream, pending: Set<string>): Promise<void> {
  const state: StreamState = {};
  let current = first;
  let attempts = 0;
  for (;;) {
    const outcome = await host.consume(current, state, pending);
    if (host.isStopped || pending.size === 0 || outcome.failed) return;
    if (outcome.events > 0) attempts = 0;
    if (state.lastEventId === undefined) {
      host.reportError(new TransportError('MCPCERT_ERR_PROTOCOL', `the SSE answer to a POST ended before answering ${pending.size} request(s) and carried no event id to resume from`));
      return;
    }
    let next: OpenStream | undefined;
    while (!next) {
      if (++attempts > host.maxAttempts) {
        host.reportError(new TransportError('MCPCERT_ERR_CONNECT', `gave up resuming an SSE stream after ${host.maxAttempts} attempts (Last-Event-ID ${state.lastEventId})`));
        return;
      }
      await host.sleep(state.retryMs ?? host.reconnectDelayMs);
      if (host.isStopped) return;
      const result = await host.openGet(state.lastEventId, undefined, host.timeoutMs);
      if (result.kind === 'stream') next = result.stream;
      else if (result.kind === 'gone') return host.closeRemote(result.error.message, result.error);
      else if (result.kind === 'none') return host.reportError(new TransportError('MCPCERT_ERR_HTTP_STATUS', 'the server answered GET with 405, so a lost SSE stream cannot be resumed', { status: 405 }));
      else host.reportError(result.error);
    }
    current = next;
  }
}

/**
 * Keeps the GET stream open: reopens it (with Last-Event-ID) whenever it ends. A 404 or a
 * refused connection on reopening means the session or the server is gone, which closes the
 * connection; streams that end without delivering anything are given up after `maxAttempts`.
 */
export async function followStandalone(host: StreamHost, first: OpenStream, run: StandaloneRun): Promise<void> {
  const state: StreamState = {};
  let current: OpenStream | undefined = first;
  let failures = 0;
  while (!host.isStopped && !run.stopped) {
    if (current) {
      const outcome = await host.consume(current, state, undefined);
      if (host.isStopped || run.stopped) return;
      if (outcome.failed) break;
      failures = outcome.events > 0 ? 0 : failures + 1;
    }
    if (failures > host.maxAttempts) {
      host.reportError(new TransportError('MCPCERT_ERR_CONNECT', `the GET stream ended ${failures} times in a row without delivering anything; not reopening it`));
      break;
    }
    await host.sleep(state.retryMs ?? host.reconnectDelayMs);
    if (host.isStopped || run.stopped) return;
    const next = await host.openGet(state.lastEventId, run, 0);
    current = undefined;
    if (next.kind === 'stream') current = next.stream;
    else if (next.kind === 'none') break;
    else if (next.kind === 'gone' || next.kind === 'refused') return host.closeRemote(`the GET stream ended and could not be reopened: ${next.error.message}`, next.error);
    else {
      host.reportError(next.error);
      failures++;
    }
  }
  run.stopped = true;
}
