import { isPlainObject } from '../../../transport/codec.js';
import { isResult, type JsonRpcMessage, type JsonRpcResult } from '../../../transport/jsonrpc.js';
import { defineCheck, MODERN_VERSIONS } from '../../check.js';
import { declaredLists } from '../../kit/lists.js';
import { callTools, listTools } from '../../kit/tools.js';

const CORE_RESULT_TYPES = new Set(['complete', 'input_required']);

export default defineCheck({
  id: 'modern/result-type',
  title: 'Every result carries resultType (complete, input_required, or an advertised extension value)',
  requirements: ['M-BASE-008'],
  level: 'MUST',
  versions: MODERN_VERSIONS,
  transports: 'all',
  timeoutFactor: 2,
  async run(ctx) {
    const session = await ctx.session();
    // Only what arrives during this check: the shared session has a history.
    const results: JsonRpcResult[] = [];
    const collect = (message: JsonRpcMessage): void => {
      if (isResult(message)) results.push(message);
    };
    session.connection.on('message', collect);
    try {
      await session.call('server/discover', {});
      for (const list of declaredLists(ctx)) await session.call(list.method, {});
      if (ctx.hasCapability('tools')) await callTools(ctx, session, (await listTools(ctx, session)).slice(0, 5));
    } finally {
      session.connection.off('message', collect);
    }
    const extensions = isPlainObject(ctx.serverCapabilities.extensions) && Object.keys(ctx.serverCapabilities.extensions).length > 0;
    for (const message of results) {
      const type = message.result.resultType;
      const ok = typeof type === 'string' && (CORE_RESULT_TYPES.has(type) || extensions);
      ctx.expect(ok, `the result for id ${JSON.stringify(message.id)} has resultType ${JSON.stringify(type ?? null)}`, { expected: 'resultType "complete" or "input_required"', observed: JSON.stringify(message.result).slice(0, 300) });
    }
  },
});
