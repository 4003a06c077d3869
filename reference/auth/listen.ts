/**
 * Starts an HTTP-based listener (Streamable HTTP, legacy SSE, WebSocket) behind an AuthPolicy:
 * the http.Server is created here, so that the same origin also serves the Protected Resource
 * Metadata, and the transport is attached to it with the policy as its `authorize` hook.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Listener, ListenerEvents, TransportKind } from '../../transport/connection.js';
import { closeOwnedServer, createOwnedServer, listenOn, requestPath, serverAuthority, type Authorizer } from '../../transport/http-common.js';
import type { AuthConfig } from './config.js';
import type { IssuerKeys } from './issuer-keys.js';
import { createAuthPolicy, type AuthPolicy } from './policy.js';
import { serveMetadata } from './well-known.js';

const CLOSE_GRACE_MS = 2000;

export interface ProtectedListenOptions {
  host: string;
  port: number;
  auth: AuthConfig;
  keys?: IssuerKeys;
  /** `ws` for a WebSocket endpoint: its resource URI is `ws://…`. */
  scheme: 'http' | 'ws';
  /** The endpoint path that forms the resource URI (`/mcp`, `/sse`). */
  path: string;
  /** Every path the transport answers (the SSE transport has two). */
  ownPaths: readonly string[];
  /** A plain request on an own path that the transport does not take (a WebSocket endpoint's GET). */
  plainRequest?: (request: IncomingMessage, response: ServerResponse) => void;
  /** Attaches the transport to the listening server. */
  start: (server: Server, authorize: Authorizer) => Promise<Listener>;
}

/** A listener that also owns the server it is attached to, and closes both. */
class ServerOwningListener implements Listener {
  readonly #inner: Listener;
  readonly #server: Server;
  readonly policy: AuthPolicy;
  #closing: Promise<void> | undefined;

  constructor(inner: Listener, server: Server, policy: AuthPolicy) {
    this.#inner = inner;
    this.#server = server;
    this.policy = policy;
  }

  get transport(): TransportKind {
    return this.#inner.transport;
  }

  get target(): string {
    return this.#inner.target;
  }

  close(): Promise<void> {
    this.#closing ??= this.#inner.close().then(() => closeOwnedServer(this.#server, CLOSE_GRACE_MS));
    return this.#closing;
  }

  on<E extends keyof ListenerEvents>(event: E, listener: (...args: ListenerEvents[E]) => void): this {
    this.#inner.on(event, listener);
    return this;
  }

  off<E extends keyof ListenerEvents>(event: E, listener: (...args: ListenerEvents[E]) => void): this {
    this.#inner.off(event, listener);
    return this;
  }
}

function notFound(response: ServerResponse): void {
  if (response.headersSent || response.destroyed) return;
  const body = 'Not Found\n';
  response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

export async function listenProtected(options: ProtectedListenOptions): Promise<Listener & { readonly policy: AuthPolicy }> {
  let policy: AuthPolicy | undefined;
  const server = createOwnedServer((request, response) => {
    const path = requestPath(request.url)?.pathname;
    if (path !== undefined && options.ownPaths.includes(path)) return options.plainRequest?.(request, response);
    request.resume();
    if (policy?.metadata !== undefined && path !== undefined && policy.metadataPaths.includes(path)) return serveMetadata(policy.metadata, request, response);
    notFound(response);
  });
  await listenOn(server, options.host, options.port);
  // Attached transports leave server errors to the owner; one that nobody hears must not end the process.
  server.on('error', () => undefined);
  try {
    const { host, port } = serverAuthority(server);
    policy = createAuthPolicy(options.auth, { resource: `${options.scheme}://${host}:${port}${options.path}` }, options.keys ? { keys: options.keys } : {});
    const inner = await options.start(server, policy.authorize);
    return new ServerOwningListener(inner, server, policy);
  } catch (err) {
    await closeOwnedServer(server, CLOSE_GRACE_MS);
    throw err;
  }
}
