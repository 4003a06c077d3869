/**
 * Starts the reference server's listeners: any of http, sse, ws, tcp (one process, one
 * ReferenceServer), or stdio on our own stdin/stdout. Each listener is announced by the
 * caller with its target. With `auth`, the HTTP-based listeners are OAuth resource servers
 * (or take one static token) and serve their Protected Resource Metadata.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Listener } from '../transport/connection.js';
import { AUTH_TRANSPORTS, NETWORK_TRANSPORTS, type NetworkTransport } from './transports.js';
import type { Authorizer } from '../transport/http-common.js';
import { listenHttp } from '../transport/http/server.js';
import { listenSse } from '../transport/sse/server.js';
import { listenTcp } from '../transport/tcp/listener.js';
import { listenWs } from '../transport/ws/server.js';
import { AuthConfigError, type AuthConfig } from './auth/config.js';
import { IssuerKeys } from './auth/issuer-keys.js';
import { listenProtected } from './auth/listen.js';
import { httpRules, isModernPost } from './http-rules.js';
import type { ReferenceServer } from './server.js';

export { AUTH_TRANSPORTS, NETWORK_TRANSPORTS, type NetworkTransport } from './transports.js';

export interface ListenOptions {
  host: string;
  /** 0 gives each listener a free port; N gives the i-th transport port N+i. */
  port: number;
  maxMessageBytes?: number;
  /**
   * Authorization for the http, sse and ws listeners. tcp cannot carry a token and is refused
   * with it; stdio takes credentials from the environment instead (spec digest §D).
   */
  auth?: AuthConfig;
}


interface Common {
  host: string;
  port: number;
  maxMessageBytes?: number;
}

export async function listenAll(server: ReferenceServer, transports: readonly NetworkTransport[], options: ListenOptions): Promise<Listener[]> {
  const auth = options.auth;
  const unprotected = auth ? transports.filter((t) => !AUTH_TRANSPORTS.includes(t)) : [];
  if (unprotected.length > 0) throw new AuthConfigError(`authorization applies to ${AUTH_TRANSPORTS.join(', ')} only; ${unprotected.join(', ')} would be left open`);
  // One key cache for all endpoints of the issuer.
  const keys = auth?.mode === 'oauth' ? new IssuerKeys({ issuer: auth.issuer }) : undefined;
  const listeners: Listener[] = [];
  try {
    for (const transport of transports) {
      const port = options.port === 0 ? 0 : options.port + NETWORK_TRANSPORTS.indexOf(transport);
      const common: Common = { host: options.host, port, ...(options.maxMessageBytes === undefined ? {} : { maxMessageBytes: options.maxMessageBytes }) };
      const listener = auth ? await listenAuthorized(server, transport, common, auth, keys) : await listenOne(server, transport, common);
      server.attach(listener);
      listeners.push(listener);
    }
  } catch (err) {
    await Promise.all(listeners.map((l) => l.close()));
    throw err;
  }
  return listeners;
}

function listenOne(server: ReferenceServer, transport: NetworkTransport, common: Common, attach?: { server: Server; authorize: Authorizer }): Promise<Listener> {
  switch (transport) {
    case 'http':
      return listenHttp({
        ...common,
        ...attach,
        path: '/mcp',
        // Both eras on one endpoint: initialize opens a session, 2026-07-28 requests stand alone.
        sessionless: isModernPost,
        validateRequest: httpRules({ versionOf: (id) => server.sessionBySessionId(id)?.version, inputSchemaOf: (tool) => server.registry.tool(tool)?.inputSchema }),
      });
    case 'sse':
      return listenSse({ ...common, ...attach, ssePath: '/sse', postPath: '/messages' });
    case 'ws':
      return listenWs({ ...common, ...attach, path: '/mcp' });
    case 'tcp':
      return listenTcp(common);
  }
}

/** An HTTP-based listener on a server of our own, which also serves the resource metadata. */
function listenAuthorized(server: ReferenceServer, transport: NetworkTransport, common: Common, auth: AuthConfig, keys: IssuerKeys | undefined): Promise<Listener> {
  const endpoint =
    transport === 'sse'
      ? { scheme: 'http' as const, path: '/sse', ownPaths: ['/sse', '/messages'] }
      : { scheme: transport === 'ws' ? ('ws' as const) : ('http' as const), path: '/mcp', ownPaths: ['/mcp'] };
  return listenProtected({
    host: common.host,
    port: common.port,
    auth,
    ...(keys ? { keys } : {}),
    ...endpoint,
    ...(transport === 'ws' ? { plainRequest: upgradeRequired } : {}),
    start: (httpServer, authorize) => listenOne(server, transport, common, { server: httpServer, authorize }),
  });
}

function upgradeRequired(_request: IncomingMessage, response: ServerResponse): void {
  response.writeHead(426, { 'content-type': 'text/plain; charset=utf-8', upgrade: 'websocket' });
  response.end('Upgrade Required: this endpoint speaks WebSocket\n');
}
