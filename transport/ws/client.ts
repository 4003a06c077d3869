/**
 * WebSocket transport, client side (project convention, see ./server.ts). Offers the `mcp`
 * subprotocol. The `ws` library refuses a server that answers an offer with no subprotocol,
 * while RFC 6455 lets such a server through; unless `requireSubprotocol` is set, the client
 * then retries once without an offer (within the same handshake timeout) and records the
 * outcome in `negotiatedProtocol` (undefined), so a check can report it.
 */
import type { IncomingMessage } from 'node:http';
import { WebSocket } from 'ws';
import { DEFAULT_MAX_MESSAGE_BYTES, type CommonOptions, type HttpMeta } from '../connection.js';
import { clip, timeoutError, TransportError } from '../errors.js';
import { flattenHeaders } from '../http-common.js';
import { MCP_SUBPROTOCOL, WsConnection } from './server.js';

export interface WsConnectOptions extends CommonOptions {
  /** Extra headers on the upgrade request, e.g. `Authorization` or `Origin`. */
  headers?: Record<string, string>;
  /** Bound on the whole opening handshake, retry included (default 10 s). */
  handshakeTimeoutMs?: number;
  /** How long close() waits for the server's close frame (default 2000 ms). */
  closeTimeoutMs?: number;
  /** Ping interval (default: no pings). */
  keepAliveMs?: number;
  /** Fail instead of retrying when the server selects no subprotocol (default false). */
  requireSubprotocol?: boolean;
}

const DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000;
const ERROR_BODY_LIMIT = 64 * 1024;
/** The message ws gives when the server ignored the offered subprotocols. */
const NO_SUBPROTOCOL = 'Server sent no subprotocol';

export class WsClientConnection extends WsConnection {
  readonly url: URL;

  constructor(url: URL, socket: WebSocket, http: HttpMeta, options: WsConnectOptions) {
    super(socket, { http, closeTimeoutMs: options.closeTimeoutMs, keepAliveMs: options.keepAliveMs });
    this.url = url;
  }
}

interface Opened {
  socket: WebSocket;
  http: HttpMeta;
}

function readErrorBody(response: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (): void => resolve(Buffer.concat(chunks).subarray(0, ERROR_BODY_LIMIT).toString('utf8'));
    response.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= ERROR_BODY_LIMIT) response.destroy();
    });
    response.on('end', done);
    response.on('close', done);
    response.on('error', () => undefined);
  });
}

/** One opening handshake; the socket is paused when it resolves, and gone when it rejects. */
function handshake(url: URL, protocols: string[], options: WsConnectOptions, timeoutMs: number): Promise<Opened> {
  return new Promise((resolve, reject) => {
    let socket: WebSocket;
    try {
      socket = new WebSocket(url, protocols, {
        headers: options.headers ?? {},
        maxPayload: options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
        perMessageDeflate: false,
        followRedirects: false,
      });
    } catch (err) {
      // Invalid header values and the like are thrown synchronously by node:http.
      reject(new TransportError('MCPCERT_ERR_CONNECT', `cannot open a WebSocket to ${url.href}: ${err instanceof Error ? err.message : String(err)}`, { cause: err }));
      return;
    }
    let settled = false;
    let http: HttpMeta = { headers: {} };
    let timer: NodeJS.Timeout | undefined = undefined;
    const fail = (error: TransportError): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.terminate();
      reject(error);
    };
    timer = setTimeout(() => fail(timeoutError(`the WebSocket handshake with ${url.href}`, timeoutMs)), timeoutMs);
    // After settling, errors belong to the WsConnection (or to nobody, for a dead attempt).
    socket.on('error', (err: Error) => {
      if (err.message === NO_SUBPROTOCOL) fail(new TransportError('MCPCERT_ERR_PROTOCOL', `${url.href}: the server selected no subprotocol although "${MCP_SUBPROTOCOL}" was offered`, { cause: err, headers: http.headers }));
      else fail(new TransportError('MCPCERT_ERR_CONNECT', `WebSocket connection to ${url.href} failed: ${err.message}`, { cause: err }));
    });
    socket.once('upgrade', (response: IncomingMessage) => {
      http = { status: response.statusCode ?? 101, headers: flattenHeaders(response.headers) };
    });
    socket.once('unexpected-response', (_request, response: IncomingMessage) => {
      const status = response.statusCode ?? 0;
      const headers = flattenHeaders(response.headers);
      void readErrorBody(response).then((raw) => {
        fail(new TransportError('MCPCERT_ERR_HTTP_STATUS', `the WebSocket handshake with ${url.href} was answered HTTP ${status}`, { status, headers, raw: clip(raw) }));
      });
    });
    socket.once('open', () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // Held until the caller has had a chance to listen; see connectWs.
      socket.pause();
      resolve({ socket, http });
    });
  });
}

function wsUrl(target: string | URL): URL {
  let url: URL;
  try {
    url = new URL(typeof target === 'string' ? target : target.href);
  } catch {
    throw new TransportError('MCPCERT_ERR_CONNECT', `not a URL: ${clip(String(target), 200)}`);
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') throw new TransportError('MCPCERT_ERR_CONNECT', `a WebSocket target must be ws:// or wss://, got ${url.protocol}`);
  return url;
}

/**
 * Opens a WebSocket connection offering the `mcp` subprotocol. Rejects with
 * MCPCERT_ERR_TIMEOUT after `handshakeTimeoutMs`, MCPCERT_ERR_HTTP_STATUS when the server
 * answers the upgrade with an HTTP error (status, headers and body kept), MCPCERT_ERR_PROTOCOL
 * when it selects no subprotocol and `requireSubprotocol` is set, MCPCERT_ERR_CONNECT otherwise.
 */
export async function connectWs(target: string | URL, options: WsConnectOptions = {}): Promise<WsClientConnection> {
  const url = wsUrl(target);
  const timeoutMs = options.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  let opened: Opened;
  try {
    opened = await handshake(url, [MCP_SUBPROTOCOL], options, timeoutMs);
  } catch (err) {
    const noSubprotocol = err instanceof TransportError && err.code === 'MCPCERT_ERR_PROTOCOL';
    if (!noSubprotocol || options.requireSubprotocol) throw err;
    opened = await handshake(url, [], options, Math.max(1, deadline - Date.now()));
  }
  const connection = new WsClientConnection(url, opened.socket, opened.http, options);
  // The caller's continuation runs before this, so its listeners see the first frames.
  setImmediate(() => opened.socket.resume());
  return connection;
}
