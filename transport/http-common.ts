/**
 * Plumbing shared by the HTTP-based transports (Streamable HTTP, legacy SSE, WebSocket
 * upgrades): header flattening, the default Origin rule, and servers whose sockets are
 * tracked so that closing them leaves nothing open.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { TransportError } from './errors.js';

/**
 * Decides whether a request may proceed, given its `Origin` header (absent for non-browser
 * clients) and the request itself (its `Host`, the local address it arrived on).
 */
export type OriginPolicy = (origin: string | undefined, request: IncomingMessage) => boolean;

const LOOPBACK_HOSTNAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

function isLoopbackHostname(hostname: string): boolean {
  return LOOPBACK_HOSTNAMES.has(hostname) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

function isLoopbackAddress(address: string | undefined): boolean {
  return address !== undefined && (address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.'));
}

/**
 * The default rule against DNS rebinding (2024-11-05 and 2025-11-25: "servers MUST validate
 * the Origin header"): an Origin, when present, must be a loopback origin; and a server
 * listening on loopback also refuses a non-loopback `Host`, because a rebound page's
 * same-origin request may carry no Origin at all but always carries the attacker's host name.
 */
export function allowLoopbackOrigin(origin: string | undefined, request?: IncomingMessage): boolean {
  const loopbackListener = request !== undefined && isLoopbackAddress(request.socket.localAddress);
  // \0 marks an absent header, which must not share a key with an empty one.
  const key = `${loopbackListener ? 'L' : 'R'}|${origin ?? '\0'}|${loopbackListener ? (request.headers.host ?? '\0') : ''}`;
  const known = decisions.get(key);
  if (known !== undefined) return known;
  const decided = decideLoopbackOrigin(origin, loopbackListener ? request.headers.host : undefined);
  // A few distinct Origin/Host pairs recur on every request; parsing URLs each time showed up
  // in profiles. The cache is bounded so a stream of junk values cannot grow it.
  if (decisions.size >= 256) decisions.clear();
  decisions.set(key, decided);
  return decided;
}

const decisions = new Map<string, boolean>();

function decideLoopbackOrigin(origin: string | undefined, host: string | undefined): boolean {
  if (origin !== undefined) {
    try {
      if (!isLoopbackHostname(new URL(origin).hostname)) return false;
    } catch {
      // `null` (opaque origins) and garbage are not loopback.
      return false;
    }
  }
  if (host === undefined) return true;
  try {
    return isLoopbackHostname(new URL(`http://${host}`).hostname);
  } catch {
    return false;
  }
}

/** Node's header object as plain lower-case strings; repeated headers are joined with ", ". */
export function flattenHeaders(headers: IncomingHttpHeaders | Record<string, string | string[] | number | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return flat;
}

/**
 * Who an authorized request comes from. `id` is what a transport binds a session to: the
 * principal that opened a session is the only one that may use it afterwards.
 */
export interface AuthPrincipal {
  /** Stable identity of the caller (e.g. issuer and subject of an access token). */
  id: string;
  subject: string;
  clientId?: string;
  /** Scopes the credential grants. */
  scopes: string[];
  /** When the credential stops being valid (epoch ms), when it says so. */
  expiresAt?: number;
}

/**
 * The answer of an authorization check: go on as `principal`, or stop with this HTTP status,
 * these headers (`www-authenticate`, …) and a human-readable message the transport renders
 * in its usual error body.
 */
export type AuthDecision = { ok: true; principal: AuthPrincipal } | { ok: false; status: number; headers: Record<string, string>; message: string };

/** Decides one HTTP request (a POST, a GET stream, a WebSocket upgrade) before anything else is done with it. */
export type Authorizer = (request: IncomingMessage) => AuthDecision | Promise<AuthDecision>;

/** Runs an Authorizer; a check that throws refuses the request instead of crashing the listener. */
export async function authorizeRequest(authorize: Authorizer, request: IncomingMessage): Promise<AuthDecision> {
  try {
    return await authorize(request);
  } catch (err) {
    return { ok: false, status: 500, headers: {}, message: `Internal Server Error: the authorization check failed (${err instanceof Error ? err.message : String(err)})` };
  }
}

/**
 * The refusal of a request that carries a valid credential for a session another principal
 * opened: a session id is never authentication (SEC-010, M-SEC-006), and sessions are bound to
 * the user who created them (SEC-013, M-SEC-008).
 */
export const SESSION_OWNER_MISMATCH: Extract<AuthDecision, { ok: false }> = {
  ok: false,
  status: 403,
  headers: {},
  message: 'Forbidden: this session belongs to another principal',
};

/** setTimeout's limit; a longer delay would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Closes a long-lived connection (a WebSocket, a legacy SSE stream) once the credential that
 * opened it expires, because no later request re-checks it. `close` always runs from a timer,
 * never synchronously, so the caller may finish setting the connection up. Returns a canceller.
 */
export function closeAtExpiry(principal: AuthPrincipal | undefined, close: () => void): () => void {
  if (principal?.expiresAt === undefined) return () => undefined;
  const expiresAt = principal.expiresAt;
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    const delay = expiresAt - Date.now();
    timer = setTimeout(delay > MAX_TIMER_MS ? arm : close, Math.max(0, Math.min(delay, MAX_TIMER_MS)));
    timer.unref();
  };
  arm();
  return () => clearTimeout(timer);
}

/** The pathname of a request URL, or undefined when it cannot be parsed. */
export function requestPath(url: string | undefined): URL | undefined {
  try {
    return new URL(url ?? '/', 'http://request.invalid');
  } catch {
    return undefined;
  }
}

/** `http://host:port` for a listening server, with IPv6 addresses bracketed. */
export function serverAuthority(server: Server): { host: string; port: number } {
  const address = server.address() as AddressInfo | string | null;
  if (address === null || typeof address === 'string') throw new TransportError('MCPCERT_ERR_CONNECT', 'the HTTP server is not listening on a TCP port');
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return { host, port: address.port };
}

/** Listens on `host:port` with a bound on how long it may take. */
export function listenOn(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(new TransportError('MCPCERT_ERR_CONNECT', `cannot listen on ${host}:${port}: ${err.message}`, { cause: err }));
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/** Per server we created: each socket and how many requests it is serving right now. */
const ownedSockets = new WeakMap<Server, Map<Socket, number>>();

/**
 * An http.Server whose sockets are tracked, so that closing it can cut at once the sockets
 * that carry no request (keep-alive leftovers, connections opened and never used).
 */
export function createOwnedServer(handler?: RequestListener): Server {
  const server = handler ? createServer(handler) : createServer();
  const sockets = new Map<Socket, number>();
  ownedSockets.set(server, sockets);
  server.on('connection', (socket: Socket) => {
    sockets.set(socket, 0);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const socket = request.socket;
    if (!sockets.has(socket)) return;
    sockets.set(socket, (sockets.get(socket) ?? 0) + 1);
    response.once('close', () => {
      const busy = sockets.get(socket);
      if (busy !== undefined) sockets.set(socket, Math.max(0, busy - 1));
    });
  });
  return server;
}

/**
 * Closes a server made by createOwnedServer: sockets with no request in flight at once, busy
 * ones after `graceMs`, so the process is left with no sockets even when a peer never hangs up.
 */
export function closeOwnedServer(server: Server, graceMs: number): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
    for (const [socket, busy] of ownedSockets.get(server) ?? []) if (busy === 0) socket.destroy();
    server.closeIdleConnections();
  });
}
