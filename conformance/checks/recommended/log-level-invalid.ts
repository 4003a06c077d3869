import { HANDSHAKE_VERSIONS, defineCheck } from '../../check.js';
import { describeReply } from '../../kit/replies.js';

export default defineCheck({
  id: 'recommended/log-level-invalid',
  title: 'logging/setLevel with a level that is not a syslog level is answered with -32602',
  requirements: ['LOG-002'],
  level: 'SHOULD',
  versions: HANDSHAKE_VERSIONS,
  transports: 'all',
  needs: ['logging'],
  async run(ctx) {
    // A fresh session: a server that wrongly accepts the level must not change what others receive.
    const session = await ctx.session({ fresh: true });
    const params = { level: 'mcpcert-not-a-level' };
    const reply = await session.call('logging/setLevel', params);
    ctx.expect(reply.kind === 'error' && reply.error.code === -32602, 'logging/setLevel with an invalid level was not answered with -32602 (Invalid params)', { expected: 'a JSON-RPC error with code -32602', observed: describeReply(reply), request: { jsonrpc: '2.0', method: 'logging/setLevel', params } });
  },
});
