/**
 * Server side of the legacy HTTP+SSE transport (MCP 2024-11-05, spec digest §B.3). A client
 * opens a GET stream on `ssePath`; the first event names the POST endpoint of its session
 * (`${postPath}?sessionId=<id>`, the TS SDK's convention); every server→client message is a
 * `message` event on that stream, every client→server message a POST answered with 202.
 *
 * HTTP POST bodies that cannot be decoded are answered here, with a status and a JSON-RPC
 * error body, because an HTTP response needs a status. Everything else is only reported:
 * answering on the wire is the protocol engine's job.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { decode, encode } from '../codec.js';
import { BaseConnection, BaseListener, DEFAULT_MAX_MESSAGE_BYTES, type CommonOptions, type HttpMeta, type MessageMeta } from '../connection.js';
import { clip, closedError, TransportError } from '../errors.js';
import { formatSseComment, formatSseEvent } from '../framing/sse.js';
import { errorResponse, ErrorCode, type JsonRpcPayload } from '../jsonrpc.js';
import { writeChunk } from '../stream-write.js';
import {
  allowLoopbackOrigin,
  authorizeRequest,
  closeAtExpiry,
  closeOwnedServer,
  createOwnedServer,
  flattenHeaders,
  listenOn,
  requestPath,
  serverAuthority,
  SESSION_OWNER_MISMATCH,
  type AuthPrincipal,
  type Authorizer,
  type OriginPolicy,
} from '../http-common.js';

export { allowLoopbackOrigin, type OriginPolicy } from '../http-common.js';

export interface SseListenOptions extends CommonOptions {
  /** Interface to bind (default 127.0.0.1, as the spec advises for local servers). */
  host?: string;
  /** Port (default 0: any free port; read `port` afterwards). */
  port?: number;
  /** Path of the GET stream (default `/sse`). */
  ssePath?: string;
  /** Path of the POST endpoint (default `/messages`). */
  postPath?: string;
  /** Origin check for both endpoints; a refusal is answered 403 (default `allowLoopbackOrigin`). */
  allowOrigin?: OriginPolicy;
  /** Interval of SSE comment pings that keep idle streams alive through proxies (default: none). */
  keepAliveMs?: number;
  /** How long close() waits for a stream or busy socket before cutting it (default 2000 ms). */
  closeTimeoutMs?: number;
  /**
   * A listening server to attach to instead of creating one. Requests for other paths are left
   * to its other `request` listeners; close() detaches and leaves the server running.
   */
  server?: Server;
  /**
   * Checks every GET and POST on both paths right after the Origin rule. A session is bound to
   * the principal whose GET opened it (another principal's POST is refused with 403), and its
   * stream is closed when that principal's credential expires.
   */
  authorize?: Authorizer;
}

const DEFAULT_CLOSE_TIMEOUT_MS = 2000;

interface SseServerConnectionOptions {
  sessionId: string;
  response: ServerResponse;
  keepAliveMs: number | undefined;
  closeTimeoutMs: number;
}

/** One session: the open GET stream (server→client) plus the POSTs routed to it. */
export class SseServerConnection extends BaseConnection {
  readonly transport = 'sse' as const;
  readonly #response: ServerResponse;
  readonly #closeTimeoutMs: number;
  readonly #keepAlive: NodeJS.Timeout | undefined;
  #closing: Promise<void> | undefined;

