/**
 * Holding HTTP answers open and reading them as they come, for checks about which stream a
 * message travelled on (Streamable HTTP GET and POST streams, the legacy HTTP+SSE stream).
 * ctx.http deliberately never reads an SSE body; here every event is kept with its id, type
 * and the JSON-RPC messages in its data. Each wait is bounded; closeAll releases everything.
 */
import { Agent, type Dispatcher } from 'undici';
import { decode } from '../../transport/codec.js';
import { flattenHeaders } from '../../transport/http-common.js';
import { SseReader } from '../../transport/framing/sse.js';
import type { JsonRpcMessage } from '../../transport/jsonrpc.js';
import type { CheckContext } from '../check.js';
import type { HttpRequestSpec } from '../http-probe.js';
import { redactHeaders } from '../record.js';
import type { HttpRecord } from '../../reports/model.js';

export interface StreamEvent {
  id?: string;
  event?: string;
  data: string;
  /** The JSON-RPC messages the data decoded to (none for a priming event or bad JSON). */
  messages: JsonRpcMessage[];
}

export interface LiveStream {
  /** Names the stream in notes and failures: `GET`, `POST tools/list`… */
  readonly label: string;
  readonly status: number;
  /** Lower-cased names. */
  readonly headers: Record<string, string>;
  readonly isSse: boolean;
  /** An answer that is not SSE, read whole (bounded). */
  readonly body: string;
  readonly events: StreamEvent[];
  /** Every message: those of the events, or those of a JSON body. */
  readonly messages: JsonRpcMessage[];
  readonly ended: boolean;
}

const BODY_LIMIT = 1024 * 1024;

