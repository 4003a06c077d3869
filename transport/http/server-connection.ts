/**
 * The server side of one Streamable HTTP session (or, without sessions, of one POST). It is a
 * Connection: messages from the POST bodies come out as `message` events, and `send` routes
 * each outgoing message to exactly one stream (spec digest §B.4 "Multiple connections"):
 * a response to the POST that carried its request; a message with `relatedRequestId` to that
 * request's POST while it is still open; anything else to the GET stream, or the event store
 * until a GET comes.
 */
import type { ServerResponse } from 'node:http';
import { BaseConnection, type MessageMeta, type SendOptions } from '../connection.js';
import { closedError, TransportError, type MessageError } from '../errors.js';
import { isResponse, type JsonRpcMessage, type JsonRpcPayload, type JsonRpcResponse, type RequestId } from '../jsonrpc.js';
import type { EventStore } from './event-store.js';
import { HTTP_LAYER_ERROR, httpErrorBody, idKey, newStreamId, SESSION_HEADER } from './headers.js';
import { PostStream, replayFinished, StandaloneStream, type StreamSettings } from './server-streams.js';

export interface HttpServerConnectionOptions {
  /** Undefined without sessions: the connection then serves a single POST. */
  sessionId: string | undefined;
  store: EventStore;
  /** Whether a POST may be answered with plain JSON (`jsonResponses: 'auto'`). */
  json: boolean;
  priming: boolean;
  writeTimeoutMs: number;
  /** Called once when the connection ends, so the listener forgets it. */
  onEnd: () => void;
  /**
   * The initialize request that opened this session. Until its answer is a result the session
   * is provisional: an error answer goes out without a session id and ends the session, so a
   * refused initialize never leaves one behind.
   */
  openedBy?: RequestId;
}

let batchCounter = 0;

export class HttpServerConnection extends BaseConnection {
  readonly transport = 'http' as const;
  readonly #options: HttpServerConnectionOptions;
  readonly #settings: StreamSettings;
  readonly #streams = new Map<string, PostStream>();
  readonly #byRequest = new Map<string, PostStream[]>();
  readonly #standalone: StandaloneStream | undefined;
  #queued: Array<[JsonRpcMessage, MessageMeta]> | undefined = [];
  #immediate: NodeJS.Immediate | undefined;
  #closeWhenDelivered = false;
  #ending: Promise<void> | undefined;

