/**
 * Raw TCP with newline-delimited JSON-RPC, one connection per socket. Not an MCP-specified
 * transport: it follows the 2026-07-28 advice that byte-stream transports reuse stdio framing
 * (and erlmcp's convention), and reports label it a project convention.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { BaseListener, type CommonOptions } from '../connection.js';
import { TransportError } from '../errors.js';
import { NdjsonConnection } from '../ndjson-connection.js';
import { socketConnection } from './socket-connection.js';

export interface TcpListenOptions extends CommonOptions {
  host?: string;
  port?: number;
}

export class TcpListener extends BaseListener {
  readonly transport = 'tcp' as const;
  readonly server: Server;
  readonly #open = new Set<NdjsonConnection>();
  readonly #maxMessageBytes: number | undefined;

  constructor(server: Server, maxMessageBytes: number | undefined) {
    super();
    this.server = server;
    this.#maxMessageBytes = maxMessageBytes;
    server.on('connection', (socket: Socket) => {
      const connection = socketConnection(socket, this.#maxMessageBytes);
      this.#open.add(connection);
      connection.on('close', () => this.#open.delete(connection));
      this.emitConnection(connection);
    });
    server.on('error', (err) => this.emitError(new TransportError('MCPCERT_ERR_CONNECT', `tcp listener: ${err.message}`, { cause: err })));
  }

  get port(): number {
    const address = this.server.address();
    return typeof address === 'object' && address !== null ? address.port : 0;
  }

  get target(): string {
    const address = this.server.address();
    if (typeof address !== 'object' || address === null) return 'tcp://unbound';
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `tcp://${host}:${address.port}`;
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    await Promise.all([...this.#open].map((c) => c.close('the listener is closing')));
    await closed;
  }
}

export function listenTcp(options: TcpListenOptions = {}): Promise<TcpListener> {
  const server = createServer({ noDelay: true });
  return new Promise((resolve, reject) => {
    server.once('error', (err) => reject(new TransportError('MCPCERT_ERR_CONNECT', `cannot listen on tcp ${options.host ?? '127.0.0.1'}:${options.port ?? 0}: ${err.message}`, { cause: err })));
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve(new TcpListener(server, options.maxMessageBytes)));
  });
}
