/**
 * The server side of Streamable HTTP (2025-03-26 … 2025-11-25, and the stateless 2026-07-28
 * shape with `sessions: false`). This file checks each HTTP request against the transport
 * rules (Origin, Accept, Content-Type, size, JSON-RPC shape, session id) and hands what passes
 * to an HttpServerConnection. It stays free of protocol-version semantics: the engine adds
 * those through `validateRequest`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decode } from '../codec.js';
import { BaseListener, DEFAULT_MAX_MESSAGE_BYTES, type CommonOptions, type HttpMeta, type MessageMeta } from '../connection.js';
import { clip, TransportError } from '../errors.js';
import { ErrorCode, errorResponse, isRequest, type JsonRpcError, type JsonRpcMessage, type JsonRpcResponse, type RequestId } from '../jsonrpc.js';
import { DEFAULT_EVENT_STORE_SIZE, EventStore, parseEventId } from './event-store.js';
import { accepts, flattenHeaders, HTTP_LAYER_ERROR, httpErrorBody, JSON_TYPE, LAST_EVENT_ID_HEADER, mediaType, newSessionId, SESSION_HEADER, SSE_TYPE } from './headers.js';
import { allowLoopbackOrigin, authorizeRequest, closeAtExpiry, SESSION_OWNER_MISMATCH, type AuthPrincipal, type Authorizer, type OriginPolicy } from '../http-common.js';
import { readBody } from './request-body.js';
import { HttpServerConnection } from './server-connection.js';
import { DEFAULT_WRITE_TIMEOUT_MS, endResponse, sendJson } from './server-response.js';

export interface HttpRequestInfo {
  method: string;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  sessionId: string | undefined;
  /** The decoded body of a POST; empty for GET and DELETE. */
  messages: JsonRpcMessage[];
  /** The POST body was a JSON array (2025-03-26 batching). */
  batch: boolean;
}

export interface HttpRejection {
  status: number;
  body?: JsonRpcError;
}

export interface HttpListenOptions extends CommonOptions {
  host?: string;
  port?: number;
  /** The MCP endpoint path (default `/mcp`). */
  path?: string;
  /** Stateful sessions with `MCP-Session-Id` (default true); false gives one connection per POST. */
  sessions?: boolean;
  /** Decides a present `Origin`; the default allows only loopback origins. */
  allowOrigin?: OriginPolicy;
  /** A hook to reject a request that passed the transport checks (e.g. a bad MCP-Protocol-Version). */
  validateRequest?: (info: HttpRequestInfo) => HttpRejection | undefined | Promise<HttpRejection | undefined>;
  /**
   * With sessions on, a POST without a session id for which this returns true is served as in
   * stateless mode (its own short-lived connection, no session minted) instead of being refused:
   * how a server that speaks both eras takes 2026-07-28 requests on its session endpoint.
   */
  sessionless?: (messages: readonly JsonRpcMessage[], headers: Record<string, string>) => boolean;
  /** 'auto' (default) answers a lone response as application/json; 'never' always streams SSE. */
  jsonResponses?: 'auto' | 'never';
  /** Start every SSE stream with an event carrying only an id (2025-11-25 priming). */
  ssePriming?: boolean;
  /** Events kept per session for `Last-Event-ID` resumption (default 1000). */
  eventStoreSize?: number;
  /** A write a client does not read within this many ms drops that stream (default 30 s). */
  writeTimeoutMs?: number;
  /** Serve on an existing server; requests for other paths are left to its other listeners. */
  server?: Server;
  /**
   * Checks every request on the endpoint right after the Origin rule. A session is then bound
   * to the principal that opened it: another principal's request for it is refused with 403.
   */
  authorize?: Authorizer;
}

type Resolved = Required<Omit<HttpListenOptions, 'server' | 'validateRequest' | 'authorize' | 'sessionless'>> & Pick<HttpListenOptions, 'validateRequest' | 'authorize' | 'sessionless'>;

