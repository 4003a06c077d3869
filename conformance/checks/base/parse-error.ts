import { isErrorResponse } from '../../../transport/jsonrpc.js';
import { ALL_VERSIONS, defineCheck } from '../../check.js';
import { expectResult, fence } from '../../kit/replies.js';
import { sendRaw } from '../../kit/raw.js';

/** A request cut off mid-object: not JSON at all. */
const BROKEN = '{"jsonrpc":"2.0","id":1,"method":"ping","params":{';

/**
 * JSON-RPC 2.0 answers unparseable input with -32700 and a null id (BASE-008 allows the missing
 * id). MCP itself does not require an answer to garbage, so this is a SHOULD; staying up is
 * checked by a request afterwards.
 */
export default defineCheck({
  id: 'base/parse-error',
  title: 'Unparseable input gets a -32700 error with a null id, and the server stays up',
  requirements: ['BASE-002', 'BASE-008', 'M-BASE-002', 'M-BASE-012'],
  level: 'SHOULD',
  versions: ALL_VERSIONS,
  transports: ['stdio', 'tcp', 'ws', 'http'],
  async run(ctx) {
    const answer = await sendRaw(ctx, BROKEN, ctx.timeoutMs);
    const error = answer.messages.find(isErrorResponse);
    if (error === undefined) {
      ctx.fail(`unparseable input got ${answer.frames.length === 0 ? 'no answer' : `an answer that is not a JSON-RPC error: ${answer.frames[0]!.slice(0, 200)}`}${answer.status === undefined ? '' : ` (HTTP ${answer.status})`}`, {
        expected: '{"jsonrpc":"2.0","id":null,"error":{"code":-32700,…}}',
        observed: answer.frames.join('\n').slice(0, 500) || 'nothing',
        request: BROKEN,
      });
    } else {
      ctx.expect(error.error.code === -32700, `unparseable input was answered with code ${error.error.code}`, { expected: 'code -32700 (Parse error)', observed: JSON.stringify(error), request: BROKEN });
      ctx.expect(error.id === null || error.id === undefined, `the parse error carries id ${JSON.stringify(error.id)}, though no id could be read`, { expected: 'id null', observed: JSON.stringify(error), request: BROKEN });
    }
    // On stdio the same process must go on; elsewhere a new connection to the same server.
    const session = answer.session ?? (await ctx.session());
    const after = answer.session && ctx.era === 'legacy' ? await session.initialize(ctx.version) : await fence(ctx, session);
    expectResult(ctx, after, 'a request after the unparseable input');
  },
});
