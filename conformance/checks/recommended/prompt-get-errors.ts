import { isPlainObject } from '../../../transport/codec.js';
import type { JsonObject } from '../../../transport/jsonrpc.js';
import { ALL_VERSIONS, defineCheck } from '../../check.js';
import { listAll, listOf } from '../../kit/lists.js';
import { describeReply } from '../../kit/replies.js';
import type { Reply } from '../../session.js';

const INVALID_PARAMS = -32602;

/** A prompt name no listing contains, so the server cannot mistake it for one of its own. */
function unknownName(names: ReadonlySet<string>): string {
  let name = 'mcpcert-no-such-prompt';
  while (names.has(name)) name += '-x';
  return name;
}

function requiredArgument(prompt: JsonObject): string | undefined {
  if (!Array.isArray(prompt.arguments)) return undefined;
  const found = prompt.arguments.find((a) => isPlainObject(a) && a.required === true && typeof a.name === 'string');
  return isPlainObject(found) ? (found.name as string) : undefined;
}

/** 2026-07-28 lets a server ask the client for what is missing instead (multi round-trip). */
function asksForInput(reply: Reply): boolean {
  return reply.kind === 'result' && reply.result.resultType === 'input_required';
}

export default defineCheck({
  id: 'recommended/prompt-get-errors',
  title: 'prompts/get of an unknown prompt, or without a required argument, is answered with -32602',
  requirements: ['PROMPT-006', 'M-PROMPT-006'],
  level: 'SHOULD',
  versions: ALL_VERSIONS,
  transports: 'all',
  needs: ['prompts'],
  async run(ctx) {
    const session = await ctx.session();
    const listing = await listAll(ctx, session, listOf('prompts/list'), { validate: false });
    const names = new Set(listing.items.map((p) => p.name).filter((n): n is string => typeof n === 'string'));
    const missing = unknownName(names);
    const unknownParams = { name: missing, arguments: {} };
    const unknown = await session.call('prompts/get', unknownParams);
    ctx.expect(unknown.kind === 'error' && unknown.error.code === INVALID_PARAMS, `prompts/get of the unlisted prompt ${JSON.stringify(missing)} was not answered with -32602 (Invalid params)`, { expected: 'a JSON-RPC error with code -32602', observed: describeReply(unknown), request: { jsonrpc: '2.0', method: 'prompts/get', params: unknownParams } });

    const prompt = listing.items.find((p) => typeof p.name === 'string' && requiredArgument(p) !== undefined);
    if (prompt === undefined) {
      ctx.note('no listed prompt declares a required argument: only the unknown name was judged');
      return;
    }
    const params = { name: prompt.name as string, arguments: {} };
    const reply = await session.call('prompts/get', params);
    if (asksForInput(reply)) {
      ctx.note(`prompts/get ${String(prompt.name)} without arguments asked for input instead, which 2026-07-28 allows`);
      return;
    }
    ctx.expect(reply.kind === 'error' && reply.error.code === INVALID_PARAMS, `prompts/get of ${JSON.stringify(prompt.name)} without its required argument ${JSON.stringify(requiredArgument(prompt))} was not answered with -32602 (Invalid params)`, { expected: 'a JSON-RPC error with code -32602', observed: describeReply(reply), request: { jsonrpc: '2.0', method: 'prompts/get', params } });
  },
});
