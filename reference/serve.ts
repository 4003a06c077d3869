/**
 * Starts the reference server's listeners: any of http, sse, ws, tcp (one process, one
 * ReferenceServer), or stdio on our own stdin/stdout. Each listener is announced by the
 * caller with its target.
 */
import type { TransportKind, Listener } from '../transport/connection.js';
import { listenHttp } from '../transport/http/server.js';
import { listenSse } from '../transport/sse/server.js';
import { serveStdio } from '../transport/stdio/server.js';
import { listenTcp } from '../transport/tcp/listener.js';
import { listenWs } from '../transport/ws/server.js';
import { httpRules } from './http-rules.js';
import type { ReferenceServer } from './server.js';

export type NetworkTransport = Exclude<TransportKind, 'stdio'>;
/** The order of `--transport all`, and of the ports `--port N` hands out (N, N+1, …). */
export const NETWORK_TRANSPORTS: readonly NetworkTransport[] = ['http', 'sse', 'ws', 'tcp'];

export interface ListenOptions {
  host: string;
  /** 0 gives each listener a free port; N gives the i-th transport port N+i. */
  port: number;
  maxMessageBytes?: number;
}

export async function listenAll(server: ReferenceServer, transports: readonly NetworkTransport[], options: ListenOptions): Promise<Listener[]> {
  const listeners: Listener[] = [];
  try {
    for (const transport of transports) {
      const port = options.port === 0 ? 0 : options.port + NETWORK_TRANSPORTS.indexOf(transport);
      const common = { host: options.host, port, ...(options.maxMessageBytes === undefined ? {} : { maxMessageBytes: options.maxMessageBytes }) };
      const listener = await listenOne(server, transport, common);
      server.attach(listener);
      listeners.push(listener);
    }
  } catch (err) {
    await Promise.all(listeners.map((l) => l.close()));
    throw err;
  }
  return listeners;
}

function listenOne(server: ReferenceServer, transport: NetworkTransport, common: { host: string; port: number; maxMessageBytes?: number }): Promise<Listener> {
  switch (transport) {
    case 'http':
      return listenHttp({ ...common, path: '/mcp', validateRequest: httpRules((id) => server.sessionBySessionId(id)?.version) });
    case 'sse':
      return listenSse({ ...common, ssePath: '/sse', postPath: '/messages' });
    case 'ws':
      return listenWs({ ...common, path: '/mcp' });
    case 'tcp':
      return listenTcp(common);
  }
}

/** Serves MCP on this process's stdin/stdout; resolves when the client goes away. */
export function serveOnStdio(server: ReferenceServer, maxMessageBytes?: number): Promise<void> {
  const connection = serveStdio(maxMessageBytes === undefined ? {} : { maxMessageBytes });
  server.accept(connection);
  return new Promise((resolve) => connection.on('close', () => resolve()));
}
