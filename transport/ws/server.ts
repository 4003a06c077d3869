/**
 * WebSocket transport, server side, plus the Connection over an open socket that both sides
 * share. Not in any MCP revision (spec digest §B.1, §B.7): it follows the project convention
 * of one JSON-RPC message per text frame and the subprotocol `mcp` (as the TS SDK's
 * WebSocketClientTransport offers). Handshake rules of this convention:
 * - a client that offers `mcp` gets `mcp` selected;
 * - a client that offers subprotocols but not `mcp` is refused with HTTP 400;
 * - a client that offers none is accepted without a subprotocol.
 *
 * Frames that are not usable messages (binary, malformed JSON) are reported as errors and
 * the connection stays open; answering them on the wire is the protocol engine's job.
 */
import { STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { encode } from '../codec.js';
import { BaseConnection, BaseListener, DEFAULT_MAX_MESSAGE_BYTES, type CommonOptions, type HttpMeta } from '../connection.js';
import { clip, closedError, TransportError } from '../errors.js';
import type { JsonRpcPayload } from '../jsonrpc.js';
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
  type AuthPrincipal,
  type Authorizer,
  type OriginPolicy,
} from '../http-common.js';

export const MCP_SUBPROTOCOL = 'mcp';
const DEFAULT_CLOSE_TIMEOUT_MS = 2000;
/** RFC 6455 §5.5: a close frame's reason fits in 123 bytes. */
const MAX_CLOSE_REASON_BYTES = 123;

export interface WsConnectionOptions {
  /** Handshake facts (request or response headers) attached to every received message. */
  http: HttpMeta;
  /** How long close() waits for the peer's close frame before cutting the socket (default 2000 ms). */
  closeTimeoutMs?: number;
  /** Interval of pings; a peer that has not answered the previous one is cut (default: no pings). */
  keepAliveMs?: number;
}

function closeReason(text: string): string {
  let reason = text;
  while (Buffer.byteLength(reason) > MAX_CLOSE_REASON_BYTES) reason = reason.slice(0, -1);
  return reason;
}

function wsErrorCode(err: Error): TransportError['code'] {
  switch ((err as { code?: unknown }).code) {
    case 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH':
      return 'MCPCERT_ERR_FRAME_TOO_LARGE';
    case 'WS_ERR_INVALID_UTF8':
      return 'MCPCERT_ERR_INVALID_UTF8';
    default:
      return 'MCPCERT_ERR_PROTOCOL';
  }
}

function asBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

/** A Connection over one open WebSocket, either side. */
export class WsConnection extends BaseConnection {
  readonly transport = 'ws' as const;
  readonly #socket: WebSocket;
  readonly #http: HttpMeta;
  readonly #closeTimeoutMs: number;
  readonly #keepAliveMs: number;
  #keepAlive: NodeJS.Timeout | undefined;
  #answeredPing = true;
  /** The last socket error, reported again as the cause when the socket closes. */
  #lastError: TransportError | undefined;
  #closing: Promise<void> | undefined;

