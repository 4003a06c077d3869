/**
 * The one contract every transport fulfils, client side and server side. Transport facts
 * (HTTP status, headers, SSE event ids) ride on each received message as `meta`, so the
 * interface stays the same for all five transports and decorators can wrap any of them.
 */
import { EventEmitter } from 'node:events';
import { decode } from './codec.js';
import type { MessageError, TransportError } from './errors.js';
import type { AuthPrincipal } from './http-common.js';
import type { JsonRpcMessage, JsonRpcPayload, RequestId } from './jsonrpc.js';

export type TransportKind = 'stdio' | 'http' | 'sse' | 'ws' | 'tcp';
export const TRANSPORT_KINDS: readonly TransportKind[] = ['stdio', 'http', 'sse', 'ws', 'tcp'];

export interface HttpMeta {
  method?: string;
  url?: string;
  status?: number;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** Who the request was authorized as, when the listener checks authorization. */
  principal?: AuthPrincipal;
}

export interface MessageMeta {
  transport: TransportKind;
  receivedAt: number;
  /** Size of the frame on the wire, in bytes. */
  bytes: number;
  http?: HttpMeta;
  sse?: { id?: string; event?: string; streamId?: string };
  /** Present when the message arrived inside a JSON-RPC batch (2025-03-26). */
  batch?: { index: number; size: number; id: number };
  sessionId?: string;
}

export interface SendOptions {
  /**
   * The request this message belongs to. On Streamable HTTP it picks the SSE stream a server
   * writes a notification to; other transports ignore it.
   */
  relatedRequestId?: RequestId;
  /**
   * Streamable HTTP, server side: the status of the HTTP response when this response is the
   * whole answer to its POST in JSON (2026-07-28 maps some JSON-RPC errors onto 400 and 404).
   * Ignored on an SSE stream, whose status went out with its first event, and elsewhere.
   */
  httpStatus?: number;
}

export interface CloseInfo {
  /** Who ended it: this side (`local`) or the peer or the network (`remote`). */
  by: 'local' | 'remote';
  reason: string;
  error?: TransportError;
}

export interface ConnectionEvents {
  message: [message: JsonRpcMessage, meta: MessageMeta];
  /** A frame that was not a usable message, or a transport-level failure. Never fatal by itself. */
  error: [error: TransportError | MessageError];
  close: [info: CloseInfo];
  /** Side-channel text: a stdio child's stderr lines. */
  log: [line: string];
}

export interface Connection {
  readonly transport: TransportKind;
  readonly closed: boolean;
  /** Session id where the transport has one (Streamable HTTP, legacy SSE). */
  readonly sessionId: string | undefined;
  /** Resolves once the bytes are handed to the OS (respecting backpressure); rejects if closed. */
  send(payload: JsonRpcPayload, options?: SendOptions): Promise<void>;
  /** Ends the connection on both sides; resolves when everything it owned is released. */
  close(reason?: string): Promise<void>;
  on<E extends keyof ConnectionEvents>(event: E, listener: (...args: ConnectionEvents[E]) => void): this;
  once<E extends keyof ConnectionEvents>(event: E, listener: (...args: ConnectionEvents[E]) => void): this;
  off<E extends keyof ConnectionEvents>(event: E, listener: (...args: ConnectionEvents[E]) => void): this;
}

export interface ListenerEvents {
  connection: [connection: Connection];
  error: [error: TransportError];
}

/** The server side of a transport: accepts connections (sessions, sockets, a stdio pair). */
export interface Listener {
  readonly transport: TransportKind;
  /** The TARGET string a client uses to reach it (`http://127.0.0.1:4000/mcp`, `tcp://…`). */
  readonly target: string;
  close(): Promise<void>;
  on<E extends keyof ListenerEvents>(event: E, listener: (...args: ListenerEvents[E]) => void): this;
  off<E extends keyof ListenerEvents>(event: E, listener: (...args: ListenerEvents[E]) => void): this;
}

/** Options shared by every transport. */
export interface CommonOptions {
  /** Largest accepted frame in bytes (default 4 MiB). */
  maxMessageBytes?: number;
}

export const DEFAULT_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

let batchCounter = 0;

/**
 * Typed event plumbing shared by the transports. `emitMessage` and friends are the only way
 * transports raise events, so `close` is emitted exactly once.
 */
export abstract class BaseConnection extends EventEmitter implements Connection {
  abstract readonly transport: TransportKind;
  #closed = false;
  sessionId: string | undefined = undefined;

  get closed(): boolean {
    return this.#closed;
  }

  abstract send(payload: JsonRpcPayload, options?: SendOptions): Promise<void>;
  abstract close(reason?: string): Promise<void>;

  protected emitMessage(message: JsonRpcMessage, meta: MessageMeta): void {
    if (!this.#closed) this.emit('message', message, meta);
  }

  /**
   * Decodes one frame and raises a `message` per JSON-RPC message in it (a batch raises one
   * per member, tagged with `meta.batch`) and an `error` per unusable part.
   */
  protected receiveFrame(text: string, meta: MessageMeta): void {
    const decoded = decode(text);
    if (!decoded.ok) {
      this.emitError(decoded.error);
      return;
    }
    for (const fault of decoded.faults) this.emitError(fault);
    if (!decoded.batch) {
      this.emitMessage(decoded.messages[0]!, meta);
      return;
    }
    const id = ++batchCounter;
    const size = decoded.messages.length;
    decoded.messages.forEach((message, index) => this.emitMessage(message, { ...meta, batch: { index, size, id } }));
  }

  /** Errors are reported only to listeners; with none attached they must not crash the process. */
  protected emitError(error: TransportError | MessageError): void {
    if (this.listenerCount('error') > 0) this.emit('error', error);
  }

  protected emitLog(line: string): void {
    this.emit('log', line);
  }

  /** Marks the connection closed; returns false if it already was. */
  protected markClosed(info: CloseInfo): boolean {
    if (this.#closed) return false;
    this.#closed = true;
    this.emit('close', info);
    return true;
  }

  override on<E extends keyof ConnectionEvents>(event: E, listener: (...args: ConnectionEvents[E]) => void): this {
    return super.on(event, listener as (...args: unknown[]) => void);
  }
  override once<E extends keyof ConnectionEvents>(event: E, listener: (...args: ConnectionEvents[E]) => void): this {
    return super.once(event, listener as (...args: unknown[]) => void);
  }
  override off<E extends keyof ConnectionEvents>(event: E, listener: (...args: ConnectionEvents[E]) => void): this {
    return super.off(event, listener as (...args: unknown[]) => void);
  }
}

export abstract class BaseListener extends EventEmitter implements Listener {
  abstract readonly transport: TransportKind;
  abstract readonly target: string;
  abstract close(): Promise<void>;

  protected emitConnection(connection: Connection): void {
    this.emit('connection', connection);
  }

  protected emitError(error: TransportError): void {
    if (this.listenerCount('error') > 0) this.emit('error', error);
  }

  override on<E extends keyof ListenerEvents>(event: E, listener: (...args: ListenerEvents[E]) => void): this {
    return super.on(event, listener as (...args: unknown[]) => void);
  }
  override off<E extends keyof ListenerEvents>(event: E, listener: (...args: ListenerEvents[E]) => void): this {
    return super.off(event, listener as (...args: unknown[]) => void);
  }
}
