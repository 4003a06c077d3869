/** Writing to a Node stream with backpressure. */
import type { Writable } from 'node:stream';
import { closedError, TransportError } from './errors.js';

/**
 * Resolves once the stream has taken the chunk without going over its high-water mark, or,
 * when it is over, once it has drained: a sender that awaits each send moves at the reader's
 * pace instead of buffering without bound. Rejects if the stream fails or is destroyed before
 * it drains (a failure after that surfaces as the stream's error, which closes the connection).
 */
export function writeChunk(stream: Writable, chunk: Buffer | string, what: string): Promise<void> {
  if (stream.destroyed || stream.writableEnded) return Promise.reject(closedError(what));
  if (stream.write(chunk)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = (err?: Error) => {
      stream.off('drain', onDrain);
      stream.off('close', onClose);
      stream.off('error', onError);
      if (err) reject(new TransportError('MCPCERT_ERR_CLOSED', `${what}: write failed: ${err.message}`, { cause: err }));
      else resolve();
    };
    const onDrain = () => done();
    const onClose = () => done(closedError(what));
    const onError = (err: Error) => done(err);
    stream.once('drain', onDrain);
    stream.once('close', onClose);
    stream.once('error', onError);
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
