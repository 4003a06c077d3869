/**
 * Request/response matching over any Connection: ids, timeouts, and routing of incoming
 * requests and notifications to handlers. Deliberately free of MCP semantics (no lifecycle,
 * no capabilities) so that clients, servers and tests can all sit on it.
 */
import type { Connection, MessageMeta, SendOptions } from './connection.js';
import { timeoutError, closedError, TransportError } from './errors.js';
import {
  errorResponse,
  isErrorResponse,
  isNotification,
  isRequest,
  isResult,
  notification,
  request,
  result,
  ErrorCode,
  type JsonObject,
  type JsonRpcNotification,
  type JsonRpcRequest,
  type JsonValue,
  type RequestId,
} from './jsonrpc.js';

/** A JSON-RPC error answered by the peer (or to be answered by us). */
export class RpcError extends Error {
  override readonly name = 'RpcError';
  readonly code: number;
  readonly data: JsonValue | undefined;

  constructor(code: number, message: string, data?: JsonValue) {
    super(message);
    this.code = code;
    this.data = data;
  }
}

export interface RequestOptions extends SendOptions {
  timeoutMs?: number;
  /**
   * Aborting gives up on the request: the peer is sent `notifications/cancelled` for it (as
   * the spec asks of a requester that stops waiting) and the promise rejects with the reason.
   */
  signal?: AbortSignal;
  /** Use this id instead of the next counter value (tests of id handling need it). */
  id?: RequestId;
}

export type RequestHandler = (request: JsonRpcRequest, meta: MessageMeta) => JsonObject | Promise<JsonObject>;
export type NotificationHandler = (notification: JsonRpcNotification, meta: MessageMeta) => void;

interface Pending {
  resolve: (value: JsonObject) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new Error(reason === undefined ? 'aborted' : String(reason));
}

export class RpcPeer {
  readonly connection: Connection;
  #nextId = 1;
  readonly #pending = new Map<RequestId, Pending>();
  #onRequest: RequestHandler | undefined;
  #onNotification: NotificationHandler | undefined;
  readonly defaultTimeoutMs: number;

  /**
   * `answerRequests: false` leaves incoming requests and notifications to someone else (a
   * protocol engine that needs cancellation and batches), keeping only response matching.
   */
  constructor(connection: Connection, options: { timeoutMs?: number; answerRequests?: boolean } = {}) {
    this.connection = connection;
    this.defaultTimeoutMs = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    const answer = options.answerRequests ?? true;
    connection.on('message', (message, meta) => {
      if (isResult(message) || isErrorResponse(message)) this.#settle(message.id ?? null, message);
      else if (!answer) return;
      else if (isRequest(message)) void this.#answer(message, meta);
      else if (isNotification(message)) this.#onNotification?.(message, meta);
    });
    connection.on('close', (info) => {
      const error = info.error ?? closedError(`request (${info.reason})`);
      for (const [id, pending] of this.#pending) {
        clearTimeout(pending.timer);
        this.#pending.delete(id);
        pending.reject(error);
      }
    });
  }

  get inFlight(): number {
    return this.#pending.size;
  }

  onRequest(handler: RequestHandler): void {
    this.#onRequest = handler;
  }

  onNotification(handler: NotificationHandler): void {
    this.#onNotification = handler;
  }

  request(method: string, params?: JsonObject, options: RequestOptions = {}): Promise<JsonObject> {
    const id = options.id ?? this.#nextId++;
    if (this.#pending.has(id)) return Promise.reject(new TransportError('MCPCERT_ERR_PROTOCOL', `request id ${String(id)} is already in flight`));
    const timeoutMs = options.timeoutMs ?? this.defaultTimeoutMs;
    const signal = options.signal;
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    return new Promise<JsonObject>((resolve, reject) => {
      const onAbort = () => {
        if (!this.#pending.delete(id)) return;
        clearTimeout(timer);
        void this.notify('notifications/cancelled', { requestId: id, reason: String(abortReason(signal!).message) }, options).catch(() => undefined);
        reject(abortReason(signal!));
      };
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        signal?.removeEventListener('abort', onAbort);
        reject(timeoutError(`${method} #${String(id)}`, timeoutMs));
      }, timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      const settle = <T>(fn: (value: T) => void) => (value: T) => {
        signal?.removeEventListener('abort', onAbort);
        fn(value);
      };
      this.#pending.set(id, { resolve: settle(resolve), reject: settle(reject), timer });
      this.connection.send(request(id, method, params), options).catch((err: unknown) => {
        if (!this.#pending.delete(id)) return;
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      });
    });
  }

  notify(method: string, params?: JsonObject, options?: SendOptions): Promise<void> {
    return this.connection.send(notification(method, params), options);
  }

  #settle(id: RequestId | null, message: { result: JsonObject } | { error: { code: number; message: string; data?: JsonValue } }): void {
    if (id === null) return;
    const pending = this.#pending.get(id);
    if (!pending) return;
    this.#pending.delete(id);
    clearTimeout(pending.timer);
    if ('result' in message) pending.resolve(message.result);
    else pending.reject(new RpcError(message.error.code, message.error.message, message.error.data));
  }

  async #answer(message: JsonRpcRequest, meta: MessageMeta): Promise<void> {
    const options: SendOptions = { relatedRequestId: message.id };
    let reply;
    if (!this.#onRequest) {
      reply = errorResponse(message.id, ErrorCode.MethodNotFound, `Method not found: ${message.method}`);
    } else {
      try {
        reply = result(message.id, await this.#onRequest(message, meta));
      } catch (err) {
        reply = err instanceof RpcError
          ? errorResponse(message.id, err.code, err.message, err.data)
          : errorResponse(message.id, ErrorCode.InternalError, err instanceof Error ? err.message : String(err));
      }
    }
    if (this.connection.closed) return;
    await this.connection.send(reply, options).catch(() => {
      // The connection closed while we worked; its close event already reached everyone.
    });
  }
}
