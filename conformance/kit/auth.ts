/**
 * Raw exchanges for the authorization checks. Unlike kit/http-session.ts, which always sends
 * the user's --header, these choose the credential of each request themselves: the user's own,
 * none, or one the target cannot know, so that a check sees how the target treats each.
 */
import { randomBytes } from 'node:crypto';
import type { JsonRpcMessage } from '../../transport/jsonrpc.js';
import type { CheckContext } from '../check.js';
import type { HttpAnswer, HttpRequestSpec } from '../http-probe.js';
import { mirroredHeaders, modernMeta } from '../modern.js';
import { endpointOf, initializeMessage, SESSION_HEADER } from './http-session.js';

/** What goes in the Authorization header: the user's, none, or this exact value. */
export type Credential = { kind: 'user' } | { kind: 'none' } | { kind: 'value'; value: string };

export const NO_CREDENTIAL: Credential = { kind: 'none' };
export const USER_CREDENTIAL: Credential = { kind: 'user' };

function isAuthorization(name: string): boolean {
  return name.toLowerCase() === 'authorization';
}

/** The user's Authorization header (--header), if given. */
export function userAuthorization(ctx: CheckContext): string | undefined {
  if (ctx.target.kind === 'stdio') return undefined;
  return Object.entries(ctx.target.headers).find(([name]) => isAuthorization(name))?.[1];
}

/** A Bearer credential no server can have issued: random, and well-formed (RFC 6750 §2.1 b64token). */
export function foreignBearer(): Credential {
  return { kind: 'value', value: `Bearer mcpcert-invalid-${randomBytes(24).toString('base64url')}` };
}

/**
 * Request headers: content negotiation, the user's --header without its Authorization, then
 * the chosen credential and `extra`.
 */
export function authHeaders(ctx: CheckContext, credential: Credential, extra: Record<string, string> = {}): Record<string, string> {
  const user = ctx.target.kind === 'stdio' ? {} : ctx.target.headers;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(user)) if (!isAuthorization(name)) headers[name] = value;
  headers['content-type'] = 'application/json';
  headers.accept = 'application/json, text/event-stream';
  const authorization = credential.kind === 'user' ? userAuthorization(ctx) : credential.kind === 'value' ? credential.value : undefined;
  if (authorization !== undefined) headers.authorization = authorization;
  return { ...headers, ...extra };
}

export function authPost(ctx: CheckContext, message: JsonRpcMessage, credential: Credential, extra: Record<string, string> = {}): HttpRequestSpec {
  return { method: 'POST', url: endpointOf(ctx), headers: authHeaders(ctx, credential, extra), body: JSON.stringify(message) };
}

/** A 2026-07-28 request with its `_meta` and mirrored headers. */
export function modernMessage(ctx: CheckContext, method: string, id: number | string = 1): JsonRpcMessage {
  return { jsonrpc: '2.0', id, method, params: { _meta: modernMeta(ctx.version, { name: 'mcpcert', version: '0' }) } };
}

/**
 * The first request a client sends: initialize (handshake era) or server/discover (2026-07-28),
 * which any server answers once it lets the caller in.
 */
export function openingRequest(ctx: CheckContext, credential: Credential): HttpRequestSpec {
  if (ctx.era === 'legacy') return authPost(ctx, initializeMessage(ctx), credential);
  const message = modernMessage(ctx, 'server/discover');
  return authPost(ctx, message, credential, mirroredHeaders(message, () => undefined));
}

