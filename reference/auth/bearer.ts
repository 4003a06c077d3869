/**
 * Reads the bearer token of a request. Only the `Authorization` header counts (RFC 6750 §2.1):
 * MCP forbids tokens in the query string (AUTH-031, M-AUTH-027), so an `access_token` query or
 * form parameter is never looked at and such a request is treated as carrying no token.
 */
import type { IncomingMessage } from 'node:http';

export type BearerToken =
  /** No `Authorization: Bearer …` at all (another scheme counts as none: RFC 6750 §3.1). */
  | { kind: 'none' }
  /** A Bearer header whose credentials are not a b64token (RFC 6750 §2.1): `invalid_request`. */
  | { kind: 'malformed'; reason: string }
  | { kind: 'token'; token: string };

/** RFC 6750 §2.1: `b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="`. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

export function bearerToken(request: IncomingMessage): BearerToken {
  // Node keeps only the first of repeated Authorization headers, so there is one value here.
  const header = request.headers.authorization;
  if (header === undefined) return { kind: 'none' };
  const match = /^\s*(\S+)(?:[ \t]+(.*?))?\s*$/.exec(header);
  if (!match || match[1]!.toLowerCase() !== 'bearer') return { kind: 'none' };
  const credentials = match[2];
  if (credentials === undefined || credentials === '') return { kind: 'malformed', reason: 'the Bearer credentials are empty' };
  if (!B64TOKEN.test(credentials)) return { kind: 'malformed', reason: 'the Bearer credentials are not a b64token (RFC 6750 §2.1)' };
  return { kind: 'token', token: credentials };
}
