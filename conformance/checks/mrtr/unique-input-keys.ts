import { decode, isPlainObject } from '../../../transport/codec.js';
import type { JsonObject, JsonRpcRequest } from '../../../transport/jsonrpc.js';
import { MODERN_VERSIONS, defineCheck } from '../../check.js';
import { capabilitiesOf, declaration } from '../../kit/client-requests.js';
import { exerciseTarget } from '../../kit/exercise-requests.js';
import { duplicateKeys } from '../../kit/json-duplicates.js';
import { capabilityMeta, inputRequiredOf } from '../../kit/mrtr.js';
import { rawReply } from '../../kit/raw-reply.js';
import { listTools } from '../../kit/tools.js';

/** How many requests that answered InputRequiredResult are asked again and read raw. */
const MAX_RAW = 3;

/**
 * inputRequests keys are unique (M-PAT-004). A decoded result cannot show a repeated key
 * (JSON.parse keeps the last), so the requests that answered InputRequiredResult are sent again
 * on a connection of their own and the answer's text is scanned key by key.
 */
export default defineCheck({
  id: 'mrtr/unique-input-keys',
  title: 'The keys of InputRequiredResult.inputRequests are unique in the text the server sends',
  requirements: ['M-PAT-004'],
  level: 'MUST',
  versions: MODERN_VERSIONS,
  transports: ['stdio', 'http', 'ws', 'tcp'],
  timeoutFactor: 3,
  async run(ctx) {
    const meta = capabilityMeta(capabilitiesOf(declaration(ctx.version, 'full'), ctx.version));
    const session = await ctx.session({ fresh: true });
    const perCall = Math.min(ctx.timeoutMs, 3000);
    const asking = (await exerciseTarget(ctx, session, { meta, perCallTimeoutMs: perCall })).filter((e) => 'reply' in e.outcome && inputRequiredOf(e.outcome.reply) !== undefined);
    if (asking.length === 0) ctx.skip('the target never answered InputRequiredResult to tools/call, prompts/get or resources/read from a client declaring sampling, elicitation and roots');
    const schemas = new Map<string, JsonObject>();
    if (ctx.target.kind === 'http' && asking.some((e) => e.method === 'tools/call')) {
      for (const tool of await listTools(ctx, session)) if (typeof tool.name === 'string' && isPlainObject(tool.inputSchema)) schemas.set(tool.name, tool.inputSchema);
    }
    let judged = 0;
    for (const [index, exercise] of asking.slice(0, MAX_RAW).entries()) {
      const request: JsonRpcRequest = { jsonrpc: '2.0', id: `mcpcert-raw-${index}`, method: exercise.method, params: session.eraParams(exercise.params, meta) ?? {} };
      const text = await rawReply(ctx, request, (tool) => schemas.get(tool), perCall);
      if (text === undefined) {
        ctx.note(`${exercise.label}: no answer to the raw copy within ${perCall} ms`);
        continue;
      }
      const decoded = decode(text);
      const message = decoded.ok && !decoded.batch ? decoded.messages[0] : undefined;
      const result = message !== undefined && 'result' in message ? message.result : undefined;
      if (result?.resultType !== 'input_required') {
        ctx.note(`${exercise.label}: the raw copy was not answered with InputRequiredResult this time`);
        continue;
      }
      judged += 1;
      const repeated = (duplicateKeys(text) ?? []).filter((d) => d.path.length === 2 && d.path[0] === 'result' && d.path[1] === 'inputRequests');
      for (const { key } of repeated) {
        ctx.fail(`${exercise.label}: inputRequests holds the key ${JSON.stringify(key)} more than once (M-PAT-004)`, { expected: 'each inputRequests key once', observed: text.slice(0, 1000), request });
      }
    }
    if (judged === 0) ctx.skip(`none of the ${Math.min(asking.length, MAX_RAW)} requests that answered InputRequiredResult did so again when sent on a connection of their own, so no raw text could be read`);
  },
});