  constructor(options: SseServerConnectionOptions) {
    super();
    this.sessionId = options.sessionId;
    this.#response = options.response;
    this.#closeTimeoutMs = options.closeTimeoutMs;
    if (options.keepAliveMs !== undefined && options.keepAliveMs > 0) {
      this.#keepAlive = setInterval(() => {
        if (!this.#response.writableEnded) this.#response.write(formatSseComment('keep-alive'));
      }, options.keepAliveMs);
    }
    this.#response.on('close', () => {
      // Node also emits `close` after a response we ended ourselves; #closing covers that case.
      this.#closing ??= this.#shutdown('remote', 'the client closed the SSE stream');
    });
  }

  send(payload: JsonRpcPayload): Promise<void> {
    if (this.closed || this.#closing) return Promise.reject(closedError('sse send'));
    return writeChunk(this.#response, formatSseEvent({ event: 'message', data: encode(payload) }), 'sse send');
  }

  close(reason = 'closed by the server'): Promise<void> {
    this.#closing ??= this.#shutdown('local', reason);
    return this.#closing;
  }

  /** Raises the messages of one POST body. For the listener only. */
  deliver(text: string, meta: MessageMeta): void {
    this.receiveFrame(text, meta);
  }

  /** Reports a POST that was refused, as evidence. For the listener only. */
  reportError(error: TransportError): void {
    this.emitError(error);
  }

  async #shutdown(by: 'local' | 'remote', reason: string): Promise<void> {
    if (this.#keepAlive) clearInterval(this.#keepAlive);
    if (by === 'local') await endResponse(this.#response, this.#closeTimeoutMs);
    this.markClosed({ by, reason });
  }
}

/** Ends a response and waits (bounded) until Node has released it. */
function endResponse(response: ServerResponse, timeoutMs: number): Promise<void> {
  if (response.closed) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => response.destroy(), timeoutMs);
    response.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    response.end();
  });
}

type BodyResult = { kind: 'ok'; body: Buffer } | { kind: 'too-large' } | { kind: 'failed' };

/** Reads a request body up to `maxBytes`; beyond that the rest is drained and dropped. */
function readBody(request: IncomingMessage, maxBytes: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (result: BodyResult): void => {
      if (done) return;
      done = true;
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('close', onClose);
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > maxBytes) finish({ kind: 'too-large' });
      else chunks.push(chunk);
    };
    const onEnd = (): void => finish({ kind: 'ok', body: Buffer.concat(chunks, size) });
    const onClose = (): void => finish({ kind: 'failed' });
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('close', onClose);
  });
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function respond(response: ServerResponse, status: number, body: string, contentType = 'text/plain; charset=utf-8', extra: Record<string, string> = {}): void {
  if (response.headersSent || response.destroyed) return;
  response.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), ...extra });
  response.end(body);
}

function respondRpcError(response: ServerResponse, status: number, id: string | number | null, code: number, message: string): void {
  respond(response, status, encode(errorResponse(id, code, message)), 'application/json');
}

function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

function acceptsEventStream(header: string | undefined): boolean {
  if (header === undefined || header.trim() === '') return true;
  return header.split(',').some((part) => {
    const type = mediaType(part);
    return type === 'text/event-stream' || type === 'text/*' || type === '*/*';
  });
}

/** A listening legacy HTTP+SSE endpoint pair. */
export class SseListener extends BaseListener {
  readonly transport = 'sse' as const;
  readonly target: string;
  readonly port: number;
  readonly #server: Server;
  readonly #ownsServer: boolean;
  readonly #ssePath: string;
  readonly #postPath: string;
  readonly #maxMessageBytes: number;
  readonly #allowOrigin: OriginPolicy;
  readonly #keepAliveMs: number | undefined;
  readonly #closeTimeoutMs: number;
  readonly #authorize: Authorizer | undefined;
  readonly #sessions = new Map<string, SseServerConnection>();
  /** Session id → id of the principal whose GET opened it (only when `authorize` is set). */
  readonly #owners = new Map<string, string>();
  #closing: Promise<void> | undefined;

