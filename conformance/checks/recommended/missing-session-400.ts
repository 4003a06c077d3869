import { defineCheck, versionsFrom } from '../../check.js';
import { postSpec, rawHandshake, rawTerminate, SESSION_HEADER } from '../../kit/http-session.js';

/**
 * A server may serve requests without a session id (then it does not require sessions); one
 * that refuses them should say 400 Bad Request, not 404 (which tells a client its session
 * ended) or another status.
 */
export default defineCheck({
  id: 'recommended/missing-session-400',
  title: 'A server that requires sessions answers a request without MCP-Session-Id with 400',
  requirements: ['HTTP-037'],
  level: 'SHOULD',
  versions: versionsFrom('2025-03-26', '2025-11-25'),
  transports: ['http'],
  async run(ctx) {
    const session = await rawHandshake(ctx);
    try {
      if (session.sessionId === undefined) ctx.skip('the target assigned no MCP-Session-Id at initialization');
      const headers = { ...session.headers };
      delete headers[SESSION_HEADER];
      const spec = postSpec(ctx, { jsonrpc: '2.0', id: 'mcpcert-no-session', method: 'ping' }, headers);
      const answer = await ctx.http(spec);
      if (answer.status >= 200 && answer.status < 300) {
        ctx.note(`answered HTTP ${answer.status} without a session id: the target does not require sessions`);
        return;
      }
      ctx.expect(answer.status === 400, `a ping without MCP-Session-Id was refused with HTTP ${answer.status}, not 400 Bad Request`, { expected: 'HTTP 400 (or a 2xx answer from a server that does not require sessions)', observed: `HTTP ${answer.status} ${answer.body.slice(0, 200)}`, http: spec });
    } finally {
      await rawTerminate(ctx, session);
    }
  },
});
