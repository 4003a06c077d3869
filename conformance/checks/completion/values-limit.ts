import { isPlainObject } from '../../../transport/codec.js';
import type { JsonObject } from '../../../transport/jsonrpc.js';
import { ALL_VERSIONS, defineCheck } from '../../check.js';
import { listAll, listOf } from '../../kit/lists.js';
import { describeReply } from '../../kit/replies.js';

const SAMPLE = 10;
const MAX_VALUES = 100;

/** Completion targets the target itself declares: prompt arguments and template variables. */
async function targets(ctx: Parameters<typeof listAll>[0], session: Parameters<typeof listAll>[1]): Promise<JsonObject[]> {
  const out: JsonObject[] = [];
  if (ctx.hasCapability('prompts')) {
    for (const prompt of (await listAll(ctx, session, listOf('prompts/list'), { maxPages: 2, validate: false })).items) {
      for (const arg of Array.isArray(prompt.arguments) ? prompt.arguments : []) {
        if (isPlainObject(arg) && typeof arg.name === 'string' && typeof prompt.name === 'string') out.push({ ref: { type: 'ref/prompt', name: prompt.name }, argument: { name: arg.name, value: '' } });
      }
    }
  }
  if (ctx.hasCapability('resources')) {
    for (const template of (await listAll(ctx, session, listOf('resources/templates/list'), { maxPages: 2, validate: false })).items) {
      const variable = typeof template.uriTemplate === 'string' ? /\{[+#./;?&]?([A-Za-z0-9_]+)/.exec(template.uriTemplate)?.[1] : undefined;
      if (variable !== undefined) out.push({ ref: { type: 'ref/resource', uri: template.uriTemplate as string }, argument: { name: variable, value: '' } });
    }
  }
  return out.slice(0, SAMPLE);
}

export default defineCheck({
  id: 'completion/values-limit',
  title: 'completion/complete returns valid results with at most 100 values',
  requirements: ['COMP-002', 'M-COMP-002'],
  level: 'MUST',
  versions: ALL_VERSIONS,
  transports: 'all',
  needs: ['completions'],
  timeoutFactor: 2,
  async run(ctx) {
    const session = await ctx.session();
    const requests = await targets(ctx, session);
    if (requests.length === 0) ctx.skip('the target lists no prompt argument or resource template variable to complete');
    for (const params of requests) {
      const request = { jsonrpc: '2.0', method: 'completion/complete', params };
      const reply = await session.call('completion/complete', params);
      if (reply.kind !== 'result') {
        ctx.note(`completion/complete ${JSON.stringify(params.ref)}: ${describeReply(reply)}`);
        continue;
      }
      ctx.validate('CompleteResult', reply.result, 'the completion/complete result', { request });
      const completion = reply.result.completion;
      const values = isPlainObject(completion) && Array.isArray(completion.values) ? completion.values : [];
      ctx.expect(values.length <= MAX_VALUES, `completion/complete returned ${values.length} values for ${JSON.stringify(params.ref)}`, { expected: `at most ${MAX_VALUES} values`, observed: `${values.length} values`, request });
    }
  },
});
