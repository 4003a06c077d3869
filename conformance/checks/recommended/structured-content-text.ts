import { isDeepStrictEqual } from 'node:util';
import { isPlainObject } from '../../../transport/codec.js';
import type { JsonValue } from '../../../transport/jsonrpc.js';
import { defineCheck, versionsFrom } from '../../check.js';
import { callTools, isErrorResult, listTools } from '../../kit/tools.js';

function parsed(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** Any text block holding the same JSON value counts: whitespace and key order are the server's choice. */
function hasSerializedCopy(content: JsonValue | undefined, structured: JsonValue): boolean {
  if (!Array.isArray(content)) return false;
  return content.some((block) => {
    if (!isPlainObject(block) || block.type !== 'text' || typeof block.text !== 'string') return false;
    const value = parsed(block.text);
    return value.ok && isDeepStrictEqual(value.value, structured);
  });
}

export default defineCheck({
  id: 'recommended/structured-content-text',
  title: 'A tool result with structuredContent also carries it serialized in a text block',
  requirements: ['TOOL-013', 'M-TOOL-017'],
  level: 'SHOULD',
  versions: versionsFrom('2025-06-18'),
  transports: 'all',
  needs: ['tools'],
  timeoutFactor: 3,
  async run(ctx) {
    const session = await ctx.session();
    const tools = await listTools(ctx, session);
    // Tools declaring an outputSchema are the ones that return structured content; others may too.
    const ordered = [...tools.filter((t) => isPlainObject(t.outputSchema)), ...tools.filter((t) => !isPlainObject(t.outputSchema))];
    let judged = 0;
    for (const call of await callTools(ctx, session, ordered, { max: 20 })) {
      if (!('reply' in call.outcome) || call.outcome.reply.kind !== 'result') continue;
      const result = call.outcome.reply.result;
      if (isErrorResult(result) || result.structuredContent === undefined) continue;
      judged += 1;
      ctx.expect(hasSerializedCopy(result.content, result.structuredContent), `tool ${JSON.stringify(call.name)} returned structuredContent without the same JSON in a text content block`, {
        expected: 'a text block whose text parses to the structuredContent',
        observed: JSON.stringify(result.content ?? null).slice(0, 500),
        request: { jsonrpc: '2.0', method: 'tools/call', params: { name: call.name, arguments: call.args } },
      });
    }
    if (judged === 0) ctx.skip('no tool call returned a successful result with structuredContent');
  },
});
