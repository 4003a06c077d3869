import { defineCheck, versionsFrom } from '../../check.js';
import { listAll, listOf } from '../../kit/lists.js';
import { describeReply } from '../../kit/replies.js';

export default defineCheck({
  id: 'recommended/completion-errors',
  title: 'completion/complete for a prompt that does not exist is answered with -32602',
  requirements: ['COMP-003', 'M-COMP-003'],
  level: 'SHOULD',
  versions: versionsFrom('2025-03-26'),
  transports: 'all',
  needs: ['completions'],
  async run(ctx) {
    const session = await ctx.session();
    const names = new Set<string>();
    if (ctx.hasCapability('prompts')) {
      const listing = await listAll(ctx, session, listOf('prompts/list'), { validate: false });
      for (const p of listing.items) if (typeof p.name === 'string') names.add(p.name);
    }
    let name = 'mcpcert-no-such-prompt';
    while (names.has(name)) name += '-x';
    const params = { ref: { type: 'ref/prompt', name }, argument: { name: 'mcpcert', value: '' } };
    const reply = await session.call('completion/complete', params);
    ctx.expect(reply.kind === 'error' && reply.error.code === -32602, `completion/complete for the unknown prompt ${JSON.stringify(name)} was not answered with -32602 (Invalid params)`, { expected: 'a JSON-RPC error with code -32602', observed: describeReply(reply), request: { jsonrpc: '2.0', method: 'completion/complete', params } });
  },
});
