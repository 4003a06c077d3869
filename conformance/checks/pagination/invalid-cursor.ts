import { ALL_VERSIONS, defineCheck } from '../../check.js';
import { declaredLists } from '../../kit/lists.js';
import { describeReply, expectResult, fence } from '../../kit/replies.js';

const BOGUS_CURSOR = 'mcpcert-not-a-cursor-%%';

export default defineCheck({
  id: 'pagination/invalid-cursor',
  title: 'An invalid cursor is answered with -32602, and the server stays up',
  requirements: ['PAGE-003', 'PAGE-007', 'M-PAGE-003', 'M-PAGE-008'],
  level: 'SHOULD',
  versions: ALL_VERSIONS,
  transports: 'all',
  async run(ctx) {
    const lists = declaredLists(ctx);
    if (lists.length === 0) ctx.skip('the target declares none of tools, resources, prompts');
    const session = await ctx.session();
    for (const list of lists) {
      const params = { cursor: BOGUS_CURSOR };
      const request = { jsonrpc: '2.0', method: list.method, params };
      const reply = await session.call(list.method, params);
      ctx.expect(reply.kind === 'error' && reply.error.code === -32602, `${list.method} with an invalid cursor was answered with ${describeReply(reply)}`, { expected: 'error -32602 (Invalid params)', observed: describeReply(reply), request });
    }
    expectResult(ctx, await fence(ctx, session), 'a request after the invalid cursors');
  },
});