  constructor(server: Server, ownsServer: boolean, options: SseListenOptions) {
    super();
    this.#server = server;
    this.#ownsServer = ownsServer;
    this.#ssePath = options.ssePath ?? '/sse';
    this.#postPath = options.postPath ?? '/messages';
    this.#maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    this.#allowOrigin = options.allowOrigin ?? allowLoopbackOrigin;
    this.#keepAliveMs = options.keepAliveMs;
    this.#closeTimeoutMs = options.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS;
    this.#authorize = options.authorize;
    const { host, port } = serverAuthority(server);
    this.port = port;
    this.target = `sse+http://${host}:${port}${this.#ssePath}`;
    server.on('request', this.#onRequest);
    if (ownsServer) server.on('error', this.#onServerError);
  }

  /** Sessions whose stream is open. */
  get sessionCount(): number {
    return this.#sessions.size;
  }

  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  readonly #onServerError = (err: Error): void => {
    this.emitError(new TransportError('MCPCERT_ERR_CONNECT', `the SSE listener's HTTP server failed: ${err.message}`, { cause: err }));
  };

  async #shutdown(): Promise<void> {
    this.#server.off('request', this.#onRequest);
    await Promise.all([...this.#sessions.values()].map((session) => session.close('the listener is closing')));
    if (this.#ownsServer) await closeOwnedServer(this.#server, this.#closeTimeoutMs);
  }

  readonly #onRequest = (request: IncomingMessage, response: ServerResponse): void => {
    const url = requestPath(request.url);
    const path = url?.pathname;
    if (url === undefined || (path !== this.#ssePath && path !== this.#postPath)) {
      if (this.#ownsServer) respond(response, 404, 'Not Found');
      return;
    }
    // A request body or socket error must never become an uncaught exception.
    request.on('error', () => undefined);
    if (this.#closing) return respond(response, 503, 'the server is shutting down');
    if (!this.#allowOrigin(request.headers.origin, request)) {
      return respond(response, 403, `Forbidden: Origin ${clip(request.headers.origin ?? '(none)', 200)} / Host ${clip(request.headers.host ?? '(none)', 200)} is not allowed`);
    }
    if (!this.#authorize) return this.#route(request, response, url, undefined);
    void authorizeRequest(this.#authorize, request).then((decision) => {
      if (decision.ok) return this.#route(request, response, url, decision.principal);
      request.resume();
      respond(response, decision.status, decision.message, undefined, decision.headers);
    });
  };

  #route(request: IncomingMessage, response: ServerResponse, url: URL, principal: AuthPrincipal | undefined): void {
    // After an asynchronous check the client may be gone, or the listener closing.
    if (response.destroyed || request.socket.destroyed) return;
    if (this.#closing) return respond(response, 503, 'the server is shutting down');
    if (url.pathname === this.#ssePath) {
      if (request.method !== 'GET') return respond(response, 405, 'Method Not Allowed: open the SSE stream with GET', undefined, { allow: 'GET' });
      return this.#openStream(request, response, principal);
    }
    if (request.method !== 'POST') return respond(response, 405, 'Method Not Allowed: send messages with POST', undefined, { allow: 'POST' });
    this.#acceptPost(request, response, url, principal).catch((err: unknown) => {
      // Only a throwing 'message' listener gets here; the POST was already answered 202.
      respond(response, 500, 'Internal Server Error');
      this.emitError(new TransportError('MCPCERT_ERR_PROTOCOL', `handling a POST failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err }));
    });
  }

  #openStream(request: IncomingMessage, response: ServerResponse, principal: AuthPrincipal | undefined): void {
    if (!acceptsEventStream(request.headers.accept)) {
      return respond(response, 406, 'Not Acceptable: the SSE endpoint only serves text/event-stream');
    }
    const sessionId = randomUUID();
    const connection = new SseServerConnection({ sessionId, response, keepAliveMs: this.#keepAliveMs, closeTimeoutMs: this.#closeTimeoutMs });
    this.#sessions.set(sessionId, connection);
    if (principal) this.#owners.set(sessionId, principal.id);
    const cancelExpiry = closeAtExpiry(principal, () => void connection.close('the access token expired'));
    connection.once('close', () => {
      cancelExpiry();
      this.#sessions.delete(sessionId);
      this.#owners.delete(sessionId);
    });
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    // 2024-11-05: "When a client connects, the server MUST send an endpoint event".
    response.write(formatSseEvent({ event: 'endpoint', data: `${this.#postPath}?sessionId=${encodeURIComponent(sessionId)}` }));
    this.emitConnection(connection);
  }

  async #acceptPost(request: IncomingMessage, response: ServerResponse, url: URL, principal: AuthPrincipal | undefined): Promise<void> {
    const sessionId = url.searchParams.get('sessionId');
    if (sessionId === null || sessionId === '') return respond(response, 400, 'Bad Request: the sessionId query parameter is missing');
    const session = this.#sessions.get(sessionId);
    if (!session) return respond(response, 404, `Not Found: no open session ${clip(sessionId, 100)}`);
    const owner = this.#owners.get(sessionId);
    if (principal && owner !== undefined && owner !== principal.id) {
      request.resume();
      return respond(response, SESSION_OWNER_MISMATCH.status, SESSION_OWNER_MISMATCH.message);
    }
    const type = mediaType(request.headers['content-type']);
    if (type !== 'application/json') {
      return respond(response, 415, `Unsupported Media Type: expected application/json, got ${clip(type || '(none)', 100)}`);
    }
    const declared = Number(request.headers['content-length']);
    const tooLarge = (): void => {
      // Closing the socket is the only bounded way to stop a peer that keeps uploading.
      respond(response, 413, `Payload Too Large: the limit is ${this.#maxMessageBytes} bytes`, undefined, { connection: 'close' });
      session.reportError(new TransportError('MCPCERT_ERR_FRAME_TOO_LARGE', `a POST body exceeded the ${this.#maxMessageBytes}-byte message limit`, { status: 413 }));
    };
    if (Number.isFinite(declared) && declared > this.#maxMessageBytes) {
      request.resume();
      return tooLarge();
    }
    const body = await readBody(request, this.#maxMessageBytes);
    if (body.kind === 'too-large') {
      request.resume();
      return tooLarge();
    }
    if (body.kind === 'failed') return;
    const receivedAt = Date.now();
    let text: string;
    try {
      text = utf8.decode(body.body);
    } catch {
      const error = new TransportError('MCPCERT_ERR_INVALID_UTF8', 'a POST body is not valid UTF-8; answered HTTP 400', { status: 400, raw: clip(body.body.toString('latin1')) });
      session.reportError(error);
      return respondRpcError(response, 400, null, ErrorCode.ParseError, 'Parse error: the body is not valid UTF-8');
    }
    const decoded = decode(text);
    if (!decoded.ok) {
      // Answered here, with the status the HTTP exchange needs; reported as a plain
      // TransportError (not a MessageError) so an engine does not answer it a second time.
      const { error } = decoded;
      session.reportError(new TransportError(error.code, `${error.message}; answered HTTP 400`, { status: 400, raw: error.raw }));
      return respondRpcError(response, 400, error.requestId, error.rpcCode, error.message);
    }
    if (session.closed) return respond(response, 404, `Not Found: session ${clip(sessionId, 100)} has closed`);
    respond(response, 202, '');
    const http: HttpMeta = { method: 'POST', url: request.url ?? '', headers: flattenHeaders(request.headers) };
    if (principal) http.principal = principal;
    session.deliver(text, { transport: 'sse', receivedAt, bytes: body.body.length, http, sessionId });
  }
}

/**
 * Starts a legacy HTTP+SSE listener. Resolves once it accepts connections; `target` is the
 * `sse+http://…` string a client uses. Rejects with MCPCERT_ERR_CONNECT if the port is taken
 * or an attached `server` is not listening.
 */
export async function listenSse(options: SseListenOptions = {}): Promise<SseListener> {
  if (options.server) {
    if (!options.server.listening) throw new TransportError('MCPCERT_ERR_CONNECT', 'listenSse: the server to attach to must already be listening');
    return new SseListener(options.server, false, options);
  }
  const server = createOwnedServer();
  await listenOn(server, options.host ?? '127.0.0.1', options.port ?? 0);
  return new SseListener(server, true, options);
}
