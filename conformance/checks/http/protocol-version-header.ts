import { defineCheck, versionsFrom } from '../../check.js';
import { postSpec, rawHandshake, rawTerminate } from '../../kit/http-session.js';

const UNSUPPORTED = '1999-01-01';

export default defineCheck({
  id: 'http/protocol-version-header',
  title: 'An unsupported MCP-Protocol-Version header is refused with 400 Bad Request',
  requirements: ['HTTP-044'],
  level: 'MUST',
  versions: versionsFrom('2025-06-18', '2025-11-25'),
  transports: ['http'],
  async run(ctx) {
    const session = await rawHandshake(ctx);
    try {
      const spec = postSpec(ctx, { jsonrpc: '2.0', id: 2, method: 'ping' }, { ...session.headers, 'mcp-protocol-version': UNSUPPORTED });
      const answer = await ctx.http(spec);
      ctx.expect(answer.status === 400, `a request with MCP-Protocol-Version ${UNSUPPORTED} was answered with HTTP ${answer.status}`, { expected: 'HTTP 400 Bad Request', observed: `HTTP ${answer.status}`, http: spec });
    } finally {
      await rawTerminate(ctx, session);
    }
  },
});
