/**
 * Reading one SSE response body on the client side: bytes through SseReader into callbacks.
 * The caller decides what an ended stream means (done, resume, or the server is gone).
 */
import type { Readable } from 'node:stream';
import type { TransportError } from '../errors.js';
import { SseReader, type SseEvent } from '../framing/sse.js';

export interface SseHandlers {
  onEvent: (event: SseEvent, bytes: number) => void;
  onRetry: (ms: number) => void;
  onError: (error: TransportError) => void;
}

export interface SseOutcome {
  /** Events seen, priming events included. */
  events: number;
  /** The stream became unreadable (an oversize event); it was destroyed. */
  failed: boolean;
  /** Set when the body ended with an error (network drop, abort, idle timeout) rather than cleanly. */
  error?: unknown;
}

export async function pumpSse(body: Readable, maxBytes: number, handlers: SseHandlers): Promise<SseOutcome> {
  const reader = new SseReader(maxBytes);
  let events = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      for (const item of reader.push(chunk)) {
        if (item.type === 'event') {
          events++;
          handlers.onEvent(item.event, item.bytes);
        } else if (item.type === 'retry') handlers.onRetry(item.ms);
        else if (item.type === 'error') handlers.onError(item.error);
      }
      if (reader.failed) {
        body.destroy();
        return { events, failed: true };
      }
    }
    return { events, failed: false };
  } catch (error) {
    return { events, failed: false, error };
  }
}
