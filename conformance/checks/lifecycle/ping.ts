import { defineCheck, HANDSHAKE_VERSIONS } from '../../check.js';
import { expectResult } from '../../kit/replies.js';

export default defineCheck({
  id: 'lifecycle/ping',
  title: 'ping is answered promptly with an empty result',
  requirements: ['PING-001'],
  level: 'MUST',
  versions: HANDSHAKE_VERSIONS,
  transports: 'all',
  async run(ctx) {
    const session = await ctx.session();
    const result = expectResult(ctx, await session.request('ping'), 'ping');
    if (result === undefined) return;
    ctx.validate('EmptyResult', result, 'the ping result');
    const extra = Object.keys(result).filter((k) => k !== '_meta');
    ctx.expect(extra.length === 0, `the ping result is not empty: it carries ${extra.join(', ')}`, { expected: '{}', observed: JSON.stringify(result) });
  },
});
