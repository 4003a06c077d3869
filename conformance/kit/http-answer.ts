/** Reading the JSON-RPC error a raw HTTP answer carries, and describing the answer in words. */
import { decode } from '../../transport/codec.js';
import { isErrorResponse } from '../../transport/jsonrpc.js';
import type { HttpAnswer } from '../http-probe.js';

/** The JSON-RPC error code in a JSON answer body, or undefined (no body, an SSE stream, not an error). */
export function errorCodeOf(answer: HttpAnswer): number | undefined {
  if (answer.body === '') return undefined;
  const decoded = decode(answer.body);
  return decoded.ok ? decoded.messages.find(isErrorResponse)?.error.code : undefined;
}

/** `HTTP 400 with error -32020`, `HTTP 200 with no JSON-RPC error: …` */
export function describeAnswer(answer: HttpAnswer): string {
  const code = errorCodeOf(answer);
  if (code !== undefined) return `HTTP ${answer.status} with error ${code}`;
  const type = answer.headers['content-type'] ?? '';
  if (type.toLowerCase().startsWith('text/event-stream')) return `HTTP ${answer.status} with an SSE stream (not read)`;
  return `HTTP ${answer.status} with no JSON-RPC error${answer.body === '' ? '' : `: ${answer.body.slice(0, 200)}`}`;
}
