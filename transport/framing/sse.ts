/**
 * Server-Sent Events framing for Streamable HTTP and the legacy HTTP+SSE transport.
 * Reading uses eventsource-parser behind a small pure adapter (bytes in, items out, with a
 * size cap); writing formats one event per JSON-RPC message.
 */
import { createParser, type EventSourceParser } from 'eventsource-parser';
import { TransportError } from '../errors.js';
import { DEFAULT_MAX_MESSAGE_BYTES } from '../connection.js';

export interface SseEvent {
  id?: string;
  event?: string;
  data: string;
}

export type SseItem =
  /** `bytes` is the UTF-8 size of the event's data. */
  | { type: 'event'; event: SseEvent; bytes: number }
  | { type: 'retry'; ms: number }
  | { type: 'comment'; text: string }
  | { type: 'error'; error: TransportError };

export class SseReader {
  readonly maxBytes: number;
  readonly #decoder = new TextDecoder('utf-8');
  /** Only judges the bytes: the lossy #decoder keeps the stream readable, this one reports (TRN-001). */
  #validator = new TextDecoder('utf-8', { fatal: true });
  readonly #parser: EventSourceParser;
  #items: SseItem[] = [];
  #sinceLastEvent = 0;
  #failed = false;

  constructor(maxBytes = DEFAULT_MAX_MESSAGE_BYTES) {
    this.maxBytes = maxBytes;
    this.#parser = createParser({
      // The parser's own cap only sees partial lines; whole events are capped in onEvent and push.
      maxBufferSize: this.#streamLimit,
      onEvent: (event) => {
        this.#sinceLastEvent = 0;
        // The size of the message itself: chunk boundaries do not line up with events.
        const bytes = Buffer.byteLength(event.data);
        if (bytes > maxBytes) {
          this.#items.push({ type: 'error', error: new TransportError('MCPCERT_ERR_FRAME_TOO_LARGE', `an SSE event exceeded the ${maxBytes}-byte message limit`, { raw: event.data.slice(0, 256) }) });
          return;
        }
        const item: SseEvent = { data: event.data };
        if (event.id !== undefined) item.id = event.id;
        if (event.event !== undefined) item.event = event.event;
        this.#items.push({ type: 'event', event: item, bytes });
      },
      onRetry: (ms) => {
        this.#sinceLastEvent = 0;
        this.#items.push({ type: 'retry', ms });
      },
      onComment: (text) => {
        this.#sinceLastEvent = 0;
        this.#items.push({ type: 'comment', text });
      },
      onError: (err) => {
        const tooLarge = err.type === 'max-buffer-size-exceeded';
        if (tooLarge) this.#failed = true;
        this.#items.push({
          type: 'error',
          error: new TransportError(tooLarge ? 'MCPCERT_ERR_FRAME_TOO_LARGE' : 'MCPCERT_ERR_PROTOCOL', tooLarge ? `an SSE event exceeded the ${this.maxBytes}-byte message limit` : `malformed SSE line: ${err.message}`, err.line === undefined ? {} : { raw: err.line.slice(0, 256) }),
        });
      },
    });
  }

  /** True once an oversize event made the rest of the stream unreadable; the caller should drop it. */
  get failed(): boolean {
    return this.#failed;
  }

  /** Bytes tolerated without an event boundary before the stream is given up as unreadable. */
  get #streamLimit(): number {
    return this.maxBytes * 2 + 1024;
  }

  push(chunk: Buffer): SseItem[] {
    if (this.#failed) return [];
    this.#sinceLastEvent += chunk.length;
    if (this.#sinceLastEvent > this.#streamLimit) {
      this.#failed = true;
      return [{ type: 'error', error: new TransportError('MCPCERT_ERR_FRAME_TOO_LARGE', `an SSE event exceeded the ${this.maxBytes}-byte message limit`) }];
    }
    // stream: true keeps a multi-byte character split across chunks for the next call.
    const text = this.#decoder.decode(chunk, { stream: true });
    try {
      this.#validator.decode(chunk, { stream: true });
    } catch {
      this.#validator = new TextDecoder('utf-8', { fatal: true });
      this.#items.push({ type: 'error', error: new TransportError('MCPCERT_ERR_INVALID_UTF8', 'an SSE stream is not valid UTF-8', { raw: chunk.subarray(0, 256).toString('latin1') }) });
    }
    try {
      this.#parser.feed(text);
    } catch {
      // The parser refuses input after an overflow; the overflow itself was reported above.
    }
    const items = this.#items;
    this.#items = [];
    return items;
  }
}

/** One SSE event. Data lines are split on newlines so any text round-trips. */
export function formatSseEvent(event: SseEvent & { retry?: number }): string {
  let out = '';
  if (event.id !== undefined) out += `id: ${event.id}\n`;
  if (event.event !== undefined) out += `event: ${event.event}\n`;
  if (event.retry !== undefined) out += `retry: ${event.retry}\n`;
  for (const line of event.data.split(/\r\n|\r|\n/)) out += `data: ${line}\n`;
  return `${out}\n`;
}

export function formatSseComment(text: string): string {
  return `: ${text}\n\n`;
}
