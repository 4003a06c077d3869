import { isPlainObject } from '../../../transport/codec.js';
import { ALL_VERSIONS, defineCheck } from '../../check.js';
import { compileSchema } from '../../json-schema.js';
import { listAll, listOf } from '../../kit/lists.js';

export default defineCheck({
  id: 'tools/list-valid',
  title: 'tools/list is valid and every inputSchema (and outputSchema) is a valid JSON Schema object',
  requirements: ['TOOL-005', 'BASE-020', 'M-TOOL-006', 'M-BASE-036'],
  level: 'MUST',
  versions: ALL_VERSIONS,
  transports: 'all',
  needs: ['tools'],
  async run(ctx) {
    const session = await ctx.session();
    const listing = await listAll(ctx, session, listOf('tools/list'));
    for (const tool of listing.items) {
      const name = JSON.stringify(tool.name);
      const input = tool.inputSchema;
      if (!isPlainObject(input)) {
        ctx.fail(`tool ${name} has no inputSchema object`, { expected: 'inputSchema: {"type":"object",…}', observed: JSON.stringify(input ?? null) });
        continue;
      }
      ctx.expect(input.type === 'object', `the inputSchema of tool ${name} does not have type "object" at its root`, { observed: `type ${JSON.stringify(input.type ?? null)}` });
      for (const [field, schema] of [['inputSchema', input], ['outputSchema', tool.outputSchema]] as const) {
        if (schema === undefined) continue;
        const compiled = compileSchema(schema, ctx.version);
        if (compiled.ok) continue;
        if (compiled.unjudgeable) ctx.note(`tool ${name} ${field}: ${compiled.reason}`);
        else ctx.fail(`the ${field} of tool ${name} is not a valid JSON Schema: ${compiled.reason}`, { expected: 'a schema valid in its dialect', observed: JSON.stringify(schema).slice(0, 500) });
      }
    }
  },
});
