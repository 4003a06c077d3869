/**
 * Client side of the legacy HTTP+SSE transport (MCP 2024-11-05, spec digest §B.3): GET the
 * SSE stream, wait for the `endpoint` event, then POST each message there. POSTs go out one
 * at a time, so the server sees messages in the order they were sent, as on every other
 * transport (parallel POSTs may overtake each other on separate sockets).
 */
import type { Readable } from 'node:stream';
import { Agent, request, type Dispatcher } from 'undici';
import { encode } from '../codec.js';
import { BaseConnection, DEFAULT_MAX_MESSAGE_BYTES, type CommonOptions, type HttpMeta } from '../connection.js';
import { clip, closedError, timeoutError, TransportError } from '../errors.js';
import { SseReader, type SseItem } from '../framing/sse.js';
import type { JsonRpcPayload } from '../jsonrpc.js';
import { flattenHeaders } from '../http-common.js';

export interface SseConnectOptions extends CommonOptions {
  /** Extra headers on the GET and on every POST, e.g. `Authorization`. */
  headers?: Record<string, string>;
  /** Bound on opening the stream and receiving the `endpoint` event (default 10 s). */
  connectTimeoutMs?: number;
  /** Bound on each POST, until its response has been read (default 30 s). */
  postTimeoutMs?: number;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
const DEFAULT_POST_TIMEOUT_MS = 30_000;
/** How much of an error response body is kept as evidence. */
const ERROR_BODY_LIMIT = 64 * 1024;

/** Accepts `sse+http://…` targets as well as plain `http(s)://` URLs. */
export function sseUrl(target: string | URL): URL {
  const text = typeof target === 'string' ? target : target.href;
  let url: URL;
  try {
    url = new URL(text.replace(/^sse\+/i, ''));
  } catch {
    throw new TransportError('MCPCERT_ERR_CONNECT', `not a URL: ${clip(text, 200)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TransportError('MCPCERT_ERR_CONNECT', `an SSE target must be sse+http(s):// or http(s)://, got ${url.protocol}`);
  }
  return url;
}

/** Reads at most `limit` bytes of a body as text, then drops the rest. */
async function readSome(body: Readable, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      const buffer = chunk as Buffer;
      chunks.push(buffer);
      size += buffer.length;
      if (size >= limit) break;
    }
  } catch {
    // A body cut short is still evidence; keep what arrived.
  } finally {
    body.destroy();
  }
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8');
}

function isTimeout(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT';
}