export class HttpListener extends BaseListener {
  readonly transport = 'http' as const;
  readonly server: Server;
  readonly #owned: boolean;
  readonly #options: Resolved;
  readonly #sessions = new Map<string, HttpServerConnection>();
  readonly #open = new Set<HttpServerConnection>();
  /** Session id → id of the principal that opened it (only when `authorize` is set). */
  readonly #owners = new Map<string, string>();
  readonly #onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    this.#handle(req, res).catch((err: unknown) => {
      // A bug of ours must not take the process down; the client gets a 500.
      this.emitError(new TransportError('MCPCERT_ERR_PROTOCOL', `http listener: ${err instanceof Error ? err.message : String(err)}`, { cause: err }));
      if (!res.headersSent) void sendJson(res, 500, httpErrorBody(ErrorCode.InternalError, 'Internal error'));
      else res.destroy();
    });
  };
  #closing: Promise<void> | undefined;

  constructor(server: Server, owned: boolean, options: Resolved) {
    super();
    this.server = server;
    this.#owned = owned;
    this.#options = options;
    server.on('request', this.#onRequest);
    if (owned) server.on('error', (err) => this.emitError(new TransportError('MCPCERT_ERR_CONNECT', `http listener: ${err.message}`, { cause: err })));
  }

  get port(): number {
    const address = this.server.address() as AddressInfo | null;
    return address && typeof address === 'object' ? address.port : 0;
  }

  get target(): string {
    const address = this.server.address() as AddressInfo | null;
    if (!address || typeof address !== 'object') return 'http://unbound';
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `http://${host}:${address.port}${this.#options.path}`;
  }

  /** Ends every session, then the server if this listener created it (keep-alive sockets included). */
  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  async #shutdown(): Promise<void> {
    this.server.off('request', this.#onRequest);
    await Promise.all([...this.#open].map((c) => c.close('the listener is closing')));
    if (!this.#owned) return;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (pathOf(req.url) !== this.#options.path) {
      if (this.#owned) await sendJson(res, 404, httpErrorBody(HTTP_LAYER_ERROR, `Not Found: the MCP endpoint is ${this.#options.path}`));
      return;
    }
    const headers = flattenHeaders(req.headers);
    const origin = headers.origin;
    if (!this.#options.allowOrigin(origin, req)) {
      req.resume();
      await sendJson(res, 403, httpErrorBody(HTTP_LAYER_ERROR, `Forbidden: Origin ${clip(origin ?? '(none)', 200)} / Host ${clip(headers.host ?? '(none)', 200)} is not allowed`));
      return;
    }
    let principal: AuthPrincipal | undefined;
    if (this.#options.authorize) {
      // Before any session lookup: an unauthorized caller learns nothing, not even whether a session exists.
      let decision = await authorizeRequest(this.#options.authorize, req);
      const sessionId = this.#options.sessions ? headers[SESSION_HEADER] : undefined;
      const owner = sessionId === undefined ? undefined : this.#owners.get(sessionId);
      if (decision.ok && owner !== undefined && owner !== decision.principal.id) decision = SESSION_OWNER_MISMATCH;
      if (!decision.ok) {
        req.resume();
        await sendJson(res, decision.status, httpErrorBody(HTTP_LAYER_ERROR, decision.message), decision.headers);
        return;
      }
      principal = decision.principal;
    }
    const method = req.method ?? '';
    const allowed = this.#options.sessions ? ['GET', 'POST', 'DELETE'] : ['POST'];
    if (!allowed.includes(method)) {
      req.resume();
      await sendJson(res, 405, httpErrorBody(HTTP_LAYER_ERROR, `Method Not Allowed: ${method}`), { allow: allowed.join(', ') });
      return;
    }
    if (method === 'POST') return this.#post(req, res, headers, principal);
    req.resume();
    const session = this.#session(headers);
    if ('status' in session) return void (await sendJson(res, session.status, session.body));
    const rejection = await this.#validate({ method, headers, sessionId: session.connection.sessionId, messages: [], batch: false });
    if (rejection) return void (await sendJson(res, rejection.status, rejection.body, session.connection.responseHeaders));
    if (method === 'DELETE') {
      await session.connection.terminate();
      await sendJson(res, 200, undefined);
      return;
    }
    this.#get(res, headers, session.connection);
    // A GET stream lives on: it ends when the token that opened it expires (every later
    // request is checked anyway), and the client reconnects with a fresh one.
    const disarm = closeAtExpiry(principal, () => void endResponse(res));
    res.once('close', disarm);
  }

  #get(res: ServerResponse, headers: Record<string, string>, connection: HttpServerConnection): void {
    if (!accepts(headers.accept, SSE_TYPE)) {
      void sendJson(res, 406, httpErrorBody(HTTP_LAYER_ERROR, 'Not Acceptable: a GET must accept text/event-stream'), connection.responseHeaders);
      return;
    }
    // An id this server could not have minted is ignored (the GET opens the standalone stream);
    // a well-formed id of a finished or unknown stream replays what is stored for it, then ends.
    const last = headers[LAST_EVENT_ID_HEADER] === undefined ? undefined : parseEventId(headers[LAST_EVENT_ID_HEADER]);
    if (last) return connection.resume(res, last.streamId, last.seq);
    if (!connection.openStandalone(res)) {
      void sendJson(res, 409, httpErrorBody(HTTP_LAYER_ERROR, 'Conflict: this session already has an open GET stream'), connection.responseHeaders);
    }
  }

  async #post(req: IncomingMessage, res: ServerResponse, headers: Record<string, string>, principal: AuthPrincipal | undefined): Promise<void> {
    if (!accepts(headers.accept, JSON_TYPE) || !accepts(headers.accept, SSE_TYPE)) {
      req.resume();
      await sendJson(res, 406, httpErrorBody(HTTP_LAYER_ERROR, 'Not Acceptable: a POST must accept both application/json and text/event-stream'));
      return;
    }
    if (mediaType(headers['content-type']) !== JSON_TYPE) {
      req.resume();
      await sendJson(res, 415, httpErrorBody(HTTP_LAYER_ERROR, `Unsupported Media Type: the body must be application/json, got ${headers['content-type'] ?? 'none'}`));
      return;
    }
    const body = await readBody(req, this.#options.maxMessageBytes);
    if (!body.ok) {
      if (body.reason === 'too-large') await sendJson(res, 413, httpErrorBody(ErrorCode.InvalidRequest, `Payload Too Large: the body exceeds ${this.#options.maxMessageBytes} bytes`), { connection: 'close' });
      else if (body.reason === 'not-utf8') await sendJson(res, 400, errorResponse(null, ErrorCode.ParseError, 'Parse error: the body is not valid UTF-8'));
      return;
    }
    const decoded = decode(body.text);
    if (!decoded.ok) {
      await sendJson(res, 400, errorResponse(decoded.error.requestId, decoded.error.rpcCode, decoded.error.message));
      return;
    }
    const faults: JsonRpcResponse[] = decoded.faults.map((f) => errorResponse(f.requestId, f.rpcCode, f.message));
    if (decoded.messages.length === 0) {
      await sendJson(res, 400, faults);
      return;
    }
    const messages = decoded.messages;
    // Without sessions the header means nothing (2026-07-28: ignored, never minted or echoed).
    const sessionId = this.#options.sessions ? headers[SESSION_HEADER] : undefined;
    let connection: HttpServerConnection | undefined;
    const stateless = !this.#options.sessions || (sessionId === undefined && this.#options.sessionless?.(messages, headers) === true);
    if (!stateless && (sessionId !== undefined || !messages.some((m) => isRequest(m) && m.method === 'initialize'))) {
      const session = this.#session(headers);
      if ('status' in session) return void (await sendJson(res, session.status, session.body));
      connection = session.connection;
    }
    const rejection = await this.#validate({ method: 'POST', headers, sessionId, messages, batch: decoded.batch });
    if (rejection) return void (await sendJson(res, rejection.status, rejection.body, connection?.responseHeaders));
    if (this.#closing) return void (await sendJson(res, 503, httpErrorBody(HTTP_LAYER_ERROR, 'Service Unavailable: the server is shutting down')));
    const initialize = messages.find((m) => isRequest(m) && m.method === 'initialize');
    connection ??= this.#create(principal, stateless, initialize !== undefined && isRequest(initialize) ? initialize.id : undefined);
    // Whoever took the connection may refuse it at once (a session limit): say so, do not hang.
    if (connection.closed) return void (await sendJson(res, 503, httpErrorBody(HTTP_LAYER_ERROR, 'Service Unavailable: the server takes no more sessions')));
    for (const fault of decoded.faults) connection.emitFault(fault);
    const http: HttpMeta = principal ? { method: 'POST', url: req.url ?? '', headers, principal } : { method: 'POST', url: req.url ?? '', headers };
    const meta: MessageMeta = { transport: 'http', receivedAt: Date.now(), bytes: body.bytes, http };
    if (connection.sessionId !== undefined) meta.sessionId = connection.sessionId;
    const requestIds = messages.filter(isRequest).map((m) => m.id);
    if (requestIds.length === 0) {
      // Responses and notifications only: 202 (spec digest §B.4 POST rule 4), or 400 if part of a batch was unusable.
      await sendJson(res, faults.length > 0 ? 400 : 202, faults.length > 0 ? faults : undefined, connection.responseHeaders);
      connection.deliver(messages, meta, decoded.batch);
      if (connection.isStateless) connection.endAfterDelivery();
      return;
    }
    // An id already waiting for its answer in this session cannot be told apart from it when
    // the answer comes, so the transport refuses the newcomer itself (BASE-005 is the client's rule).
    const duplicate = new Set(requestIds.filter((id) => connection.isAwaiting(id)).map((id) => JSON.stringify(id)));
    const fresh = duplicate.size === 0 ? messages : messages.filter((m) => !(isRequest(m) && duplicate.has(JSON.stringify(m.id))));
    const refused = messages.filter((m) => isRequest(m) && duplicate.has(JSON.stringify(m.id))).map((m) => errorResponse((m as { id: RequestId }).id, ErrorCode.InvalidRequest, `Invalid Request: request id ${JSON.stringify((m as { id: RequestId }).id)} is already in use by a request in progress`));
    const freshIds = fresh.filter(isRequest).map((m) => m.id);
    if (freshIds.length === 0) {
      const answers = [...faults, ...refused];
      await sendJson(res, 200, decoded.batch ? answers : answers[0], connection.responseHeaders);
      connection.deliver(fresh, meta, decoded.batch);
      return;
    }
    connection.openPost(res, freshIds, decoded.batch, [...faults, ...refused]);
    connection.deliver(fresh, meta, decoded.batch);
  }

  #session(headers: Record<string, string>): { connection: HttpServerConnection } | { status: number; body: JsonRpcError } {
    const id = headers[SESSION_HEADER];
    if (id === undefined) return { status: 400, body: httpErrorBody(HTTP_LAYER_ERROR, 'Bad Request: the Mcp-Session-Id header is required') };
    const connection = this.#sessions.get(id);
    if (!connection) return { status: 404, body: httpErrorBody(HTTP_LAYER_ERROR, 'Not Found: unknown or terminated session') };
    return { connection };
  }

  #validate(info: HttpRequestInfo): Promise<HttpRejection | undefined> {
    const hook = this.#options.validateRequest;
    return hook ? Promise.resolve(hook(info)) : Promise.resolve(undefined);
  }

  #create(principal: AuthPrincipal | undefined, stateless: boolean, openedBy: RequestId | undefined): HttpServerConnection {
    const sessionId = stateless ? undefined : newSessionId();
    const connection: HttpServerConnection = new HttpServerConnection({
      sessionId,
      // Without sessions nothing can resume, so nothing is kept (ids are still minted).
      store: new EventStore(sessionId === undefined ? 0 : this.#options.eventStoreSize),
      json: this.#options.jsonResponses === 'auto',
      priming: this.#options.ssePriming,
      writeTimeoutMs: this.#options.writeTimeoutMs,
      ...(sessionId !== undefined && openedBy !== undefined ? { openedBy } : {}),
      onEnd: () => {
        this.#open.delete(connection);
        if (sessionId !== undefined) {
          this.#sessions.delete(sessionId);
          this.#owners.delete(sessionId);
        }
      },
    });
    this.#open.add(connection);
    if (sessionId !== undefined) this.#sessions.set(sessionId, connection);
    if (sessionId !== undefined && principal) this.#owners.set(sessionId, principal.id);
    this.emitConnection(connection);
    return connection;
  }
}

/**
 * The path of a request target without its query. The common case (an origin-form target) needs
 * no URL object, which showed up per request; anything unusual goes through the WHATWG parser.
 */
function pathOf(target: string | undefined): string {
  if (target === undefined) return '/';
  if (target.startsWith('/') && !target.includes('%') && !target.includes('#') && !target.includes('\\')) {
    const query = target.indexOf('?');
    const path = query === -1 ? target : target.slice(0, query);
    if (!path.includes('/.')) return path;
  }
  try {
    return new URL(target, 'http://localhost').pathname;
  } catch {
    return '';
  }
}

/** Starts a Streamable HTTP listener; resolves once it accepts connections. */
export async function listenHttp(options: HttpListenOptions = {}): Promise<HttpListener> {
  const resolved: Resolved = {
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    path: options.path ?? '/mcp',
    maxMessageBytes: options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
    sessions: options.sessions ?? true,
    allowOrigin: options.allowOrigin ?? allowLoopbackOrigin,
    validateRequest: options.validateRequest,
    sessionless: options.sessionless,
    authorize: options.authorize,
    jsonResponses: options.jsonResponses ?? 'auto',
    ssePriming: options.ssePriming ?? false,
    eventStoreSize: options.eventStoreSize ?? DEFAULT_EVENT_STORE_SIZE,
    writeTimeoutMs: options.writeTimeoutMs ?? DEFAULT_WRITE_TIMEOUT_MS,
  };
  if (options.server) return new HttpListener(options.server, false, resolved);
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => reject(new TransportError('MCPCERT_ERR_CONNECT', `cannot listen on http ${resolved.host}:${resolved.port}: ${err.message}`, { cause: err })));
    server.listen(resolved.port, resolved.host, () => resolve());
  });
  return new HttpListener(server, true, resolved);
}