  constructor(socket: WebSocket, options: WsConnectionOptions) {
    super();
    this.#socket = socket;
    this.#http = options.http;
    this.#closeTimeoutMs = options.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS;
    this.#keepAliveMs = options.keepAliveMs ?? 0;
    socket.on('message', this.#onMessage);
    socket.on('error', this.#onError);
    socket.on('close', this.#onClose);
    if (this.#keepAliveMs > 0) {
      socket.on('pong', () => {
        this.#answeredPing = true;
      });
      this.#keepAlive = setInterval(this.#ping, this.#keepAliveMs);
    }
  }

  /** The subprotocol the handshake settled on; undefined when none was selected. */
  get negotiatedProtocol(): string | undefined {
    return this.#socket.protocol === '' ? undefined : this.#socket.protocol;
  }

  send(payload: JsonRpcPayload): Promise<void> {
    if (this.closed || this.#closing || this.#socket.readyState !== WebSocket.OPEN) return Promise.reject(closedError('ws send'));
    const text = encode(payload);
    // The callback fires once the frame is handed to the socket, which gives backpressure.
    return new Promise((resolve, reject) => {
      this.#socket.send(text, { binary: false }, (err) => {
        if (!err) resolve();
        else reject(new TransportError('MCPCERT_ERR_CLOSED', `ws send: ${err.message}`, { cause: err }));
      });
    });
  }

  close(reason = 'normal closure'): Promise<void> {
    this.#closing ??= this.#shutdown(reason);
    return this.#closing;
  }

  async #shutdown(reason: string): Promise<void> {
    this.#stopKeepAlive();
    const socket = this.#socket;
    if (socket.readyState !== WebSocket.CLOSED) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => socket.terminate(), this.#closeTimeoutMs);
        socket.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
        if (socket.readyState === WebSocket.OPEN) socket.close(1000, closeReason(reason));
        else if (socket.readyState === WebSocket.CONNECTING) socket.terminate();
      });
    }
    this.markClosed({ by: 'local', reason });
  }

  #stopKeepAlive(): void {
    if (this.#keepAlive) clearInterval(this.#keepAlive);
    this.#keepAlive = undefined;
  }

  readonly #ping = (): void => {
    if (!this.#answeredPing) {
      this.#lastError = new TransportError('MCPCERT_ERR_TIMEOUT', `the peer did not answer a ping within ${this.#keepAliveMs} ms`);
      this.#socket.terminate();
      return;
    }
    this.#answeredPing = false;
    this.#socket.ping();
  };

  readonly #onMessage = (data: RawData, isBinary: boolean): void => {
    const buffer = asBuffer(data);
    const receivedAt = Date.now();
    if (isBinary) {
      this.emitError(new TransportError('MCPCERT_ERR_BINARY_FRAME', `a binary frame of ${buffer.length} bytes arrived; MCP over WebSocket uses text frames`, { raw: clip(buffer.toString('utf8'), 256) }));
      return;
    }
    // ws has already checked that a text frame is valid UTF-8 (else it closes with 1007).
    this.receiveFrame(buffer.toString('utf8'), { transport: 'ws', receivedAt, bytes: buffer.length, http: this.#http });
  };

  readonly #onError = (err: Error): void => {
    const error = new TransportError(wsErrorCode(err), `WebSocket error: ${err.message}`, { cause: err });
    this.#lastError = error;
    this.emitError(error);
  };

  readonly #onClose = (code: number, reasonBuffer: Buffer): void => {
    this.#stopKeepAlive();
    if (this.#closing) return;
    const text = reasonBuffer.toString('utf8');
    const reason = `the WebSocket closed with code ${code}${text ? ` (${clip(text, 200)})` : ''}`;
    let error = this.#lastError;
    // 1009: the peer refused one of our messages as too large.
    if (!error && code === 1009) error = new TransportError('MCPCERT_ERR_FRAME_TOO_LARGE', `${reason}: the peer refused a message as too large`);
    this.#closing = Promise.resolve();
    this.markClosed(error ? { by: 'remote', reason, error } : { by: 'remote', reason });
  };
}

export interface WsListenOptions extends CommonOptions {
  /** Interface to bind (default 127.0.0.1). */
  host?: string;
  /** Port (default 0: any free port; read `port` afterwards). */
  port?: number;
  /** Path that accepts upgrades (default `/mcp`). */
  path?: string;
  /** Origin check for the upgrade request; a refusal is answered 403 (default `allowLoopbackOrigin`). */
  allowOrigin?: OriginPolicy;
  /** Ping interval for each connection (default: no pings). */
  keepAliveMs?: number;
  /** How long close() waits for each peer's close frame (default 2000 ms). */
  closeTimeoutMs?: number;
  /**
   * A listening server to attach to instead of creating one. Only upgrades on `path` are
   * taken; others are left to its other `upgrade` listeners. close() detaches and leaves it running.
   */
  server?: Server;
  /**
   * Checks every upgrade on `path` right after the Origin rule. Frames on an open socket are
   * not re-checked, so a connection is closed when the credential that opened it expires.
   */
  authorize?: Authorizer;
}

function parseOffered(header: string | undefined): string[] {
  if (header === undefined) return [];
  return header.split(',').map((part) => part.trim()).filter((part) => part !== '');
}

