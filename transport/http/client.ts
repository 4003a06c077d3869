/**
 * The client side of Streamable HTTP: every message is a POST; answers come back as JSON or
 * as an SSE stream; a GET stream carries what the server sends on its own. Each connection
 * owns one undici Agent, destroyed on close, so no socket outlives it.
 *
 * HTTP facts ride on every received message (`meta.http`: method, url, status, headers;
 * `meta.sse`: event id, type and which HTTP stream carried it), and `onExchange` reports every
 * HTTP answer, including the bodiless 202s, so a conformance checker sees the whole exchange.
 */
import { Agent, type Dispatcher } from 'undici';
import { decode, encode } from '../codec.js';
import { BaseConnection, DEFAULT_MAX_MESSAGE_BYTES, type CommonOptions, type HttpMeta, type MessageMeta, type SendOptions } from '../connection.js';
import { clip, closedError, TransportError } from '../errors.js';
import { isErrorResponse, isRequest, isResponse, type JsonRpcMessage, type JsonRpcPayload, type RequestId } from '../jsonrpc.js';
import { classifyGetAnswer, failureOf, isRefused, readCapped } from './client-request.js';
import { pumpSse, type SseOutcome } from './client-sse.js';
import { followPostStream, followStandalone, type GetResult, type OpenStream, type StandaloneRun, type StreamHost, type StreamState } from './client-streams.js';
import { flattenHeaders, idKey, JSON_TYPE, LAST_EVENT_ID_HEADER, mediaType, PROTOCOL_VERSION_HEADER, SESSION_HEADER, SSE_TYPE } from './headers.js';

export interface HttpExchange {
  method: string;
  url: string;
  requestHeaders: Record<string, string>;
  status: number;
  /** Lower-cased names. */
  headers: Record<string, string>;
}

export interface HttpClientOptions extends CommonOptions {
  /** Extra request headers, e.g. Authorization. */
  headers?: Record<string, string>;
  /** Bound on waiting for response headers and on an idle response body (default 30 s). */
  requestTimeoutMs?: number;
  /** Sent as MCP-Protocol-Version when set; see `setProtocolVersion`. */
  protocolVersion?: string;
  /** Keep a GET stream open once the server assigned a session (default true). */
  openStandaloneStream?: boolean;
  /** Wait before reconnecting an SSE stream until the server sends `retry` (default 1000 ms). */
  reconnectDelayMs?: number;
  /** Reconnection attempts per lost stream (default 3). */
  maxReconnectAttempts?: number;
  /** Send DELETE for the session on close (default true; the spec says clients SHOULD). */
  terminateOnClose?: boolean;
  /**
   * Headers computed per POST from its body, e.g. the 2026-07-28 `Mcp-Method` / `Mcp-Name`
   * request-metadata headers, which the protocol layer knows how to derive.
   */
  messageHeaders?: (payload: JsonRpcPayload) => Record<string, string>;
  /** Called with every HTTP answer received. */
  onExchange?: (exchange: HttpExchange) => void;
}

/** The meta of an answer that arrived: its status is always known. */
type ReceivedMeta = HttpMeta & { status: number };

const DELETE_ON_CLOSE_TIMEOUT_MS = 5000;
/** Session ids MUST be visible ASCII (spec digest §B.4 "Session management"). */
const VISIBLE_ASCII = /^[\x21-\x7e]+$/;

let batchCounter = 0;

export class HttpClientConnection extends BaseConnection {
  readonly transport = 'http' as const;
  readonly url: URL;
  readonly #agent: Agent;
  readonly #timeoutMs: number;
  readonly #maxBytes: number;
  readonly #options: HttpClientOptions;
  readonly #extraHeaders: Record<string, string>;
  #protocolVersion: string | undefined;
  #stopped = false;
  #closing: Promise<void> | undefined;
  #standalone: StandaloneRun | undefined;
  #streams = 0;
  readonly #controllers = new Set<AbortController>();
  readonly #sleepers = new Set<() => void>();
  /** What the stream followers in client-streams.ts may use of this connection. */
  readonly #host: StreamHost;