function describeError(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

interface StreamParts {
  url: URL;
  agent: Agent;
  abort: AbortController;
  body: Dispatcher.ResponseData['body'];
  http: HttpMeta;
  headers: Record<string, string>;
  maxMessageBytes: number;
  postTimeoutMs: number;
}

export class SseClientConnection extends BaseConnection {
  readonly transport = 'sse' as const;
  /** The SSE stream URL. */
  readonly url: URL;
  readonly #agent: Agent;
  readonly #abort: AbortController;
  readonly #body: Dispatcher.ResponseData['body'];
  /** Status and headers of the GET stream, shared by every message read from it. */
  readonly #http: HttpMeta;
  readonly #headers: Record<string, string>;
  readonly #postTimeoutMs: number;
  readonly #reader: SseReader;
  #endpoint: URL | undefined;
  #endpointWaiter: { resolve: () => void; reject: (error: TransportError) => void } | undefined;
  #connectFailure: TransportError | undefined;
  /** Until the caller holds the connection, what arrives is kept here, so nothing is lost. */
  #backlog: (() => void)[] | undefined = [];
  #queue: Promise<unknown> = Promise.resolve();
  #closing: Promise<void> | undefined;

  /** Use connectSse(). */
  constructor(parts: StreamParts) {
    super();
    this.url = parts.url;
    this.#agent = parts.agent;
    this.#abort = parts.abort;
    this.#body = parts.body;
    this.#http = parts.http;
    this.#headers = parts.headers;
    this.#postTimeoutMs = parts.postTimeoutMs;
    this.#reader = new SseReader(parts.maxMessageBytes);
    this.#body.on('data', this.#onData);
    this.#body.on('end', () => this.#streamEnded('the server ended the SSE stream'));
    this.#body.on('error', (err: Error) => {
      if (this.#closing) return;
      const error = new TransportError('MCPCERT_ERR_CLOSED', `the SSE stream failed: ${err.message}`, { cause: err });
      this.#streamEnded(error.message, error);
    });
  }

  /** Where messages are POSTed: the `endpoint` event resolved against the stream URL. */
  get endpoint(): URL | undefined {
    return this.#endpoint;
  }

  send(payload: JsonRpcPayload): Promise<void> {
    if (this.closed || this.#closing) return Promise.reject(closedError('sse send'));
    const text = encode(payload);
    const sent = this.#queue.then(() => this.#post(text));
    this.#queue = sent.catch(() => undefined);
    return sent;
  }

  close(reason = 'closed by the client'): Promise<void> {
    this.#closing ??= this.#shutdown('local', reason);
    return this.#closing;
  }

  /** Resolves on the endpoint event; for connectSse only. */
  waitForEndpoint(): Promise<void> {
    if (this.#endpoint) return Promise.resolve();
    if (this.#connectFailure) return Promise.reject(this.#connectFailure);
    return new Promise((resolve, reject) => {
      this.#endpointWaiter = { resolve, reject };
    });
  }

  #failConnect(error: TransportError): void {
    this.#connectFailure ??= error;
    this.#endpointWaiter?.reject(error);
    this.#endpointWaiter = undefined;
  }

  /** Delivers what arrived while connecting, after the caller had a chance to listen. For connectSse only. */
  goLive(): void {
    const backlog = this.#backlog ?? [];
    this.#backlog = undefined;
    for (const step of backlog) step();
  }

  #later(step: () => void): void {
    if (this.#backlog) this.#backlog.push(step);
    else step();
  }

  async #post(text: string): Promise<void> {
    if (this.closed || this.#closing) throw closedError('sse send');
    const endpoint = this.#endpoint!;
    let response: Dispatcher.ResponseData;
    try {
      response = await request(endpoint, {
        dispatcher: this.#agent,
        method: 'POST',
        headers: { ...this.#headers, 'content-type': 'application/json' },
        body: text,
        signal: this.#abort.signal,
        headersTimeout: this.#postTimeoutMs,
        bodyTimeout: this.#postTimeoutMs,
      });
    } catch (err) {
      if (this.#closing || this.closed) throw closedError('sse send');
      if (isTimeout(err)) throw timeoutError(`POST ${endpoint.pathname}`, this.#postTimeoutMs);
      throw new TransportError('MCPCERT_ERR_CONNECT', `POST ${endpoint.href} failed: ${describeError(err)}`, { cause: err });
    }
    if (response.statusCode < 200 || response.statusCode > 299) {
      const raw = await readSome(response.body, ERROR_BODY_LIMIT);
      throw new TransportError('MCPCERT_ERR_HTTP_STATUS', `POST ${endpoint.pathname} answered HTTP ${response.statusCode}`, {
        status: response.statusCode,
        headers: flattenHeaders(response.headers),
        raw: clip(raw),
      });
    }
    // The 202 body carries nothing; draining it returns the socket to the pool.
    await response.body.dump({ limit: ERROR_BODY_LIMIT }).catch(() => undefined);
  }

  readonly #onData = (chunk: Buffer): void => {
    for (const item of this.#reader.push(chunk)) this.#onItem(item);
    if (this.#reader.failed) {
      this.#body.off('data', this.#onData);
      const error = new TransportError('MCPCERT_ERR_FRAME_TOO_LARGE', 'the SSE stream became unreadable after an oversize event');
      this.#streamEnded(error.message, error);
    }
  };

  #onItem(item: SseItem): void {
    const receivedAt = Date.now();
    if (item.type === 'error') {
      this.#later(() => this.emitError(item.error));
      return;
    }
    if (item.type !== 'event') return; // Comments are keep-alives; `retry` means nothing without reconnection.
    const { event } = item;
    const type = event.event ?? 'message';
    if (type === 'endpoint') {
      this.#onEndpoint(event.data);
      return;
    }
    if (type !== 'message') {
      const error = new TransportError('MCPCERT_ERR_PROTOCOL', `unexpected SSE event type "${clip(type, 100)}" on a 2024-11-05 stream`, { raw: clip(event.data) });
      this.#later(() => this.emitError(error));
      return;
    }
    const sse = event.id === undefined ? { event: type } : { event: type, id: event.id };
    // The reader's byte count is per chunk, not per event; the data length is exact.
    const meta = { transport: 'sse' as const, receivedAt, bytes: Buffer.byteLength(event.data), sse, http: this.#http };
    const withSession = this.sessionId === undefined ? meta : { ...meta, sessionId: this.sessionId };
    this.#later(() => this.receiveFrame(event.data, withSession));
  }

  #onEndpoint(data: string): void {
    if (this.#endpoint) {
      const error = new TransportError('MCPCERT_ERR_PROTOCOL', 'a second endpoint event arrived; keeping the first', { raw: clip(data) });
      this.#later(() => this.emitError(error));
      return;
    }
    let endpoint: URL;
    try {
      endpoint = new URL(data.trim(), this.url);
    } catch {
      this.#failConnect(new TransportError('MCPCERT_ERR_PROTOCOL', 'the endpoint event does not hold a URI', { raw: clip(data) }));
      return;
    }
    // Following an endpoint on another origin would let a server aim our POSTs (and their
    // Authorization header) at any host.
    if (endpoint.origin !== this.url.origin) {
      this.#failConnect(
        new TransportError('MCPCERT_ERR_PROTOCOL', `the endpoint event names origin ${endpoint.origin}, not the stream's origin ${this.url.origin}; refusing to POST there`, { raw: clip(data) }),
      );
      return;
    }
    this.#endpoint = endpoint;
    this.sessionId = endpoint.searchParams.get('sessionId') ?? undefined;
    this.#endpointWaiter?.resolve();
    this.#endpointWaiter = undefined;
  }

  #streamEnded(reason: string, error?: TransportError): void {
    if (!this.#endpoint) {
      this.#failConnect(error ?? new TransportError('MCPCERT_ERR_CONNECT', `${reason} before sending the endpoint event`));
      return;
    }
    this.#later(() => {
      this.#closing ??= this.#shutdown('remote', reason, error);
    });
  }

  async #shutdown(by: 'local' | 'remote', reason: string, error?: TransportError): Promise<void> {
    this.#failConnect(closedError('waiting for the endpoint event'));
    this.#abort.abort();
    this.#body.off('data', this.#onData);
    this.#body.destroy();
    await this.#agent.destroy().catch(() => undefined);
    this.markClosed(error ? { by, reason, error } : { by, reason });
  }
}

