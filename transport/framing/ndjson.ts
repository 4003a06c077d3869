/**
 * Newline-delimited framing for stdio and TCP. Pure: bytes in, frames out. Lines are split on
 * the byte 0x0A before any decoding, so a multi-byte UTF-8 character split across chunks is
 * reassembled for free. A bad line is reported, never silently skipped: a tester must see
 * what the peer wrote.
 */
import { clip, TransportError } from '../errors.js';
import { DEFAULT_MAX_MESSAGE_BYTES } from '../connection.js';

export type Frame = { text: string; bytes: number } | { error: TransportError };

const NEWLINE = 0x0a;
const CR = 0x0d;
const utf8 = new TextDecoder('utf-8', { fatal: true });
const lossy = new TextDecoder('utf-8');

export class LineFramer {
  readonly maxBytes: number;
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  /** Set after an oversize line was reported, until its end is reached. */
  #discarding = false;

  constructor(maxBytes = DEFAULT_MAX_MESSAGE_BYTES) {
    this.maxBytes = maxBytes;
  }

  /** Bytes held for a line not yet terminated. */
  get buffered(): number {
    return this.#pendingBytes;
  }

  push(chunk: Buffer): Frame[] {
    const frames: Frame[] = [];
    let start = 0;
    for (let nl = chunk.indexOf(NEWLINE, start); nl !== -1; nl = chunk.indexOf(NEWLINE, start)) {
      const part = chunk.subarray(start, nl);
      start = nl + 1;
      if (this.#discarding) {
        this.#discarding = false;
        this.#reset();
        continue;
      }
      if (this.#pendingBytes + part.length > this.maxBytes) {
        frames.push({ error: this.#tooLarge(this.#pendingBytes + part.length) });
        this.#reset();
        continue;
      }
      const line = this.#pending.length === 0 ? part : Buffer.concat([...this.#pending, part]);
      this.#reset();
      frames.push(decodeLine(line));
    }
    const rest = chunk.subarray(start);
    if (rest.length > 0 && !this.#discarding) {
      if (this.#pendingBytes + rest.length > this.maxBytes) {
        frames.push({ error: this.#tooLarge(this.#pendingBytes + rest.length) });
        this.#reset();
        this.#discarding = true;
      } else {
        this.#pending.push(rest);
        this.#pendingBytes += rest.length;
      }
    }
    return frames;
  }

  /** The stream ended: an unterminated line is reported, not delivered. */
  end(): Frame[] {
    if (this.#pendingBytes === 0) return [];
    const raw = lossy.decode(Buffer.concat(this.#pending));
    this.#reset();
    return [{ error: new TransportError('MCPCERT_ERR_PROTOCOL', 'the stream ended in the middle of a line (no terminating newline)', { raw: clip(raw) }) }];
  }

  #reset(): void {
    this.#pending = [];
    this.#pendingBytes = 0;
  }

  #tooLarge(seen: number): TransportError {
    const head = lossy.decode(Buffer.concat(this.#pending).subarray(0, 256));
    return new TransportError('MCPCERT_ERR_FRAME_TOO_LARGE', `a line exceeded the ${this.maxBytes}-byte message limit (at least ${seen} bytes)`, { raw: clip(head, 256) });
  }
}

function decodeLine(line: Buffer): Frame {
  const end = line.length > 0 && line[line.length - 1] === CR ? line.length - 1 : line.length;
  const body = line.subarray(0, end);
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    return { error: new TransportError('MCPCERT_ERR_INVALID_UTF8', 'a line is not valid UTF-8', { raw: clip(lossy.decode(body)) }) };
  }
  if (text.trim() === '') return { error: new TransportError('MCPCERT_ERR_EMPTY_FRAME', 'an empty line where a JSON-RPC message was expected', { raw: JSON.stringify(text) }) };
  return { text, bytes: line.length + 1 };
}

/** One message per line; `JSON.stringify` escapes newlines, so a message never spans lines. */
export function frameLine(text: string): Buffer {
  return Buffer.from(`${text}\n`, 'utf8');
}
