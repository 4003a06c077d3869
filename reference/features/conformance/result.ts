/**
 * Result builders for the conformance fixtures. Each result must be valid for the negotiated
 * version, and 2026-07-28 is the one revision whose results carry a required `resultType`.
 */
import type { JsonObject, JsonValue } from '../../../transport/jsonrpc.js';
import type { RequestContext } from '../../types.js';

/** Adds what the version requires of every finished result (2026-07-28: `resultType`). */
export function finished(ctx: RequestContext, result: JsonObject): JsonObject {
  return ctx.version === '2026-07-28' ? { ...result, resultType: 'complete' } : result;
}

export function textBlock(text: string): JsonObject {
  return { type: 'text', text };
}

/** A successful tools/call result made of the given content blocks. */
export function contentResult(ctx: RequestContext, content: JsonValue[]): JsonObject {
  return finished(ctx, { content });
}

export function textResult(ctx: RequestContext, text: string): JsonObject {
  return contentResult(ctx, [textBlock(text)]);
}

/**
 * A tool execution error: in the result with `isError`, not a JSON-RPC error, so a model can
 * read it (TOOL-016).
 */
export function errorResult(ctx: RequestContext, message: string): JsonObject {
  return finished(ctx, { content: [textBlock(message)], isError: true });
}