  constructor(options: HttpServerConnectionOptions) {
    super();
    this.#options = options;
    this.sessionId = options.sessionId;
    this.#settings = {
      store: options.store,
      headers: options.sessionId === undefined ? {} : { [SESSION_HEADER]: options.sessionId },
      writeTimeoutMs: options.writeTimeoutMs,
      priming: options.priming,
    };
    this.#standalone = options.sessionId === undefined ? undefined : new StandaloneStream(newStreamId(), this.#settings);
    // The first messages wait one turn, so whoever took the 'connection' event can attach
    // listeners after an await without missing the request that created the connection.
    this.#immediate = setImmediate(() => this.#flushQueued());
  }

  /** Response headers every answer in this session carries (the session id). */
  get responseHeaders(): Record<string, string> {
    return this.#settings.headers;
  }

  get isStateless(): boolean {
    return this.#options.sessionId === undefined;
  }

  /** Raises the messages of one POST body. */
  deliver(messages: JsonRpcMessage[], meta: MessageMeta, batch: boolean): void {
    const id = ++batchCounter;
    messages.forEach((message, index) => {
      const tagged = batch ? { ...meta, batch: { index, size: messages.length, id } } : meta;
      if (this.#queued) this.#queued.push([message, tagged]);
      else this.emitMessage(message, tagged);
    });
  }

  /** An unusable member of a batch body: answered by the transport, reported here as evidence. */
  emitFault(error: MessageError): void {
    this.emitError(error);
  }

  /** Without sessions, a POST with no requests ends its connection once its messages are out. */
  endAfterDelivery(): void {
    if (this.#queued) this.#closeWhenDelivered = true;
    else void this.close('the POST carried no requests');
  }

  /** Keeps `res` open as the answer to the requests in a POST body. */
  openPost(res: ServerResponse, requestIds: RequestId[], batch: boolean, preset: JsonRpcResponse[]): void {
    const stream: PostStream = new PostStream(res, {
      ...this.#settings,
      id: newStreamId(),
      requestIds,
      batch,
      json: this.#options.json,
      preset,
      onGone: () => {
        // Without sessions nothing can resume the stream: losing it ends the exchange, which
        // 2026-07-28 defines as cancellation (spec digest §B.5).
        if (this.isStateless) void this.#end('remote', 'the client closed the response stream before it was complete');
      },
      onDone: () => this.#retire(stream),
    });
    this.#streams.set(stream.id, stream);
    for (const id of requestIds) {
      const key = idKey(id);
      const list = this.#byRequest.get(key);
      if (list) list.push(stream);
      else this.#byRequest.set(key, [stream]);
    }
  }

  /** Opens the GET stream; false if one is already open (the caller answers 409). */
  openStandalone(res: ServerResponse): boolean {
    if (!this.#standalone || this.#standalone.isOpen) return false;
    this.#standalone.open(res);
    return true;
  }

  /** A GET with `Last-Event-ID`: replays that stream only, then continues it if still open. */
  resume(res: ServerResponse, streamId: string, afterSeq: number): void {
    const active = this.#streams.get(streamId);
    if (active) active.resume(res, afterSeq);
    else if (this.#standalone && streamId === this.#standalone.id) this.#standalone.open(res, afterSeq);
    else replayFinished(res, streamId, afterSeq, this.#settings);
  }

  /**
   * Cuts the HTTP response carrying the stream of request `requestId`, keeping the stream for
   * resumption (see PostStream.disconnect). False if no open stream carries that request.
   */
  disconnectStream(requestId: RequestId, retryMs: number): boolean {
    const stream = this.#byRequest.get(idKey(requestId))?.find((s) => !s.done);
    return stream !== undefined && !this.isStateless && stream.disconnect(retryMs);
  }

  send(payload: JsonRpcPayload, options: SendOptions = {}): Promise<void> {
    if (this.closed) return Promise.reject(closedError('send on an HTTP server connection'));
    const messages = Array.isArray(payload) ? payload : [payload];
    // Routing is synchronous so that messages keep their order on each stream.
    return Promise.all(messages.map((m) => this.#route(m, options.relatedRequestId, options.httpStatus))).then(() => undefined);
  }

  /** Ends every stream and the session; later requests with its id get 404. */
  close(reason = 'closed by the server'): Promise<void> {
    return this.#end('local', reason);
  }

  /** The client sent DELETE. */
  terminate(): Promise<void> {
    return this.#end('remote', 'the client terminated the session (HTTP DELETE)');
  }

  /** Whether a request with this id is still waiting for its answer here. */
  isAwaiting(id: RequestId): boolean {
    return this.#byRequest.get(idKey(id))?.some((s) => s.awaits(id)) === true;
  }

  #route(message: JsonRpcMessage, relatedRequestId: RequestId | undefined, httpStatus: number | undefined): Promise<void> {
    if (isResponse(message)) {
      const id = message.id;
      const stream = id === undefined || id === null ? undefined : this.#byRequest.get(idKey(id))?.find((s) => s.awaits(id));
      if (!stream) return Promise.reject(new TransportError('MCPCERT_ERR_PROTOCOL', `cannot send a response with id ${String(id)}: no request with that id is waiting on this connection`));
      const refusedInitialize = this.#options.openedBy !== undefined && id === this.#options.openedBy && 'error' in message;
      if (this.#options.openedBy !== undefined && id === this.#options.openedBy) delete this.#options.openedBy;
      if (!refusedInitialize) return stream.write(message, httpStatus);
      // The headers object is shared with the stream: dropping the id here keeps it off the answer.
      delete this.#settings.headers[SESSION_HEADER];
      return stream.write(message, httpStatus).finally(() => void this.#end('local', 'initialize was refused'));
    }
    const related = relatedRequestId === undefined ? undefined : this.#byRequest.get(idKey(relatedRequestId))?.find((s) => !s.done);
    if (related) return related.write(message);
    if (this.#standalone) return this.#standalone.write(message);
    // Without sessions there is no GET stream: the POST's own stream is the only way out.
    const only = [...this.#streams.values()].find((s) => !s.done);
    if (only) return only.write(message);
    return Promise.reject(closedError('send: the POST this connection served is finished'));
  }

  #retire(stream: PostStream): void {
    this.#streams.delete(stream.id);
    for (const id of stream.requestIds) {
      const key = idKey(id);
      const rest = this.#byRequest.get(key)?.filter((s) => s !== stream) ?? [];
      if (rest.length > 0) this.#byRequest.set(key, rest);
      else this.#byRequest.delete(key);
    }
    this.#options.store.forget(stream.id);
    if (this.isStateless) queueMicrotask(() => void this.#end('local', 'all requests of the POST were answered'));
  }

  #flushQueued(): void {
    this.#immediate = undefined;
    const queued = this.#queued ?? [];
    this.#queued = undefined;
    for (const [message, meta] of queued) this.emitMessage(message, meta);
    if (this.#closeWhenDelivered) void this.close('the POST carried no requests');
  }

  #end(by: 'local' | 'remote', reason: string): Promise<void> {
    if (this.#ending) return this.#ending;
    if (this.#immediate) clearImmediate(this.#immediate);
    this.#immediate = undefined;
    this.#queued = undefined;
    const status = this.isStateless ? 503 : 404;
    const body = httpErrorBody(HTTP_LAYER_ERROR, this.isStateless ? 'the connection closed before the request was answered' : 'Session terminated');
    const streams = [...this.#streams.values()];
    this.#streams.clear();
    this.#byRequest.clear();
    this.#options.onEnd();
    this.markClosed({ by, reason });
    this.#ending = Promise.all([...streams.map((s) => s.abort(status, body)), this.#standalone?.end()]).then(() => undefined);
    return this.#ending;
  }
}
