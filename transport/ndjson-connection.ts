/**
 * A Connection over any pair of byte streams with newline-delimited JSON framing: the
 * stdio pipes of a child process, our own stdin/stdout, or a TCP socket.
 */
import type { Readable, Writable } from 'node:stream';
import { encode } from './codec.js';
import { BaseConnection, type CommonOptions, type TransportKind } from './connection.js';
import { closedError, TransportError } from './errors.js';
import { frameLine, LineFramer } from './framing/ndjson.js';
import type { JsonRpcPayload } from './jsonrpc.js';
import { writeChunk } from './stream-write.js';

export interface NdjsonConnectionOptions extends CommonOptions {
  transport: TransportKind;
  input: Readable;
  output: Writable;
  /** Releases what the streams belong to (kills a child, destroys a socket). */
  dispose: (reason: string) => Promise<void>;
}

export class NdjsonConnection extends BaseConnection {
  readonly transport: TransportKind;
  readonly #framer: LineFramer;
  readonly #input: Readable;
  readonly #output: Writable;
  readonly #dispose: (reason: string) => Promise<void>;
  #closing: Promise<void> | undefined;
  /** Frames sent during this tick, written together on the next one. */
  #pending: Buffer[] | undefined;
  #flushed: Promise<void> | undefined;
  #settleBatch: ((written: Promise<void>) => void) | undefined;

  constructor(options: NdjsonConnectionOptions) {
    super();
    this.transport = options.transport;
    this.#framer = new LineFramer(options.maxMessageBytes);
    this.#input = options.input;
    this.#output = options.output;
    this.#dispose = options.dispose;
    this.#input.on('data', this.#onData);
    this.#input.on('end', this.#onEnd);
    this.#input.on('error', this.#onStreamError);
    this.#output.on('error', this.#onStreamError);
  }

  send(payload: JsonRpcPayload): Promise<void> {
    if (this.closed) return Promise.reject(closedError(`${this.transport} send`));
    const frame = frameLine(encode(payload));
    if (this.#pending) {
      this.#pending.push(frame);
      return this.#flushed!;
    }
    // Messages sent in the same tick leave in one write: under load this turns many small
    // syscalls (and TCP segments) into one, without delaying a lone message. An explicit batch
    // rather than cork(): process.stdout on a pipe writes synchronously and gains nothing from cork.
    this.#pending = [frame];
    this.#flushed = new Promise<void>((resolve, reject) => {
      this.#settleBatch = (written) => written.then(resolve, reject);
      process.nextTick(() => this.#writeBatch());
    });
    return this.#flushed;
  }

  /** Writes the frames gathered this tick; also called on close, so nothing sent is lost. */
  #writeBatch(): void {
    const frames = this.#pending;
    const settle = this.#settleBatch;
    if (!frames || !settle) return;
    this.#pending = undefined;
    this.#flushed = undefined;
    this.#settleBatch = undefined;
    settle(writeChunk(this.#output, frames.length === 1 ? frames[0]! : Buffer.concat(frames), `${this.transport} send`));
  }

  close(reason = 'closed by this side'): Promise<void> {
    this.#closing ??= this.#shutdown('local', reason);
    return this.#closing;
  }

  /** The peer went away or the streams failed: release everything, once. */
  protected remoteClosed(reason: string, error?: TransportError): void {
    this.#closing ??= this.#shutdown('remote', reason, error);
  }

  async #shutdown(by: 'local' | 'remote', reason: string, error?: TransportError): Promise<void> {
    this.#writeBatch();
    this.#input.off('data', this.#onData);
    this.#input.off('end', this.#onEnd);
    try {
      await this.#dispose(reason);
    } finally {
      this.markClosed(error ? { by, reason, error } : { by, reason });
    }
  }

  readonly #onData = (chunk: Buffer | string): void => {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    const receivedAt = Date.now();
    for (const frame of this.#framer.push(buffer)) {
      if ('error' in frame) this.emitError(frame.error);
      else this.receiveFrame(frame.text, { transport: this.transport, receivedAt, bytes: frame.bytes });
    }
  };

  readonly #onEnd = (): void => {
    for (const frame of this.#framer.end()) if ('error' in frame) this.emitError(frame.error);
    this.remoteClosed('the peer closed its output');
  };

  readonly #onStreamError = (err: Error): void => {
    const error = new TransportError('MCPCERT_ERR_CLOSED', `${this.transport} stream error: ${err.message}`, { cause: err });
    this.emitError(error);
    this.remoteClosed(error.message, error);
  };
}
