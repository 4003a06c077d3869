/** The client side of the TCP transport: `tcp://HOST:PORT`. */
import { connect } from 'node:net';
import type { CommonOptions } from '../connection.js';
import { TransportError } from '../errors.js';
import type { NdjsonConnection } from '../ndjson-connection.js';
import { socketConnection } from './socket-connection.js';

export interface TcpClientOptions extends CommonOptions {
  connectTimeoutMs?: number;
}

export function parseTcpTarget(target: string): { host: string; port: number } {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new TransportError('MCPCERT_ERR_CONNECT', `not a tcp:// target: ${target}`);
  }
  const port = Number(url.port);
  if (url.protocol !== 'tcp:' || !url.hostname || !Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new TransportError('MCPCERT_ERR_CONNECT', `a TCP target looks like tcp://HOST:PORT, got ${target}`);
  }
  return { host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port };
}

export function connectTcp(target: string, options: TcpClientOptions = {}): Promise<NdjsonConnection> {
  const { host, port } = parseTcpTarget(target);
  const timeoutMs = options.connectTimeoutMs ?? 10_000;
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, noDelay: true });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new TransportError('MCPCERT_ERR_TIMEOUT', `connecting to ${target} timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(new TransportError('MCPCERT_ERR_CONNECT', `cannot connect to ${target}: ${err.message}`, { cause: err }));
    });
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(socketConnection(socket, options.maxMessageBytes));
    });
  });
}
