/** Writing to a Node stream with backpressure. */
import type { Writable } from 'node:stream';
import { closedError, TransportError } from './errors.js';

/**
 * Resolves when the chunk has been handed to the OS, rejects if the stream fails or is
 * destroyed first (Node then calls the write callback with an error, so this never hangs).
 * A sender that awaits each send therefore moves at the reader's pace instead of buffering
 * without bound.
 */
export function writeChunk(stream: Writable, chunk: Buffer | string, what: string): Promise<void> {
  if (stream.destroyed || stream.writableEnded) return Promise.reject(closedError(what));
  return new Promise((resolve, reject) => {
    stream.write(chunk, (err) => {
      if (!err) resolve();
      else reject(new TransportError('MCPCERT_ERR_CLOSED', `${what}: write failed: ${err.message}`, { cause: err }));
    });
  });
}

/** Ends a writable and waits (bounded) for it to finish; a destroyed stream counts as ended. */
export function endStream(stream: Writable, timeoutMs = 2000): Promise<void> {
  if (stream.destroyed || stream.writableFinished) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, timeoutMs);
    function done(): void {
      clearTimeout(timer);
      stream.off('close', done);
      resolve();
    }
    stream.once('close', done);
    try {
      stream.end(done);
    } catch {
      done();
    }
  });
}
