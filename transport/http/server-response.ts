/**
 * Writing HTTP answers on the server side: plain JSON bodies and SSE streams. Every write is
 * bounded by a timeout so a client that stops reading cannot hold a sender forever.
 */
import type { ServerResponse } from 'node:http';
import { encode } from '../codec.js';
import { formatSseEvent } from '../framing/sse.js';
import type { JsonRpcPayload } from '../jsonrpc.js';
import { closedError, TransportError } from '../errors.js';
import type { StoredEvent } from './event-store.js';
import { JSON_TYPE, SSE_TYPE } from './headers.js';

export const DEFAULT_WRITE_TIMEOUT_MS = 30_000;

/** True while bytes written to `res` can still reach the client. */
export function isWritable(res: ServerResponse): boolean {
  return !res.destroyed && !res.writableEnded;
}

/** Sends a complete JSON (or empty) answer; never throws, even if the client is gone. */
export function sendJson(res: ServerResponse, status: number, body: JsonRpcPayload | undefined, headers: Record<string, string> = {}): Promise<void> {
  if (res.headersSent || !isWritable(res)) return Promise.resolve();
  const text = body === undefined ? '' : encode(body);
  const head: Record<string, string | number> = { ...headers, 'content-length': Buffer.byteLength(text) };
  if (body !== undefined) head['content-type'] = JSON_TYPE;
  return new Promise((resolve) => {
    res.once('close', () => resolve());
    res.writeHead(status, head);
    res.end(text, () => resolve());
  });
}

/** Starts an SSE answer. `X-Accel-Buffering: no` keeps reverse proxies from holding events back. */
export function startSse(res: ServerResponse, headers: Record<string, string>): void {
  if (res.headersSent || !isWritable(res)) return;
  res.writeHead(200, {
    ...headers,
    'content-type': SSE_TYPE,
    'cache-control': 'no-cache, no-transform',
    'x-accel-buffering': 'no',
  });
  res.flushHeaders();
}

/**
 * Writes one SSE event. Resolves when it reached the socket; rejects if the client went away
 * or did not read it within `timeoutMs` (the response is then destroyed).
 */
export function writeEvent(res: ServerResponse, event: StoredEvent, timeoutMs: number): Promise<void> {
  const chunk = event.data === '' ? formatSseEvent({ id: event.id, data: '' }) : formatSseEvent({ id: event.id, event: 'message', data: event.data });
  return writeBounded(res, chunk, timeoutMs);
}

/** An SSE `retry` field alone: tells the client how long to wait before reconnecting. */
export function writeRetry(res: ServerResponse, retryMs: number, timeoutMs: number): Promise<void> {
  return writeBounded(res, `retry: ${Math.max(0, Math.floor(retryMs))}\n\n`, timeoutMs);
}

type Settle = (error?: Error) => void;
const pendingWrites = new WeakMap<ServerResponse, Set<Settle>>();

/**
 * `res.write`'s callback is never called once the socket is destroyed under it (seen on Node
 * 20), so each pending write is also settled by the response's 'close' and by a timeout.
 */
function writeBounded(res: ServerResponse, chunk: string, timeoutMs: number): Promise<void> {
  if (!isWritable(res) || res.socket === null || res.socket.destroyed) return Promise.reject(closedError('SSE stream'));
  let pending = pendingWrites.get(res);
  if (!pending) {
    const settles = new Set<Settle>();
    pending = settles;
    pendingWrites.set(res, settles);
    res.once('close', () => {
      for (const settle of [...settles]) settle(closedError('SSE stream'));
    });
  }
  const settles = pending;
  return new Promise((resolve, reject) => {
    const settle: Settle = (error) => {
      if (!settles.delete(settle)) return;
      clearTimeout(timer);
      if (error) reject(error);
      else resolve();
    };
    const timer = setTimeout(() => {
      settle(new TransportError('MCPCERT_ERR_TIMEOUT', `the client did not read an SSE event within ${timeoutMs} ms`));
      res.destroy();
    }, timeoutMs);
    settles.add(settle);
    res.write(chunk, (error) => settle(error ?? undefined));
  });
}

/** Ends a response; resolves once it is flushed or the socket is gone. */
export function endResponse(res: ServerResponse): Promise<void> {
  if (res.writableFinished || res.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    res.once('close', () => resolve());
    res.once('finish', () => resolve());
    if (!res.headersSent) res.writeHead(200);
    if (!res.writableEnded) res.end();
  });
}
