import { defineCheck, MODERN_VERSIONS } from '../../check.js';
import { META_KEYS } from '../../modern.js';
import { describeReply } from '../../kit/replies.js';

/**
 * A request that announces 2026-07-28 but leaves out the required client capabilities: the
 * server must refuse it with -32602 (on HTTP with status 400), not guess.
 */
export default defineCheck({
  id: 'modern/missing-meta',
  title: 'A request missing a required _meta field is refused with -32602 (HTTP 400)',
  requirements: ['M-BASE-046'],
  level: 'MUST',
  versions: MODERN_VERSIONS,
  transports: 'all',
  async run(ctx) {
    const session = await ctx.session();
    const params = { _meta: { [META_KEYS.protocolVersion]: ctx.version } };
    const request = { jsonrpc: '2.0', method: 'server/discover', params };
    const reply = await session.request('server/discover', params);
    ctx.expect(reply.kind === 'error' && reply.error.code === -32602, `server/discover without ${META_KEYS.clientCapabilities} was answered with ${describeReply(reply)}`, { expected: 'error -32602', observed: describeReply(reply), request });
    if (ctx.transport === 'http' && reply.kind !== 'invalid') {
      const status = reply.meta.http?.status;
      ctx.expect(status === 400, `server/discover without ${META_KEYS.clientCapabilities} was answered with HTTP ${String(status)}`, { expected: 'HTTP 400', observed: `HTTP ${String(status)}`, request });
    }
  },
});
