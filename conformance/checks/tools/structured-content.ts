import { isPlainObject } from '../../../transport/codec.js';
import { defineCheck, versionsFrom } from '../../check.js';
import { compileSchema, conforms } from '../../json-schema.js';
import { callTools, hasOutputSchema, isErrorResult, listTools } from '../../kit/tools.js';

export default defineCheck({
  id: 'tools/structured-content',
  title: 'A tool with an outputSchema returns structuredContent that conforms to it',
  requirements: ['TOOL-014', 'M-TOOL-018'],
  level: 'MUST',
  versions: versionsFrom('2025-06-18'),
  transports: 'all',
  needs: ['tools'],
  timeoutFactor: 3,
  async run(ctx) {
    const session = await ctx.session();
    const tools = (await listTools(ctx, session)).filter(hasOutputSchema);
    if (tools.length === 0) ctx.skip('the target lists no tool with an outputSchema');
    let judged = 0;
    for (const call of await callTools(ctx, session, tools)) {
      if (!('reply' in call.outcome) || call.outcome.reply.kind !== 'result' || isErrorResult(call.outcome.reply.result)) continue;
      const result = call.outcome.reply.result;
      const request = { jsonrpc: '2.0', method: 'tools/call', params: { name: call.name, arguments: call.args } };
      const compiled = compileSchema(call.tool.outputSchema, ctx.version);
      if (!compiled.ok) {
        ctx.note(`tool ${call.name}: its outputSchema cannot be used (${compiled.reason}); tools/list-valid judges that`);
        continue;
      }
      judged += 1;
      const structured = result.structuredContent;
      // 2026-07-28 allows any JSON value; before, an object.
      const present = ctx.version >= '2026-07-28' ? structured !== undefined : isPlainObject(structured);
      if (!ctx.expect(present, `tool ${JSON.stringify(call.name)} declares an outputSchema but its result has no structuredContent`, { expected: 'structuredContent conforming to the outputSchema', observed: JSON.stringify(result).slice(0, 500), request })) continue;
      const outcome = conforms(compiled.validate, structured);
      if (!outcome.ok) ctx.fail(`the structuredContent of tool ${JSON.stringify(call.name)} does not conform to its outputSchema: ${outcome.summary}`, { expected: JSON.stringify(call.tool.outputSchema).slice(0, 500), observed: JSON.stringify(structured).slice(0, 500), request });
    }
    if (judged === 0) ctx.skip('no tool with an outputSchema returned a successful result to judge');
  },
});
