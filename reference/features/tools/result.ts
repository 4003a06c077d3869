/**
 * Builders for tool results that are valid for the negotiated version: what a feature may put
 * in a result depends on `ctx.version`, and these helpers are where that is decided once.
 */
import { atLeast } from '../../capabilities.js';
import type { JsonObject, JsonValue } from '../../../transport/jsonrpc.js';
import type { RequestContext } from '../../types.js';

/** A successful result with one text block. */
export function textResult(text: string): JsonObject {
  return { content: [{ type: 'text', text }] };
}

/**
 * A tool execution error: reported in the result with `isError` so the model can read it and
 * correct itself, not as a JSON-RPC error (TOOL-016).
 */
export function errorResult(message: string): JsonObject {
  return { content: [{ type: 'text', text: message }], isError: true };
}

/** Whether `structuredContent` (and `outputSchema`) exist in this version. */
export function hasStructuredContent(ctx: RequestContext): boolean {
  return atLeast(ctx.version, '2025-06-18');
}

/**
 * A result carrying `value` as structured content where the version has it. From 2025-06-18 the
 * same JSON also goes in a text block (TOOL-013), after the optional human summary; before
 * that, the text is the whole answer, so it is the summary when there is one, else the JSON.
 */
export function structuredResult(ctx: RequestContext, value: JsonObject, summary?: string): JsonObject {
  const json = JSON.stringify(value);
  if (!hasStructuredContent(ctx)) return textResult(summary ?? json);
  const content: JsonValue[] = summary === undefined ? [] : [{ type: 'text', text: summary }];
  content.push({ type: 'text', text: json });
  return { content, structuredContent: value };
}

/**
 * Marks a finished result as such for 2026-07-28, where every result carries `resultType`
 * ("complete" here: these features never answer with input_required). Earlier versions have
 * no such field, so nothing is added for them.
 */
export function completeResult(ctx: RequestContext, result: JsonObject): JsonObject {
  if (ctx.version === '2026-07-28' && result.resultType === undefined) return { ...result, resultType: 'complete' };
  return result;
}
