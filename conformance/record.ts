/**
 * The transcript: every message both ways, HTTP exchanges, unusable frames, stderr lines and
 * closes, with times. Recording is a decorator around a Connection (STYLE.md "Transport"),
 * so no transport knows about it.
 */
import { EventEmitter } from 'node:events';
import type { CloseInfo, Connection, ConnectionEvents, MessageMeta, SendOptions, TransportKind } from '../transport/connection.js';
import { clip, MessageError, TransportError } from '../transport/errors.js';
import type { JsonRpcMessage, JsonRpcPayload } from '../transport/jsonrpc.js';
import type { HttpRecord, JsonValue, TranscriptEntry } from '../reports/model.js';

/** Above this many characters a message is kept as clipped text, not as JSON. */
const MESSAGE_TEXT_LIMIT = 4000;
const DEFAULT_ENTRY_LIMIT = 400;

/** Collects one check's transcript, bounded so that a flooding target cannot exhaust memory. */
export class Recorder {
  readonly startedAt: number;
  readonly entries: TranscriptEntry[] = [];
  dropped = 0;
  /** How many things the target said: messages, unusable frames, HTTP answers. */
  received = 0;
  readonly #limit: number;

  constructor(startedAt = Date.now(), limit = DEFAULT_ENTRY_LIMIT) {
    this.startedAt = startedAt;
    this.#limit = limit;
  }

  add(entry: Omit<TranscriptEntry, 'atMs'>): void {
    if (entry.direction === 'received' && entry.kind !== 'close' && entry.kind !== 'stderr') this.received += 1;
    if (this.entries.length >= this.#limit) {
      this.dropped += 1;
      return;
    }
    this.entries.push({ atMs: Date.now() - this.startedAt, ...entry });
  }

  note(text: string): void {
    this.add({ direction: 'local', kind: 'note', text });
  }

  http(direction: 'sent' | 'received', http: HttpRecord, connection?: string): void {
    this.add(connection === undefined ? { direction, kind: 'http', http } : { direction, kind: 'http', http, connection });
  }
}

/** Header names whose values never go into a transcript. */
const SECRET_HEADERS: ReadonlySet<string> = new Set(['authorization', 'cookie', 'set-cookie', 'proxy-authorization']);

/** Headers with credentials masked, for transcripts and reports. */
export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) out[name] = SECRET_HEADERS.has(name.toLowerCase()) ? '[redacted]' : value;
  return out;
}

/** Codes of errors that stand for bytes the target wrote and we could not use (not our own failures). */
const FRAME_FAULTS: ReadonlySet<string> = new Set(['MCPCERT_ERR_PARSE', 'MCPCERT_ERR_INVALID_MESSAGE', 'MCPCERT_ERR_FRAME_TOO_LARGE', 'MCPCERT_ERR_INVALID_UTF8', 'MCPCERT_ERR_EMPTY_FRAME', 'MCPCERT_ERR_BINARY_FRAME', 'MCPCERT_ERR_PROTOCOL']);

/** True for an unusable frame from the target (bad JSON, a cut-off line, a binary frame…). */
export function isFrameFault(error: TransportError): boolean {
  return error instanceof MessageError || FRAME_FAULTS.has(error.code);
}

/** The message as transcript data: JSON when small, clipped text when not. */
export function messageEntry(payload: JsonRpcPayload | JsonValue): { message: JsonValue } | { text: string } {
  const text = JSON.stringify(payload);
  if (text.length <= MESSAGE_TEXT_LIMIT) return { message: payload as JsonValue };
  return { text: clip(text, MESSAGE_TEXT_LIMIT) };
}

function httpOf(meta: MessageMeta): HttpRecord | undefined {
  const http = meta.http;
  if (http === undefined) return undefined;
  const record: HttpRecord = { method: http.method ?? 'POST', url: http.url ?? '' };
  if (http.status !== undefined) record.status = http.status;
  return record;
}

/**
 * Wraps a connection so that everything crossing it lands in the recorder `sink()` returns at
 * that moment (the runner points a shared session at each check's recorder in turn).
 */
export class RecordedConnection extends EventEmitter implements Connection {
  readonly inner: Connection;
  readonly label: string;
  readonly #sink: () => Recorder | undefined;

  constructor(inner: Connection, sink: () => Recorder | undefined, label: string) {
    super();
    this.inner = inner;
    this.label = label;
    this.#sink = sink;
    inner.on('message', (message: JsonRpcMessage, meta: MessageMeta) => {
      const http = httpOf(meta);
      this.#record({ direction: 'received', kind: 'message', ...messageEntry(message), ...(http ? { http } : {}) });
      this.emit('message', message, meta);
    });
    inner.on('error', (error: TransportError | MessageError) => {
      const raw = error.raw === undefined ? '' : `\n${error.raw}`;
      const kind = isFrameFault(error) ? 'frame-error' : 'note';
      this.#record({ direction: kind === 'frame-error' ? 'received' : 'local', kind, text: `${error.message}${raw}` });
      if (this.listenerCount('error') > 0) this.emit('error', error);
    });
    inner.on('close', (info: CloseInfo) => {
      this.#record({ direction: 'local', kind: 'close', text: `closed by ${info.by === 'local' ? 'us' : 'the target'}: ${info.reason}` });
      this.emit('close', info);
    });
    inner.on('log', (line: string) => {
      this.#record({ direction: 'received', kind: 'stderr', text: clip(line, 1000) });
      this.emit('log', line);
    });
  }

  get transport(): TransportKind {
    return this.inner.transport;
  }

  get closed(): boolean {
    return this.inner.closed;
  }

  get sessionId(): string | undefined {
    return this.inner.sessionId;
  }

  send(payload: JsonRpcPayload, options?: SendOptions): Promise<void> {
    this.#record({ direction: 'sent', kind: 'message', ...messageEntry(payload) });
    return this.inner.send(payload, options);
  }

  close(reason?: string): Promise<void> {
    return this.inner.close(reason);
  }

  #record(entry: Omit<TranscriptEntry, 'atMs' | 'connection'>): void {
    this.#sink()?.add({ ...entry, connection: this.label });
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
