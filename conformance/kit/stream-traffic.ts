/**
 * Traffic on one raw Streamable HTTP session with every stream kept apart: the GET stream
 * (when the target offers one) and the answer to each POSTed request, read event by event.
 * Checks about routing (one stream per message, no response on the GET stream), event ids
 * and resumption judge what this collected.
 */
import { isPlainObject } from '../../transport/codec.js';
import { errorResponse, isNotification, isRequest, isResponse, result, type JsonObject, type JsonRpcMessage, type JsonRpcRequest, type RequestId } from '../../transport/jsonrpc.js';
import type { CheckContext } from '../check.js';
import type { HttpRequestSpec } from '../http-probe.js';
import { withModernMeta, modernMeta, mirroredHeaders } from '../modern.js';
import { endpointOf, postHeaders, postSpec, rawHandshake, rawTerminate, type RawSession } from './http-session.js';
import { settle } from './replies.js';
import { StreamReader, type LiveStream } from './sse-stream.js';
import { toolArguments } from './tools.js';

export interface Traffic {
  /** Undefined in 2026-07-28, which has no sessions. */
  session: RawSession | undefined;
  reader: StreamReader;
  /** The GET stream, if one was asked for; `isSse` false when the target refused it (e.g. 405). */
  get: LiveStream | undefined;
  /** One per POSTed request, in the order sent. */
  posts: LiveStream[];
  /** Ends every stream and the session. */
  close(): Promise<void>;
}

/** Tools called at once to draw notifications (progress, logs) onto their POST streams. */
const MAX_TOOLS = 20;

/** The spec of a GET on the endpoint with the session's headers. */
export function getSpec(ctx: CheckContext, session: RawSession, extra: Record<string, string> = {}): HttpRequestSpec {
  const headers: Record<string, string> = { ...postHeaders(ctx), ...session.headers, accept: 'text/event-stream', ...extra };
  delete headers['content-type'];
  return { method: 'GET', url: endpointOf(ctx), headers };
}

/**
 * A name for a message that no other message of the session shares: a response by its id, a
 * progress notification by token and value. Other notifications (two equal log lines are two
 * messages) get none and are not compared across streams.
 */
export function identityOf(message: JsonRpcMessage): string | undefined {
  if (isResponse(message)) return message.id === undefined || message.id === null ? undefined : `the response to request ${JSON.stringify(message.id)}`;
  if (isNotification(message) && message.method === 'notifications/progress' && isPlainObject(message.params)) {
    const { progressToken, progress } = message.params;
    return `the progress notification ${JSON.stringify(progress)} for token ${JSON.stringify(progressToken)}`;
  }
  return undefined;
}

function answerOf(stream: LiveStream, id: RequestId): JsonRpcMessage | undefined {
  return stream.messages.find((m) => isResponse(m) && m.id === id);
}

/**
 * Opens a session (legacy era) or none (2026-07-28), the GET stream when `withGet`, then POSTs
 * a fence request, tools/list and a call of each listed tool with a progress token, each read
 * until its response or `perCallMs`. Requests the target sends us are answered (ping) or
 * refused (-32601), so no tool waits on us.
 */
export async function collectTraffic(ctx: CheckContext, options: { withGet: boolean }): Promise<Traffic> {
  const modern = ctx.era === 'modern';
  const session = modern ? undefined : await rawHandshake(ctx);
  const headers = session?.headers ?? {};
  const reader = new StreamReader(ctx);
  const traffic: Traffic = {
    session,
    reader,
    get: undefined,
    posts: [],
    close: async () => {
      await reader.closeAll();
      if (session) await rawTerminate(ctx, session);
    },
  };
  reader.onMessage = (message) => {
    if (!isRequest(message) || modern) return;
    const reply = message.method === 'ping' ? result(message.id, {}) : errorResponse(message.id, -32601, `mcpcert declared no client capability for ${message.method}`);
    void ctx.http(postSpec(ctx, reply, headers)).catch(() => undefined);
  };
  try {
    if (options.withGet && session) traffic.get = await reader.open(getSpec(ctx, session), 'GET stream');
    const perCallMs = Math.min(ctx.timeoutMs, 4000);
    let next = 0;
    const exchange = async (method: string, params: JsonObject | undefined, label: string): Promise<LiveStream> => {
      const id = `mcpcert-${++next}`;
      const request: JsonRpcRequest = { jsonrpc: '2.0', id, method };
      const full = modern ? withModernMeta(params, modernMeta(ctx.version, { name: 'mcpcert', version: '0' })) : params;
      if (full !== undefined) request.params = full;
      const extra = modern ? mirroredHeaders(request, (tool) => schemas.get(tool)) : {};
      const stream = await reader.open(postSpec(ctx, request, { ...headers, ...extra }), label);
      traffic.posts.push(stream);
      if (stream.isSse) await reader.until(stream, (s) => answerOf(s, id) !== undefined, perCallMs);
      return stream;
    };
    const schemas = new Map<string, JsonObject>();
    await exchange(modern ? 'server/discover' : 'ping', {}, `POST ${modern ? 'server/discover' : 'ping'}`);
    if (!ctx.hasCapability('tools')) return traffic;
    const listing = await exchange('tools/list', {}, 'POST tools/list');
    const listed = listing.messages.find((m) => isResponse(m) && 'result' in m);
    const tools = listed !== undefined && 'result' in listed && Array.isArray(listed.result.tools) ? listed.result.tools.filter(isPlainObject) : [];
    for (const tool of tools) if (typeof tool.name === 'string' && isPlainObject(tool.inputSchema)) schemas.set(tool.name, tool.inputSchema);
    const calls: Array<Promise<LiveStream>> = [];
    for (const tool of tools.slice(0, MAX_TOOLS)) {
      if (typeof tool.name !== 'string') continue;
      const args = toolArguments(ctx, tool);
      if (args === undefined) continue;
      const token = `mcpcert-stream-${calls.length + 1}`;
      calls.push(exchange('tools/call', { name: tool.name, arguments: args, _meta: { progressToken: token } }, `POST tools/call ${tool.name}`));
    }
    await Promise.allSettled(calls);
    // Messages written just before a response may still be in flight on the GET stream.
    await settle(300);
    return traffic;
  } catch (err) {
    await traffic.close();
    throw err;
  }
}
