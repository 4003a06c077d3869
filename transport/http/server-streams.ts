/**
 * The two kinds of outgoing stream of a Streamable HTTP session:
 * - `PostStream`, the answer to one POST that carried requests. It picks JSON or SSE lazily:
 *   JSON when the first thing the application sends is all the POST needs, SSE as soon as
 *   anything else (a notification, a server request) has to go first.
 * - `StandaloneStream`, the session's GET stream for messages unrelated to a POST.
 * Each SSE event is also kept in the session's EventStore so a lost stream can be resumed.
 */
import type { ServerResponse } from 'node:http';
import { encode } from '../codec.js';
import { isResponse, type JsonRpcMessage, type JsonRpcResponse, type RequestId } from '../jsonrpc.js';
import type { EventStore, StoredEvent } from './event-store.js';
import { idKey } from './headers.js';
import { endResponse, isWritable, sendJson, startSse, writeEvent, writeRetry } from './server-response.js';

export interface StreamSettings {
  store: EventStore;
  /** Extra response headers (the session id). */
  headers: Record<string, string>;
  writeTimeoutMs: number;
  /** Send a priming event (id, empty data) as soon as the stream opens (2025-11-25). */
  priming: boolean;
}

export interface PostStreamOptions extends StreamSettings {
  id: string;
  requestIds: RequestId[];
  batch: boolean;
  /** 'auto' allows a plain JSON answer; 'never' always streams. */
  json: boolean;
  /** Answers already known before the application sees the POST (invalid members of a batch). */
  preset: JsonRpcResponse[];
  /** The client closed the HTTP response before the stream was complete. */
  onGone: () => void;
  /** Every request of the POST has been answered. */
  onDone: () => void;
}

type Mode = 'pending' | 'json' | 'sse';

export class PostStream {
  readonly id: string;
  readonly requestIds: readonly RequestId[];
  #res: ServerResponse | undefined;
  #mode: Mode = 'pending';
  /** The status of a JSON answer; a batch answer keeps the last one asked for. */
  #status = 200;
  #done = false;
  readonly #waiting: Set<string>;
  readonly #buffered: JsonRpcMessage[];
  readonly #options: PostStreamOptions;

  constructor(res: ServerResponse, options: PostStreamOptions) {
    this.id = options.id;
    this.requestIds = options.requestIds;
    this.#options = options;
    this.#waiting = new Set(options.requestIds.map(idKey));
    this.#buffered = [...options.preset];
    this.#attachWriter(res);
    if (options.priming || !options.json) this.#startSse();
  }

  get done(): boolean {
    return this.#done;
  }

  awaits(id: RequestId): boolean {
    return this.#waiting.has(idKey(id));
  }