  constructor(url: URL, options: HttpClientOptions = {}) {
    super();
    this.url = url;
    this.#options = options;
    this.#timeoutMs = options.requestTimeoutMs ?? 30_000;
    this.#maxBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    this.#protocolVersion = options.protocolVersion;
    this.#extraHeaders = flattenHeaders(options.headers ?? {});
    this.#agent = new Agent({ connectTimeout: this.#timeoutMs, headersTimeout: this.#timeoutMs, bodyTimeout: this.#timeoutMs });
    const connection = this;
    this.#host = {
      get isStopped() {
        return connection.#stopped;
      },
      maxAttempts: options.maxReconnectAttempts ?? 3,
      reconnectDelayMs: options.reconnectDelayMs ?? 1000,
      timeoutMs: this.#timeoutMs,
      consume: (stream, state, pending) => this.#consume(stream, state, pending),
      openGet: (lastEventId, run, bodyTimeoutMs) => this.#openGet(lastEventId, run, bodyTimeoutMs),
      sleep: (ms) => this.#sleep(ms),
      closeRemote: (reason, error) => void this.#closeRemote(reason, error),
      reportError: (error) => this.emitError(error),
    };
  }

  get protocolVersion(): string | undefined {
    return this.#protocolVersion;
  }

  /** Sets (or clears) the MCP-Protocol-Version header sent from now on. */
  setProtocolVersion(version: string | undefined): void {
    this.#protocolVersion = version;
  }

  /**
   * POSTs one message or batch. Resolves once the server accepted it (202, or the headers of
   * its answer; a JSON answer is emitted before resolving). Rejects with a TransportError on an
   * HTTP error status (after emitting any JSON-RPC error in the body that answers one of the
   * requests), a wrong Content-Type, a network failure or a timeout.
   */
  send(payload: JsonRpcPayload, _options?: SendOptions): Promise<void> {
    if (this.#stopped) return Promise.reject(closedError('send on an HTTP client connection'));
    return this.#post(payload);
  }

  /**
   * Opens the GET stream for server-initiated messages and keeps it open (reconnecting with
   * Last-Event-ID). Resolves once it is open, or at once if the server has none (405).
   */
  async openStream(): Promise<void> {
    if (this.#stopped) throw closedError('openStream on an HTTP client connection');
    if (this.#standalone && !this.#standalone.stopped) return;
    const run: StandaloneRun = { stopped: false };
    this.#standalone = run;
    // No idle limit on this body: the server may have nothing to say for hours. close() ends it.
    const first = await this.#openGet(undefined, run, 0);
    if (first.kind === 'stream') {
      void followStandalone(this.#host, first.stream, run);
      return;
    }
    run.stopped = true;
    if (first.kind === 'none') return;
    if (first.kind === 'gone') void this.#closeRemote(first.error.message, first.error);
    throw first.error;
  }

  /** DELETEs the session (the server may refuse with 405); later sends start without a session id. */
  async terminateSession(): Promise<void> {
    const session = this.sessionId;
    if (session === undefined) return;
    this.#stopStandalone();
    const controller = this.#track();
    try {
      const { response, http } = await this.#request('DELETE', {}, undefined, controller, this.#timeoutMs);
      await response.body.dump().catch(() => undefined);
      const status = http.status;
      if ((status >= 200 && status < 300) || status === 404 || status === 405) {
        if (this.sessionId === session) this.sessionId = undefined;
        return;
      }
      throw new TransportError('MCPCERT_ERR_HTTP_STATUS', `DELETE ${this.url.href} was answered with HTTP ${status}`, { status, headers: http.headers });
    } catch (err) {
      throw failureOf(err, `DELETE ${this.url.href}`, this.#timeoutMs, this.#stopped);
    } finally {
      this.#untrack(controller);
    }
  }

  /** Aborts every request and stream, DELETEs the session (bounded), and releases the agent. */
  close(reason = 'closed by the client'): Promise<void> {
    this.#closing ??= this.#shutdown('local', reason);
    return this.#closing;
  }

  async #shutdown(by: 'local' | 'remote', reason: string, error?: TransportError): Promise<void> {
    const session = this.sessionId;
    this.#halt();
    if (by === 'local' && session !== undefined && this.#options.terminateOnClose !== false) {
      // Best effort and bounded: an unreachable server must not hold close() up.
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), Math.min(this.#timeoutMs, DELETE_ON_CLOSE_TIMEOUT_MS));
      await this.#request('DELETE', {}, undefined, controller, this.#timeoutMs)
        .then(({ response }) => response.body.dump())
        .catch(() => undefined)
        .finally(() => clearTimeout(timer));
    }
    await this.#agent.destroy().catch(() => undefined);
    this.markClosed(error ? { by, reason, error } : { by, reason });
  }

  #closeRemote(reason: string, error?: TransportError): Promise<void> {
    this.#closing ??= this.#shutdown('remote', reason, error);
    return this.#closing;
  }

  #halt(): void {
    this.#stopped = true;
    this.#stopStandalone();
    for (const controller of this.#controllers) controller.abort();
    this.#controllers.clear();
    for (const wake of this.#sleepers) wake();
    this.#sleepers.clear();
  }

  async #post(payload: JsonRpcPayload): Promise<void> {
    const messages = Array.isArray(payload) ? payload : [payload];
    const requestIds = messages.filter(isRequest).map((m) => m.id);
    const sentSession = this.sessionId;
    const controller = this.#track();
    let handedOff = false;
    try {
      const headers = { ...flattenHeaders(this.#options.messageHeaders?.(payload) ?? {}), 'content-type': JSON_TYPE, accept: `${JSON_TYPE}, ${SSE_TYPE}` };
      const { response, http } = await this.#request('POST', headers, encode(payload), controller, this.#timeoutMs);
      const status = http.status;
      if (status < 200 || status >= 300) return await this.#rejectStatus(response, http, requestIds, sentSession);
      const type = mediaType(http.headers['content-type']);
      if (status !== 202 && type === SSE_TYPE) {
        handedOff = true;
        void followPostStream(this.#host, { body: response.body, controller, http, label: this.#label('POST') }, new Set(requestIds.map(idKey)));
        return;
      }
      if (status !== 202 && type === JSON_TYPE) {
        const { text, bytes } = await readCapped(response.body, this.#maxBytes, `the JSON answer to POST ${this.url.href}`);
        const decoded = this.#emitFrame(text, { transport: 'http', receivedAt: Date.now(), bytes, http, ...this.#sessionMeta() });
        if (decoded instanceof Error && requestIds.length > 0) throw decoded;
        return;
      }
      await response.body.dump().catch(() => undefined);
      if (requestIds.length > 0) {
        // No answer can follow: fail the requests now rather than let them time out.
        const error = status === 202
          ? new TransportError('MCPCERT_ERR_HTTP_STATUS', `POST ${this.url.href} carrying requests was answered with 202 Accepted, which carries no responses`, { status, headers: http.headers })
          : new TransportError('MCPCERT_ERR_CONTENT_TYPE', `POST ${this.url.href} carrying requests was answered with Content-Type ${http.headers['content-type'] ?? '(none)'}; expected ${JSON_TYPE} or ${SSE_TYPE}`, { status, headers: http.headers });
        this.emitError(error);
        throw error;
      }
    } catch (err) {
      throw err instanceof TransportError ? err : failureOf(err, `POST ${this.url.href}`, this.#timeoutMs, this.#stopped);
    } finally {
      if (!handedOff) this.#untrack(controller);
    }
  }

  /** An HTTP error answer: evidence as an error event, JSON-RPC errors for our requests as messages, then reject. */
  async #rejectStatus(response: Dispatcher.ResponseData, http: ReceivedMeta, requestIds: RequestId[], sentSession: string | undefined): Promise<never> {
    const status = http.status;
    const body = await readCapped(response.body, this.#maxBytes, 'an HTTP error body').catch(() => ({ text: '', bytes: 0 }));
    const decoded = body.text === '' ? undefined : decode(body.text);
    const messages = decoded?.ok ? decoded.messages : [];
    const rpcError = messages.find(isErrorResponse);
    const error = new TransportError('MCPCERT_ERR_HTTP_STATUS', `POST ${this.url.href} was answered with HTTP ${status}${rpcError ? `: ${rpcError.error.message}` : ''}`, { status, headers: http.headers, raw: clip(body.text) });
    this.emitError(error);
    const wanted = new Set(requestIds.map(idKey));
    const meta: MessageMeta = { transport: 'http', receivedAt: Date.now(), bytes: body.bytes, http, ...this.#sessionMeta() };
    for (const message of messages) {
      if (isErrorResponse(message) && message.id !== undefined && message.id !== null && wanted.has(idKey(message.id))) this.emitMessage(message, meta);
    }
    // A 404 for our session id means the server ended the session (spec digest §B.4).
    if (status === 404 && sentSession !== undefined && sentSession === this.sessionId) void this.#closeRemote(`the server no longer knows session ${sentSession} (HTTP 404)`, error);
    throw error;
  }

  async #openGet(lastEventId: string | undefined, run: StandaloneRun | undefined, bodyTimeoutMs: number): Promise<GetResult> {
    const controller = this.#track();
    if (run) run.controller = controller;
    const sentSession = this.sessionId;
    const headers: Record<string, string> = { accept: SSE_TYPE };
    if (lastEventId !== undefined) headers[LAST_EVENT_ID_HEADER] = lastEventId;
    let response: Dispatcher.ResponseData;
    let http: ReceivedMeta;
    try {
      ({ response, http } = await this.#request('GET', headers, undefined, controller, bodyTimeoutMs));
    } catch (err) {
      this.#untrack(controller);
      const error = failureOf(err, `GET ${this.url.href}`, this.#timeoutMs, this.#stopped);
      return isRefused(err) ? { kind: 'refused', error } : { kind: 'error', error };
    }
    if (http.status >= 200 && http.status < 300 && mediaType(http.headers['content-type']) === SSE_TYPE) {
      return { kind: 'stream', stream: { body: response.body, controller, http, label: this.#label('GET') } };
    }
    const result = await classifyGetAnswer(response.body, http, sentSession, this.#maxBytes);
    this.#untrack(controller);
    return result;
  }

  /** Reads one SSE body to its end, emitting messages; answered request ids leave `pending`. */
  async #consume(stream: OpenStream, state: StreamState, pending: Set<string> | undefined): Promise<SseOutcome> {
    const outcome = await pumpSse(stream.body, this.#maxBytes, {
      onEvent: (event, bytes) => {
        if (event.id !== undefined) state.lastEventId = event.id;
        // Events with no data prime a resumable stream; they carry no message.
        if (event.data === '') return;
        if (event.event !== undefined && event.event !== 'message') {
          this.emitError(new TransportError('MCPCERT_ERR_PROTOCOL', `an SSE event of type "${event.event}" arrived on ${stream.label}; MCP messages travel as "message" events`, { raw: clip(event.data) }));
          return;
        }
        const meta: MessageMeta = { transport: 'http', receivedAt: Date.now(), bytes, http: stream.http, sse: { id: event.id, event: event.event, streamId: stream.label }, ...this.#sessionMeta() };
        const messages = this.#emitFrame(event.data, meta);
        if (pending && Array.isArray(messages)) {
          for (const m of messages) if (isResponse(m) && m.id !== undefined && m.id !== null) pending.delete(idKey(m.id));
        }
      },
      onRetry: (ms) => {
        state.retryMs = ms;
      },
      onError: (error) => this.emitError(error),
    });
    this.#untrack(stream.controller);
    if (outcome.error !== undefined && !this.#stopped && !stream.controller.signal.aborted) {
      this.emitError(failureOf(outcome.error, `reading ${stream.label}`, this.#timeoutMs, false));
    }
    return outcome;
  }

  /** Decodes one frame, emitting its messages (tagged when batched) and its faults. */
  #emitFrame(text: string, meta: MessageMeta): JsonRpcMessage[] | TransportError {
    const decoded = decode(text);
    if (!decoded.ok) {
      this.emitError(decoded.error);
      return decoded.error;
    }
    for (const fault of decoded.faults) this.emitError(fault);
    const id = ++batchCounter;
    decoded.messages.forEach((message, index) => this.emitMessage(message, decoded.batch ? { ...meta, batch: { index, size: decoded.messages.length, id } } : meta));
    return decoded.messages;
  }

  /** One HTTP request on this connection's agent; the answer is recorded by `#received`. */
  async #request(method: 'POST' | 'GET' | 'DELETE', headers: Record<string, string>, body: string | undefined, controller: AbortController, bodyTimeoutMs: number): Promise<{ response: Dispatcher.ResponseData; http: ReceivedMeta }> {
    const requestHeaders = { ...this.#extraHeaders, ...this.#protocolHeaders(), ...headers };
    const response = await this.#agent.request({
      origin: this.url.origin,
      path: `${this.url.pathname}${this.url.search}`,
      method,
      headers: requestHeaders,
      body: body ?? null,
      signal: controller.signal,
      headersTimeout: this.#timeoutMs,
      bodyTimeout: bodyTimeoutMs,
    });
    return { response, http: this.#received(method, requestHeaders, response) };
  }

  #protocolHeaders(): Record<string, string> {
    const headers: Record<string, string> = {};
    if (this.sessionId !== undefined) headers[SESSION_HEADER] = this.sessionId;
    if (this.#protocolVersion !== undefined) headers[PROTOCOL_VERSION_HEADER] = this.#protocolVersion;
    return headers;
  }

  /** Records an HTTP answer: adopts a session id, reports the exchange, returns the meta for its messages. */
  #received(method: string, requestHeaders: Record<string, string>, response: Dispatcher.ResponseData): ReceivedMeta {
    const headers = flattenHeaders(response.headers);
    const status = response.statusCode;
    const session = headers[SESSION_HEADER];
    if (session !== undefined && session !== this.sessionId && status >= 200 && status < 300) {
      if (VISIBLE_ASCII.test(session)) {
        this.sessionId = session;
        if (this.#options.openStandaloneStream !== false) this.#autoOpen();
      } else {
        this.emitError(new TransportError('MCPCERT_ERR_PROTOCOL', 'the server assigned a session id outside visible ASCII (0x21-0x7E); ignoring it', { raw: clip(session, 256), status, headers }));
      }
    }
    this.#options.onExchange?.({ method, url: this.url.href, requestHeaders, status, headers });
    return { method, url: this.url.href, status, headers };
  }

  #autoOpen(): void {
    // After the current turn, so the answer that carried the session id is handled first.
    setImmediate(() => {
      if (this.#stopped || (this.#standalone && !this.#standalone.stopped)) return;
      this.openStream().catch((err: unknown) => {
        if (err instanceof TransportError && !this.#stopped) this.emitError(err);
      });
    });
  }

  #stopStandalone(): void {
    const run = this.#standalone;
    if (!run) return;
    run.stopped = true;
    run.controller?.abort();
  }

  #sessionMeta(): { sessionId?: string } {
    return this.sessionId === undefined ? {} : { sessionId: this.sessionId };
  }

  #label(method: string): string {
    return `${method}#${++this.#streams}`;
  }

  #track(): AbortController {
    const controller = new AbortController();
    this.#controllers.add(controller);
    return controller;
  }

  #untrack(controller: AbortController): void {
    this.#controllers.delete(controller);
  }

  /** A timer that ends early when the connection closes, so close never waits for a backoff. */
  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#sleepers.add(done);
    });
  }
}

/** Creates a client for an `http://` or `https://` MCP endpoint. No request is made until the first send. */
export async function connectHttp(url: string | URL, options: HttpClientOptions = {}): Promise<HttpClientConnection> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TransportError('MCPCERT_ERR_CONNECT', `not an http(s):// target: ${String(url)}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new TransportError('MCPCERT_ERR_CONNECT', `a Streamable HTTP target looks like http://HOST:PORT/PATH, got ${String(url)}`);
  }
  return new HttpClientConnection(parsed, options);
}
