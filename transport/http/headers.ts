/**
 * Header names and small pure helpers shared by the Streamable HTTP client and server. Header
 * names are compared case-insensitively (spec digest §B.4/§B.5), so everything here works on
 * lower-cased names.
 */
import { randomBytes } from 'node:crypto';
import type { JsonRpcError, RequestId } from '../jsonrpc.js';

export const SESSION_HEADER = 'mcp-session-id';
export const PROTOCOL_VERSION_HEADER = 'mcp-protocol-version';
export const LAST_EVENT_ID_HEADER = 'last-event-id';

export const JSON_TYPE = 'application/json';
export const SSE_TYPE = 'text/event-stream';

/**
 * JSON-RPC code for rejections made by the HTTP layer itself (Origin, Accept, session rules).
 * JSON-RPC reserves -32000…-32099 for implementation-defined server errors.
 */
export const HTTP_LAYER_ERROR = -32000;

export { flattenHeaders } from '../http-common.js';

/** The media type of a Content-Type or Accept member, without parameters, lower-cased. */
export function mediaType(value: string | undefined): string {
  return (value ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Media types listed in an Accept header. Wildcards are kept as written: the spec asks for explicit types. */
export function acceptedTypes(accept: string | undefined): string[] {
  if (!accept) return [];
  return accept.split(',').map((part) => mediaType(part)).filter((t) => t.length > 0);
}

export function accepts(accept: string | undefined, type: string): boolean {
  return acceptedTypes(accept).includes(type);
}

/** 128 random bits as hex: globally unique, unguessable, and within visible ASCII 0x21–0x7E. */
export function newSessionId(): string {
  return randomBytes(16).toString('hex');
}

/** Stream ids prefix SSE event ids; hex keeps `<streamId>-<seq>` unambiguous to split. */
export function newStreamId(): string {
  // A random per-process prefix and a counter: unique across every stream of the process
  // without drawing fresh randomness for each POST (stream ids are not secrets).
  streamCounter++;
  return `${STREAM_PREFIX}${streamCounter.toString(16)}`;
}

const STREAM_PREFIX = randomBytes(4).toString('hex');
let streamCounter = 0;

/** A JSON-RPC error body for an HTTP-level rejection: there is no request id to echo. */
export function httpErrorBody(code: number, message: string): JsonRpcError {
  return { jsonrpc: '2.0', error: { code, message } };
}

/** Map key for a request id, on either side: 1 and "1" are different ids. */
export function idKey(id: RequestId): string {
  return typeof id === 'number' ? `n:${id}` : `s:${id}`;
}
