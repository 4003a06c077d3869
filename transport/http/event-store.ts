/**
 * The resumption buffer of one Streamable HTTP session. Every SSE event the server writes is
 * kept here under its stream, so a client that lost a stream can GET it again with
 * `Last-Event-ID` and receive what followed that id — from that stream only, never from
 * another (spec digest §B.4 "Resumability and redelivery").
 *
 * Event ids are `<streamId>-<seq>`: unique across the session because stream ids are random,
 * and they name the originating stream as 2025-11-25 recommends.
 */

export interface StoredEvent {
  streamId: string;
  seq: number;
  id: string;
  /** The encoded JSON-RPC message; empty for a priming event, which is never replayed. */
  data: string;
}

export const DEFAULT_EVENT_STORE_SIZE = 1000;
/** Also bounded by bytes, so a few huge messages cannot pin memory. */
export const DEFAULT_EVENT_STORE_BYTES = 16 * 1024 * 1024;

export class EventStore {
  readonly maxEvents: number;
  readonly maxBytes: number;
  #events: StoredEvent[] = [];
  #head = 0;
  #bytes = 0;
  readonly #seq = new Map<string, number>();

  constructor(maxEvents = DEFAULT_EVENT_STORE_SIZE, maxBytes = DEFAULT_EVENT_STORE_BYTES) {
    this.maxEvents = Math.max(0, maxEvents);
    this.maxBytes = Math.max(0, maxBytes);
  }

  get size(): number {
    return this.#events.length - this.#head;
  }

  /** Reserves the next id on a stream without storing anything (priming events). */
  allocate(streamId: string): StoredEvent {
    const seq = (this.#seq.get(streamId) ?? 0) + 1;
    this.#seq.set(streamId, seq);
    return { streamId, seq, id: `${streamId}-${seq}`, data: '' };
  }

  /** Stores a message under the next id of its stream, evicting the oldest beyond the bounds. */
  append(streamId: string, data: string): StoredEvent {
    const event = { ...this.allocate(streamId), data };
    if (this.maxEvents === 0) return event;
    this.#events.push(event);
    this.#bytes += Buffer.byteLength(data);
    while (this.size > this.maxEvents || (this.#bytes > this.maxBytes && this.size > 1)) {
      this.#bytes -= Buffer.byteLength(this.#events[this.#head]!.data);
      this.#head++;
    }
    // Compact now and then instead of shifting on every eviction.
    if (this.#head > 1024 && this.#head * 2 > this.#events.length) {
      this.#events = this.#events.slice(this.#head);
      this.#head = 0;
    }
    return event;
  }

  /** Stored events of `streamId` with a sequence number above `afterSeq`, oldest first. */
  after(streamId: string, afterSeq: number): StoredEvent[] {
    const out: StoredEvent[] = [];
    for (let i = this.#head; i < this.#events.length; i++) {
      const event = this.#events[i]!;
      if (event.streamId === streamId && event.seq > afterSeq && event.data !== '') out.push(event);
    }
    return out;
  }

  /** The last sequence number handed out on a stream (0 if none). */
  lastSeq(streamId: string): number {
    return this.#seq.get(streamId) ?? 0;
  }

  /** Forgets a stream's counter once nothing can resume it any more; its events age out. */
  forget(streamId: string): void {
    this.#seq.delete(streamId);
  }
}

/** Splits an event id into stream and sequence; undefined for ids this store did not mint. */
export function parseEventId(id: string): { streamId: string; seq: number } | undefined {
  const match = /^([0-9a-f]+)-([0-9]+)$/.exec(id.trim());
  if (!match) return undefined;
  const seq = Number(match[2]);
  return Number.isSafeInteger(seq) ? { streamId: match[1]!, seq } : undefined;
}