/** Answers an upgrade request with a plain HTTP error and closes the socket. */
function refuseUpgrade(socket: Duplex, status: number, message: string, headers: Record<string, string> = {}): void {
  socket.on('error', () => undefined);
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = `${message}\n`;
  // Header values come from our own policy, but a CR or LF would still split the response.
  const extra = Object.entries(headers).map(([name, value]) => `${name}: ${value.replace(/[\r\n]/g, ' ')}\r\n`).join('');
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\nConnection: close\r\n${extra}Content-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

/** A listening WebSocket endpoint. */
export class WsListener extends BaseListener {
  readonly transport = 'ws' as const;
  readonly target: string;
  readonly port: number;
  readonly #server: Server;
  readonly #ownsServer: boolean;
  readonly #path: string;
  readonly #allowOrigin: OriginPolicy;
  readonly #wss: WebSocketServer;
  readonly #options: WsListenOptions;
  readonly #connections = new Set<WsConnection>();
  #closing: Promise<void> | undefined;

  constructor(server: Server, ownsServer: boolean, options: WsListenOptions) {
    super();
    this.#server = server;
    this.#ownsServer = ownsServer;
    this.#options = options;
    this.#path = options.path ?? '/mcp';
    this.#allowOrigin = options.allowOrigin ?? allowLoopbackOrigin;
    this.#wss = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      perMessageDeflate: false,
      maxPayload: options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
      handleProtocols: (offered) => (offered.has(MCP_SUBPROTOCOL) ? MCP_SUBPROTOCOL : false),
    });
    const { host, port } = serverAuthority(server);
    this.port = port;
    this.target = `ws://${host}:${port}${this.#path}`;
    server.on('upgrade', this.#onUpgrade);
    if (ownsServer) server.on('error', this.#onServerError);
  }

  readonly #onServerError = (err: Error): void => {
    this.emitError(new TransportError('MCPCERT_ERR_CONNECT', `the WebSocket listener's HTTP server failed: ${err.message}`, { cause: err }));
  };

  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  async #shutdown(): Promise<void> {
    this.#server.off('upgrade', this.#onUpgrade);
    await Promise.all([...this.#connections].map((connection) => connection.close('the server is shutting down')));
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
    if (this.#ownsServer) await closeOwnedServer(this.#server, this.#options.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS);
  }

  readonly #onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    if (requestPath(request.url)?.pathname !== this.#path) {
      if (this.#ownsServer) refuseUpgrade(socket, 404, 'Not Found');
      return;
    }
    if (this.#closing) return refuseUpgrade(socket, 503, 'the server is shutting down');
    if (!this.#allowOrigin(request.headers.origin, request)) {
      return refuseUpgrade(socket, 403, `Forbidden: Origin ${clip(request.headers.origin ?? '(none)', 200)} / Host ${clip(request.headers.host ?? '(none)', 200)} is not allowed`);
    }
    const authorize = this.#options.authorize;
    if (!authorize) return this.#accept(request, socket, head, undefined);
    // The socket has no error listener of its own until ws takes it over.
    const ignore = (): void => undefined;
    socket.on('error', ignore);
    void authorizeRequest(authorize, request).then((decision) => {
      socket.off('error', ignore);
      if (socket.destroyed) return;
      if (this.#closing) return refuseUpgrade(socket, 503, 'the server is shutting down');
      if (!decision.ok) return refuseUpgrade(socket, decision.status, decision.message, decision.headers);
      this.#accept(request, socket, head, decision.principal);
    });
  };

  #accept(request: IncomingMessage, socket: Duplex, head: Buffer, principal: AuthPrincipal | undefined): void {
    const offered = parseOffered(request.headers['sec-websocket-protocol']);
    if (offered.length > 0 && !offered.includes(MCP_SUBPROTOCOL)) {
      return refuseUpgrade(socket, 400, `Bad Request: this server speaks the "${MCP_SUBPROTOCOL}" subprotocol; offered: ${clip(offered.join(', '), 200)}`);
    }
    const http: HttpMeta = { method: request.method ?? 'GET', url: request.url ?? '', headers: flattenHeaders(request.headers) };
    if (principal) http.principal = principal;
    this.#wss.handleUpgrade(request, socket, head, (socketWs) => {
      const connection = new WsConnection(socketWs, { http, closeTimeoutMs: this.#options.closeTimeoutMs, keepAliveMs: this.#options.keepAliveMs });
      this.#connections.add(connection);
      const cancelExpiry = closeAtExpiry(principal, () => void connection.close('the access token expired'));
      connection.once('close', () => {
        cancelExpiry();
        this.#connections.delete(connection);
      });
      this.emitConnection(connection);
    });
  }
}

/**
 * Starts a WebSocket listener; `target` is the `ws://…` string a client uses. Rejects with
 * MCPCERT_ERR_CONNECT if the port is taken or an attached `server` is not listening.
 */
export async function listenWs(options: WsListenOptions = {}): Promise<WsListener> {
  if (options.server) {
    if (!options.server.listening) throw new TransportError('MCPCERT_ERR_CONNECT', 'listenWs: the server to attach to must already be listening');
    return new WsListener(options.server, false, options);
  }
  const server = createOwnedServer((_request, response) => {
    response.writeHead(426, { 'content-type': 'text/plain; charset=utf-8', upgrade: 'websocket' });
    response.end('Upgrade Required: this endpoint speaks WebSocket\n');
  });
  await listenOn(server, options.host ?? '127.0.0.1', options.port ?? 0);
  return new WsListener(server, true, options);
}