/** One challenge of a WWW-Authenticate header (RFC 9110 §11.6.1): scheme, token68 or parameters. */
export interface AuthChallenge {
  /** As sent; compare case-insensitively. */
  scheme: string;
  token68?: string;
  /** Lower-cased names, unquoted values. */
  params: Record<string, string>;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+/;
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*/;

/**
 * Parses a WWW-Authenticate value into its challenges. Lenient: a stray character is skipped,
 * so a sloppy header still yields what can be read from it.
 */
export function parseChallenges(header: string): AuthChallenge[] {
  const out: AuthChallenge[] = [];
  let i = 0;
  const spaces = (): void => {
    while (i < header.length && (header[i] === ' ' || header[i] === '\t')) i++;
  };
  const token = (): string => {
    const match = TOKEN.exec(header.slice(i))?.[0] ?? '';
    i += match.length;
    return match;
  };
  const quoted = (): string => {
    let value = '';
    for (i++; i < header.length && header[i] !== '"'; i++) {
      if (header[i] === '\\' && i + 1 < header.length) i++;
      value += header[i]!;
    }
    i++;
    return value;
  };
  let current: AuthChallenge | undefined;
  while (i < header.length) {
    spaces();
    if (header[i] === ',') {
      i++;
      continue;
    }
    const name = token();
    if (name === '') {
      i++;
      continue;
    }
    spaces();
    if (current !== undefined && header[i] === '=') {
      i++;
      spaces();
      current.params[name.toLowerCase()] = header[i] === '"' ? quoted() : token();
      continue;
    }
    current = { scheme: name, params: {} };
    out.push(current);
    // A token68 stands alone: it is followed by the end or by the next challenge's comma.
    const t68 = TOKEN68.exec(header.slice(i))?.[0];
    if (t68 !== undefined && /^[ \t]*(,|$)/.test(header.slice(i + t68.length))) {
      current.token68 = t68;
      i += t68.length;
    }
  }
  return out;
}

/** The Bearer challenge of an answer, if it has one. */
export function bearerChallenge(answer: HttpAnswer): AuthChallenge | undefined {
  const header = answer.headers['www-authenticate'];
  return header === undefined ? undefined : parseChallenges(header).find((c) => c.scheme.toLowerCase() === 'bearer');
}

/** `HTTP 401, WWW-Authenticate: Bearer realm="x"` */
export function describeRefusal(answer: HttpAnswer): string {
  const challenge = answer.headers['www-authenticate'];
  const body = answer.body === '' ? '' : `: ${answer.body.slice(0, 200)}`;
  return `HTTP ${answer.status}${challenge === undefined ? ' without WWW-Authenticate' : `, WWW-Authenticate: ${challenge.slice(0, 300)}`}${body}`;
}

export interface Protection {
  /** The unauthenticated opening request and its answer. */
  spec: HttpRequestSpec;
  answer: HttpAnswer;
}

/**
 * Sends the opening request without any Authorization header. A target that lets it in is
 * not protected; the session it may have opened for that anonymous caller is ended.
 */
export async function probeProtection(ctx: CheckContext): Promise<Protection> {
  const spec = openingRequest(ctx, NO_CREDENTIAL);
  const answer = await ctx.http(spec);
  const sessionId = answer.headers[SESSION_HEADER];
  if (sessionId !== undefined && answer.status >= 200 && answer.status < 300) {
    await ctx.http({ method: 'DELETE', url: endpointOf(ctx), headers: authHeaders(ctx, NO_CREDENTIAL, { [SESSION_HEADER]: sessionId }) }).catch(() => undefined);
  }
  return { spec, answer };
}

/**
 * The probe, ending the check as skipped unless the target answered it 401: only a target that
 * requires authorization (and says so as the spec asks) has anything here to judge.
 */
export async function requireProtection(ctx: CheckContext): Promise<Protection> {
  const probe = await probeProtection(ctx);
  if (probe.answer.status !== 401) {
    const method = ctx.era === 'legacy' ? 'initialize' : 'server/discover';
    const others = ctx.target.kind === 'stdio' ? [] : Object.keys(ctx.target.headers).filter((name) => !isAuthorization(name));
    // Credentials in another header (an API key) cannot be told from any other header, so they stay.
    const kept = others.length === 0 ? '' : `; the other --header values (${others.join(', ')}) were still sent`;
    ctx.skip(`the target does not require authorization (${method} without an Authorization header was answered with HTTP ${probe.answer.status}, not 401${kept})`);
  }
  return probe;
}
