/**
 * The legacy HTTP+SSE transport (2024-11-05, spec digest §B.3) by hand: the GET stream read
 * event by event, the `endpoint` event it must start with, and POSTs to that endpoint.
 */
import type { JsonRpcMessage } from '../../transport/jsonrpc.js';
import { sseUrl } from '../../transport/sse/client.js';
import type { CheckContext } from '../check.js';
import { HarnessError } from '../errors.js';
import type { HttpRequestSpec } from '../http-probe.js';
import type { LiveStream, StreamEvent, StreamReader } from './sse-stream.js';

export interface LegacyStream {
  stream: LiveStream;
  /** The first event, if one came in time. */
  first: StreamEvent | undefined;
  /** The POST endpoint: the `endpoint` event's URI resolved against the stream's URL. */
  endpoint: URL | undefined;
}

function userHeaders(ctx: CheckContext): Record<string, string> {
  return ctx.target.kind === 'stdio' ? {} : ctx.target.headers;
}

export function streamUrl(ctx: CheckContext): URL {
  if (ctx.target.kind !== 'sse') throw new HarnessError('MCPCERT_ERR_TRANSPORT', 'not a legacy HTTP+SSE target');
  return sseUrl(ctx.target.url);
}

export function legacyGetSpec(ctx: CheckContext, extra: Record<string, string> = {}): HttpRequestSpec {
  return { method: 'GET', url: streamUrl(ctx).href, headers: { ...userHeaders(ctx), accept: 'text/event-stream', ...extra } };
}

export function legacyPostSpec(ctx: CheckContext, endpoint: URL, message: JsonRpcMessage, extra: Record<string, string> = {}): HttpRequestSpec {
  return { method: 'POST', url: endpoint.href, headers: { ...userHeaders(ctx), 'content-type': 'application/json', ...extra }, body: JSON.stringify(message) };
}

/** Opens the stream and waits (bounded) for its first event. */
export async function openLegacyStream(ctx: CheckContext, reader: StreamReader, extra: Record<string, string> = {}, label = 'SSE stream'): Promise<LegacyStream> {
  const stream = await reader.open(legacyGetSpec(ctx, extra), label);
  if (!stream.isSse) return { stream, first: undefined, endpoint: undefined };
  await reader.until(stream, (s) => s.events.length > 0, Math.min(ctx.timeoutMs, 5000));
  const first = stream.events[0];
  let endpoint: URL | undefined;
  if (first?.event === 'endpoint') {
    try {
      endpoint = new URL(first.data.trim(), streamUrl(ctx));
    } catch {
      endpoint = undefined;
    }
  }
  return { stream, first, endpoint };
}
