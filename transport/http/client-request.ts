/** Small client-side helpers around undici: reading a capped body, naming failures, reading a refused GET. */
import type { Readable } from 'node:stream';
import type { HttpMeta } from '../connection.js';
import { clip, closedError, TransportError } from '../errors.js';
import type { GetResult } from './client-streams.js';
import { SSE_TYPE } from './headers.js';

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

function codesOf(err: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = err;
  // undici wraps socket errors; the errno code may sit one `cause` down.
  for (let depth = 0; depth < 3 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
}

/** Nobody listens on the port: the server is gone, not merely slow. */
export function isRefused(err: unknown): boolean {
  return codesOf(err).includes('ECONNREFUSED');
}

/** Maps an undici or socket failure onto a TransportError with a stable code. */
export function failureOf(err: unknown, what: string, timeoutMs: number, isClosing: boolean): TransportError {
  if (err instanceof TransportError) return err;
  if (isClosing) return closedError(what);
  const message = err instanceof Error ? err.message : String(err);
  if (codesOf(err).some((c) => TIMEOUT_CODES.has(c))) {
    return new TransportError('MCPCERT_ERR_TIMEOUT', `${what} timed out after ${timeoutMs} ms (${message})`, { cause: err });
  }
  return new TransportError('MCPCERT_ERR_CONNECT', `${what} failed: ${message}`, { cause: err });
}

/** Reads a whole body as UTF-8 text, refusing more than `maxBytes`. */
export async function readCapped(body: Readable, maxBytes: number, what: string): Promise<{ text: string; bytes: number }> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes > maxBytes) {
      body.destroy();
      throw new TransportError('MCPCERT_ERR_FRAME_TOO_LARGE', `${what} exceeded the ${maxBytes}-byte message limit`);
    }
    chunks.push(chunk);
  }
  const buffer = Buffer.concat(chunks);
  try {
    // MCP messages MUST be UTF-8; a lenient decoder would hide a broken server.
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(buffer), bytes };
  } catch {
    throw new TransportError('MCPCERT_ERR_INVALID_UTF8', `${what} is not valid UTF-8`, { raw: buffer.subarray(0, 256).toString('latin1') });
  }
}

/** Turns a GET answer that is not an SSE stream into the reason why. Consumes the body. */
export async function classifyGetAnswer(body: Readable, http: HttpMeta & { status: number }, sentSession: string | undefined, maxBytes: number): Promise<Exclude<GetResult, { kind: 'stream' } | { kind: 'refused' }>> {
  const { text } = await readCapped(body, maxBytes, 'a GET answer').catch(() => ({ text: '' }));
  const { status, headers } = http;
  if (status === 405) return { kind: 'none' };
  const raw = clip(text);
  if (status === 404 && sentSession !== undefined) {
    return { kind: 'gone', error: new TransportError('MCPCERT_ERR_HTTP_STATUS', `the server no longer knows session ${sentSession} (GET answered HTTP 404)`, { status, headers, raw }) };
  }
  if (status >= 200 && status < 300) {
    return { kind: 'error', error: new TransportError('MCPCERT_ERR_CONTENT_TYPE', `GET ${http.url ?? ''} was answered with Content-Type ${headers['content-type'] ?? '(none)'}; expected ${SSE_TYPE}`, { status, headers, raw }) };
  }
  return { kind: 'error', error: new TransportError('MCPCERT_ERR_HTTP_STATUS', `GET ${http.url ?? ''} was answered with HTTP ${status}`, { status, headers, raw }) };
}
