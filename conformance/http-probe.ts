/**
 * Raw HTTP exchanges for checks about the HTTP layer itself (status codes, Origin, sessions),
 * which the Streamable HTTP client deliberately hides. Each exchange is bounded and recorded.
 */
import { Agent, type Dispatcher } from 'undici';
import { clip } from '../transport/errors.js';
import { flattenHeaders } from '../transport/http-common.js';
import type { HttpRecord } from '../reports/model.js';
import { TransportFailure, messageOf } from './errors.js';
import { redactHeaders, type Recorder } from './record.js';
import { shellQuote } from './target.js';

export interface HttpRequestSpec {
  method: 'GET' | 'POST' | 'DELETE';
  url: string;
  /** Header names as given; compared case-insensitively by servers. */
  headers: Record<string, string>;
  body?: string;
  /**
   * Read the body (default). An SSE answer is never read to its end: a stream may stay open
   * for as long as the session lives, so only its status and headers are taken.
   */
  readBody?: boolean;
}

export interface HttpAnswer {
  status: number;
  /** Lower-cased names. */
  headers: Record<string, string>;
  body: string;
}

const BODY_LIMIT = 64 * 1024;

async function readSome(body: Dispatcher.ResponseData['body'], limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= limit) break;
  }
  body.destroy();
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8');
}

/** Sends one HTTP request on `agent` and records both sides. @throws TransportFailure when no answer arrives. */
export async function httpExchange(agent: Agent, spec: HttpRequestSpec, timeoutMs: number, recorder: Recorder | undefined, signal?: AbortSignal): Promise<HttpAnswer> {
  const sent: HttpRecord = { method: spec.method, url: spec.url, requestHeaders: redactHeaders(spec.headers) };
  if (spec.body !== undefined) sent.body = clip(spec.body, 2000);
  recorder?.http('sent', sent);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const onAbort = (): void => controller.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const response = await agent.request({
      origin: new URL(spec.url).origin,
      path: `${new URL(spec.url).pathname}${new URL(spec.url).search}`,
      method: spec.method,
      headers: spec.headers,
      body: spec.body ?? null,
      signal: controller.signal,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    // Destroying a body emits 'error' (aborted); without a listener that would crash the process.
    response.body.on('error', () => undefined);
    const headers = flattenHeaders(response.headers);
    const isStream = (headers['content-type'] ?? '').toLowerCase().startsWith('text/event-stream');
    let body = '';
    if (spec.readBody === false || isStream) response.body.destroy();
    else body = await readSome(response.body, BODY_LIMIT);
    const received: HttpRecord = { method: spec.method, url: spec.url, status: response.statusCode, headers: redactHeaders(headers) };
    if (body !== '') received.body = clip(body, 2000);
    recorder?.http('received', received);
    return { status: response.statusCode, headers, body };
  } catch (err) {
    const reason = controller.signal.aborted ? `no answer within ${timeoutMs} ms` : messageOf(err);
    recorder?.note(`${spec.method} ${spec.url} failed: ${reason}`);
    throw new TransportFailure(`${spec.method} ${spec.url}`, reason, undefined, err);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

/** The exchange as a curl command line. */
export function curlLine(spec: HttpRequestSpec): string {
  const parts = ['curl', '-sS', '-i', '-X', spec.method, shellQuote(spec.url)];
  for (const [name, value] of Object.entries(spec.headers)) parts.push('-H', shellQuote(`${name}: ${value}`));
  if (spec.body !== undefined) parts.push('--data-raw', shellQuote(spec.body));
  return parts.join(' ');
}
