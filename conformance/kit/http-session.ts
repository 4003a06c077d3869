/**
 * Raw Streamable HTTP exchanges for checks about the HTTP layer: building the requests a
 * client would send, by hand, so that a check sees every status and header the target gives.
 */
import type { JsonRpcMessage } from '../../transport/jsonrpc.js';
import type { CheckContext } from '../check.js';
import type { HttpAnswer, HttpRequestSpec } from '../http-probe.js';
import { HarnessError } from '../errors.js';
import { mirroredHeaders, modernMeta } from '../modern.js';

export const SESSION_HEADER = 'mcp-session-id';

export function endpointOf(ctx: CheckContext): string {
  if (ctx.target.kind === 'stdio') throw new HarnessError('MCPCERT_ERR_TRANSPORT', 'a stdio target has no HTTP endpoint');
  return ctx.target.url;
}

/** The headers every POST carries: content negotiation as the spec requires, and the user's --header. */
export function postHeaders(ctx: CheckContext, extra: Record<string, string> = {}): Record<string, string> {
  const user = ctx.target.kind === 'stdio' ? {} : ctx.target.headers;
  return { ...user, 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...extra };
}

export function postSpec(ctx: CheckContext, message: JsonRpcMessage, extra: Record<string, string> = {}): HttpRequestSpec {
  return { method: 'POST', url: endpointOf(ctx), headers: postHeaders(ctx, extra), body: JSON.stringify(message) };
}

export function initializeMessage(ctx: CheckContext, id: number | string = 1): JsonRpcMessage {
  return { jsonrpc: '2.0', id, method: 'initialize', params: { protocolVersion: ctx.version, capabilities: {}, clientInfo: { name: 'mcpcert', version: '0' } } };
}

/** A 2026-07-28 request with its `_meta` and mirrored headers, as a raw POST. */
export function modernPost(ctx: CheckContext, method: string, extra: Record<string, string> = {}, id: number | string = 1): HttpRequestSpec {
  const message: JsonRpcMessage = { jsonrpc: '2.0', id, method, params: { _meta: modernMeta(ctx.version, { name: 'mcpcert', version: '0' }) } };
  return postSpec(ctx, message, { ...mirroredHeaders(message, () => undefined), ...extra });
}

export interface RawSession {
  /** The session id the target assigned, if any. */
  sessionId: string | undefined;
  initialize: HttpAnswer;
  /** Headers later requests of this session carry. */
  headers: Record<string, string>;
}

/**
 * initialize and notifications/initialized by hand. The answer to initialize may be an SSE
 * stream, which is not read: only its status and headers matter here.
 * @throws HarnessError when initialize is not answered with 2xx (then nothing here can be judged).
 */
export async function rawHandshake(ctx: CheckContext): Promise<RawSession> {
  const initialize = await ctx.http({ ...postSpec(ctx, initializeMessage(ctx)), readBody: true });
  if (initialize.status < 200 || initialize.status > 299) throw new HarnessError('MCPCERT_ERR_TRANSPORT', `initialize was answered with HTTP ${initialize.status}`, { status: initialize.status });
  const sessionId = initialize.headers[SESSION_HEADER];
  const headers: Record<string, string> = {};
  if (sessionId !== undefined) headers[SESSION_HEADER] = sessionId;
  if (ctx.version >= '2025-06-18') headers['mcp-protocol-version'] = ctx.version;
  await ctx.http(postSpec(ctx, { jsonrpc: '2.0', method: 'notifications/initialized' }, headers));
  return { sessionId, initialize, headers };
}

/** Ends a raw session (best effort: the check's verdict does not depend on it). */
export async function rawTerminate(ctx: CheckContext, session: RawSession): Promise<void> {
  if (session.sessionId === undefined) return;
  await ctx.http({ method: 'DELETE', url: endpointOf(ctx), headers: { ...postHeaders(ctx), ...session.headers } }).catch(() => undefined);
}