/**
 * Opens a legacy HTTP+SSE connection: resolves once the server has announced its POST
 * endpoint. Rejects with MCPCERT_ERR_TIMEOUT after `connectTimeoutMs`, MCPCERT_ERR_HTTP_STATUS
 * or MCPCERT_ERR_CONTENT_TYPE for a GET that did not open a stream, MCPCERT_ERR_PROTOCOL for an
 * unusable or cross-origin endpoint, MCPCERT_ERR_CONNECT otherwise. Nothing is left open on failure.
 */
export async function connectSse(target: string | URL, options: SseConnectOptions = {}): Promise<SseClientConnection> {
  const url = sseUrl(target);
  const timeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.headers ?? {})) headers[name.toLowerCase()] = value;
  const agent = new Agent();
  const abort = new AbortController();
  let connection: SseClientConnection | undefined;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timeoutError(`waiting for the endpoint event from ${url.href}`, timeoutMs)), timeoutMs);
  });
  const open = async (): Promise<SseClientConnection> => {
    let response: Dispatcher.ResponseData;
    try {
      response = await request(url, {
        dispatcher: agent,
        method: 'GET',
        headers: { ...headers, accept: 'text/event-stream', 'cache-control': 'no-cache' },
        signal: abort.signal,
        headersTimeout: timeoutMs,
        // The stream may stay silent for as long as the session lives.
        bodyTimeout: 0,
      });
    } catch (err) {
      throw new TransportError('MCPCERT_ERR_CONNECT', `GET ${url.href} failed: ${describeError(err)}`, { cause: err });
    }
    const responseHeaders = flattenHeaders(response.headers);
    if (response.statusCode < 200 || response.statusCode > 299) {
      const raw = await readSome(response.body, ERROR_BODY_LIMIT);
      throw new TransportError('MCPCERT_ERR_HTTP_STATUS', `GET ${url.href} answered HTTP ${response.statusCode}`, { status: response.statusCode, headers: responseHeaders, raw: clip(raw) });
    }
    const type = (responseHeaders['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'text/event-stream') {
      const raw = await readSome(response.body, ERROR_BODY_LIMIT);
      throw new TransportError('MCPCERT_ERR_CONTENT_TYPE', `GET ${url.href} answered Content-Type ${type || '(none)'}, not text/event-stream`, { status: response.statusCode, headers: responseHeaders, raw: clip(raw) });
    }
    connection = new SseClientConnection({
      url,
      agent,
      abort,
      body: response.body,
      http: { status: response.statusCode, headers: responseHeaders },
      headers,
      maxMessageBytes: options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
      postTimeoutMs: options.postTimeoutMs ?? DEFAULT_POST_TIMEOUT_MS,
    });
    await connection.waitForEndpoint();
    return connection;
  };
  const opening = open();
  // If the timeout wins, the abandoned attempt still settles; its outcome is already handled below.
  opening.catch(() => undefined);
  try {
    const ready = await Promise.race([opening, timeout]);
    // After the caller's continuation has run, so its listeners see the first messages.
    setImmediate(() => ready.goLive());
    return ready;
  } catch (err) {
    abort.abort();
    if (connection) await connection.close('connect failed');
    else await agent.destroy().catch(() => undefined);
    throw err;
  } finally {
    clearTimeout(timer);
  }
}