  /** Queues one message on this stream; resolves when written, or at once if it was stored for resumption. */
  write(message: JsonRpcMessage, httpStatus?: number): Promise<void> {
    if (httpStatus !== undefined) this.#status = httpStatus;
    const answersRequest = isResponse(message) && message.id !== undefined && message.id !== null && this.#waiting.delete(idKey(message.id));
    if (this.#mode === 'pending') {
      if (answersRequest) {
        this.#buffered.push(message);
        return this.#waiting.size === 0 ? this.#finishJson() : Promise.resolve();
      }
      this.#startSse();
    }
    const written = this.#emit(message);
    if (this.#waiting.size === 0) this.#finish();
    return written;
  }

  /**
   * A GET with `Last-Event-ID` naming this stream: replay what followed that id, then carry on
   * here. The old response, if the server still believes it open, is ended: the client has
   * evidently lost it.
   */
  resume(res: ServerResponse, afterSeq: number): void {
    const previous = this.#res;
    this.#res = undefined;
    if (previous) void endResponse(previous);
    // Answers still buffered for a JSON reply go to the store, so the replay below includes them.
    if (this.#mode === 'pending') this.#startSse();
    startSse(res, this.#options.headers);
    for (const event of this.#options.store.after(this.id, afterSeq)) void this.#write(res, event);
    if (this.#done) void endResponse(res);
    else this.#attachWriter(res);
  }

  /**
   * Ends the HTTP response carrying this stream but not the stream (2025-11-25 SSE polling):
   * the client holds an event id (a primer is sent if it has none), is told when to come back
   * with `retry`, and a GET with `Last-Event-ID` picks up everything sent meanwhile, the
   * response included. False if there is no live response to cut.
   */
  disconnect(retryMs: number): boolean {
    const res = this.#res;
    if (this.#done || !res || !isWritable(res)) return false;
    const hadEventId = this.#mode === 'sse' && (this.#options.priming || this.#options.store.lastSeq(this.id) > 0);
    if (this.#mode === 'pending') this.#startSse();
    if (!hadEventId && !this.#options.priming) void this.#write(res, this.#options.store.allocate(this.id));
    // Detach first, so the close that follows is not taken for the client going away.
    this.#res = undefined;
    void writeRetry(res, retryMs, this.#options.writeTimeoutMs)
      .catch(() => undefined)
      .then(() => endResponse(res));
    return true;
  }

  /** Ends the stream early (session closing). `status`/`body` answer a POST that has not started yet. */
  abort(status: number, body: JsonRpcResponse | undefined): Promise<void> {
    this.#done = true;
    const res = this.#res;
    this.#res = undefined;
    if (!res) return Promise.resolve();
    if (!res.headersSent) return sendJson(res, status, body, this.#options.headers);
    return endResponse(res);
  }

  #attachWriter(res: ServerResponse): void {
    this.#res = res;
    res.once('close', () => {
      if (this.#res !== res) return;
      this.#res = undefined;
      if (this.#done) return;
      // From now on messages are only stored, to be picked up by a resuming GET.
      if (this.#mode === 'pending') this.#startSse();
      this.#options.onGone();
    });
  }

  #startSse(): void {
    this.#mode = 'sse';
    if (this.#res) startSse(this.#res, this.#options.headers);
    if (this.#options.priming) {
      const primer = this.#options.store.allocate(this.id);
      if (this.#res) void this.#write(this.#res, primer);
    }
    for (const message of this.#buffered.splice(0)) void this.#emit(message);
  }

  #emit(message: JsonRpcMessage): Promise<void> {
    const event = this.#options.store.append(this.id, encode(message));
    return this.#res ? this.#write(this.#res, event) : Promise.resolve();
  }

  #write(res: ServerResponse, event: StoredEvent): Promise<void> {
    // A failed write means the client left; the event stays in the store for a resuming GET.
    return writeEvent(res, event, this.#options.writeTimeoutMs).catch(() => undefined);
  }

  #finishJson(): Promise<void> {
    this.#mode = 'json';
    const body = this.#options.batch ? this.#buffered.splice(0) : this.#buffered.shift();
    const res = this.#res;
    this.#markDone();
    return res ? sendJson(res, this.#status, body, this.#options.headers) : Promise.resolve();
  }

  #finish(): void {
    const res = this.#res;
    this.#markDone();
    if (res && isWritable(res)) void endResponse(res);
  }

  #markDone(): void {
    if (this.#done) return;
    this.#done = true;
    this.#options.onDone();
  }
}

/** The session's GET stream. Messages sent while no GET is open wait in the store for the next one. */
export class StandaloneStream {
  readonly id: string;
  #res: ServerResponse | undefined;
  /** Last sequence number written to a live reader; a fresh GET replays what came after it. */
  #delivered = 0;
  readonly #settings: StreamSettings;

  constructor(id: string, settings: StreamSettings) {
    this.id = id;
    this.#settings = settings;
  }

  get isOpen(): boolean {
    return this.#res !== undefined;
  }

  /** Attaches a GET response, replaying stored events after `afterSeq` (default: those never delivered). */
  open(res: ServerResponse, afterSeq?: number): void {
    const previous = this.#res;
    this.#res = undefined;
    if (previous) void endResponse(previous);
    startSse(res, this.#settings.headers);
    if (this.#settings.priming) void this.#write(res, this.#settings.store.allocate(this.id));
    for (const event of this.#settings.store.after(this.id, afterSeq ?? this.#delivered)) {
      this.#delivered = event.seq;
      void this.#write(res, event);
    }
    this.#res = res;
    res.once('close', () => {
      if (this.#res === res) this.#res = undefined;
    });
  }

  write(message: JsonRpcMessage): Promise<void> {
    const event = this.#settings.store.append(this.id, encode(message));
    if (!this.#res) return Promise.resolve();
    this.#delivered = event.seq;
    return this.#write(this.#res, event);
  }

  end(): Promise<void> {
    const res = this.#res;
    this.#res = undefined;
    return res ? endResponse(res) : Promise.resolve();
  }

  #write(res: ServerResponse, event: StoredEvent): Promise<void> {
    return writeEvent(res, event, this.#settings.writeTimeoutMs).catch(() => undefined);
  }
}

/** A GET resuming a POST stream that already finished: replay what followed `afterSeq`, then end. */
export function replayFinished(res: ServerResponse, streamId: string, afterSeq: number, settings: StreamSettings): void {
  startSse(res, settings.headers);
  for (const event of settings.store.after(streamId, afterSeq)) void writeEvent(res, event, settings.writeTimeoutMs).catch(() => undefined);
  void endResponse(res);
}
