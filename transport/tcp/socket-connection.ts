/** An NDJSON Connection over one TCP socket, used by both the client and the listener. */
import type { Socket } from 'node:net';
import { NdjsonConnection } from '../ndjson-connection.js';

const CLOSE_GRACE_MS = 2000;

export function socketConnection(socket: Socket, maxMessageBytes: number | undefined): NdjsonConnection {
  socket.setNoDelay(true);
  return new NdjsonConnection({
    transport: 'tcp',
    input: socket,
    output: socket,
    ...(maxMessageBytes === undefined ? {} : { maxMessageBytes }),
    dispose: () => endSocket(socket),
  });
}

/** A graceful FIN first, so the peer reads everything we sent; destroy if it lingers. */
function endSocket(socket: Socket): Promise<void> {
  if (socket.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => socket.destroy(), CLOSE_GRACE_MS);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.end();
    // We are done reading too: without this a half-open peer would keep the socket alive.
    socket.resume();
  });
}