export function mediaTypeOf(headers: Record<string, string>): string {
  return (headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

class Stream implements LiveStream {
  readonly label: string;
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly isSse: boolean;
  body = '';
  readonly events: StreamEvent[] = [];
  readonly messages: JsonRpcMessage[] = [];
  ended = false;
  readonly #wakers = new Set<() => void>();
  readonly controller: AbortController;

  constructor(label: string, status: number, headers: Record<string, string>, controller: AbortController) {
    this.label = label;
    this.status = status;
    this.headers = headers;
    this.isSse = status >= 200 && status < 300 && mediaTypeOf(headers) === 'text/event-stream';
    this.controller = controller;
  }

  changed(): void {
    for (const wake of this.#wakers) wake();
  }

  /** Resolves true once `done()` holds, false when the stream ended first or `ms` passed. */
  until(done: () => boolean, ms: number, signal: AbortSignal): Promise<boolean> {
    if (done()) return Promise.resolve(true);
    if (this.ended || signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        this.#wakers.delete(check);
        resolve(done());
      };
      // The reader wakes every stream when the check is aborted, so `signal` needs no listener here.
      const check = (): void => {
        if (done() || this.ended || signal.aborted) finish();
      };
      const timer = setTimeout(finish, ms);
      this.#wakers.add(check);
    });
  }
}

/**
 * Opens HTTP exchanges whose answers stay readable while the check goes on. `onMessage` sees
 * every message as it arrives (e.g. to answer a server's request so that a tool is not stuck).
 */
export class StreamReader {
  readonly #ctx: CheckContext;
  readonly #agent: Agent;
  readonly #streams = new Set<Stream>();
  onMessage: ((message: JsonRpcMessage, stream: LiveStream) => void) | undefined;

  constructor(ctx: CheckContext) {
    this.#ctx = ctx;
    this.#agent = new Agent({ connectTimeout: ctx.timeoutMs, connections: 32 });
    // One listener for all streams: a check may hold dozens open.
    ctx.signal.addEventListener('abort', () => {
      for (const stream of this.#streams) {
        stream.controller.abort();
        stream.changed();
      }
    }, { once: true });
  }

  /**
   * Sends `spec` and returns once the answer's headers arrived; an SSE body keeps being read in
   * the background, any other body is read whole first.
   * @throws the transport failure when no answer arrives within the check's timeout.
   */
  async open(spec: HttpRequestSpec, label: string): Promise<LiveStream> {
    const controller = new AbortController();
    if (this.#ctx.signal.aborted) controller.abort();
    const url = new URL(spec.url);
    const sent: HttpRecord = { method: spec.method, url: spec.url, requestHeaders: redactHeaders(spec.headers) };
    if (spec.body !== undefined) sent.body = spec.body.slice(0, 2000);
    this.#ctx.recordHttp('sent', sent);
    const timer = setTimeout(() => controller.abort(), this.#ctx.timeoutMs);
    let response: Dispatcher.ResponseData;
    try {
      response = await this.#agent.request({ origin: url.origin, path: `${url.pathname}${url.search}`, method: spec.method, headers: spec.headers, body: spec.body ?? null, signal: controller.signal, headersTimeout: this.#ctx.timeoutMs, bodyTimeout: 0 });
    } catch (err) {
      this.#ctx.note(`${label}: ${spec.method} ${spec.url} got no answer: ${err instanceof Error ? err.message : String(err)}`);
      throw err;
    } finally {
      clearTimeout(timer);
    }
    response.body.on('error', () => undefined);
    const stream = new Stream(label, response.statusCode, flattenHeaders(response.headers), controller);
    this.#streams.add(stream);
    const finished = (): void => {
      stream.ended = true;
      stream.changed();
    };
    const received: HttpRecord = { method: spec.method, url: spec.url, status: stream.status, headers: redactHeaders(stream.headers) };
    if (!stream.isSse) {
      const bodyTimer = setTimeout(() => controller.abort(), this.#ctx.timeoutMs);
      stream.body = await readAll(response.body).catch(() => '').finally(() => clearTimeout(bodyTimer));
      if (stream.body !== '') received.body = stream.body.slice(0, 2000);
      this.#ctx.recordHttp('received', received);
      const decoded = stream.body === '' ? undefined : decode(stream.body);
      if (decoded?.ok) for (const m of decoded.messages) this.#take(stream, m);
      finished();
      return stream;
    }
    this.#ctx.recordHttp('received', received);
    this.#ctx.note(`${label}: an SSE stream; its events follow as notes`);
    void this.#pump(stream, response.body).finally(finished);
    return stream;
  }

  /** Waits until `done` holds for `stream` (true), or it ended or `ms` passed (false). */
  until(stream: LiveStream, done: (stream: LiveStream) => boolean, ms: number): Promise<boolean> {
    const own = stream as Stream;
    return own.until(() => done(own), ms, this.#ctx.signal);
  }

  close(stream: LiveStream): void {
    (stream as Stream).controller.abort();
  }

  async closeAll(): Promise<void> {
    for (const stream of this.#streams) stream.controller.abort();
    await this.#agent.destroy().catch(() => undefined);
  }

  #take(stream: Stream, message: JsonRpcMessage): void {
    stream.messages.push(message);
    this.onMessage?.(message, stream);
  }

  async #pump(stream: Stream, body: Dispatcher.ResponseData['body']): Promise<void> {
    const reader = new SseReader();
    try {
      for await (const chunk of body as AsyncIterable<Buffer>) {
        for (const item of reader.push(chunk)) {
          if (item.type !== 'event') continue;
          const decoded = item.event.data === '' ? undefined : decode(item.event.data);
          const event: StreamEvent = { data: item.event.data, messages: decoded?.ok ? decoded.messages : [] };
          if (item.event.id !== undefined) event.id = item.event.id;
          if (item.event.event !== undefined) event.event = item.event.event;
          stream.events.push(event);
          this.#ctx.note(`${stream.label}: event${event.id === undefined ? '' : ` id ${event.id}`}${event.event === undefined ? '' : ` (${event.event})`} ${event.data.slice(0, 200)}`);
          for (const m of event.messages) this.#take(stream, m);
          stream.changed();
        }
        if (reader.failed) break;
      }
    } catch {
      // Aborted by us or cut by the server: what was read is what there is.
    }
  }
}

async function readAll(body: Dispatcher.ResponseData['body']): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= BODY_LIMIT) break;
  }
  body.destroy();
  return Buffer.concat(chunks).toString('utf8');
}
