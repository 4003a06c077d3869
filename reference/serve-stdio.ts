/**
 * The reference server on this process's stdin/stdout. Apart from the network listeners so a
 * stdio child (spawned once per fresh session by the suite) loads none of them.
 */
import { serveStdio } from '../transport/stdio/server.js';
import type { ReferenceServer } from './server.js';

/** Serves MCP on stdin/stdout; resolves when the client goes away. */
export function serveOnStdio(server: ReferenceServer, maxMessageBytes?: number): Promise<void> {
  const connection = serveStdio(maxMessageBytes === undefined ? {} : { maxMessageBytes });
  server.accept(connection);
  return new Promise((resolve) => connection.on('close', () => resolve()));
}
