import { defineCheck, versionsFrom } from '../../check.js';
import { endpointOf, postHeaders, postSpec, rawHandshake } from '../../kit/http-session.js';

export default defineCheck({
  id: 'http/session-terminated',
  title: 'After DELETE ends a session, requests with its id get 404 Not Found',
  requirements: ['HTTP-038'],
  level: 'MUST',
  versions: versionsFrom('2025-03-26', '2025-11-25'),
  transports: ['http'],
  async run(ctx) {
    const session = await rawHandshake(ctx);
    if (session.sessionId === undefined) ctx.skip('the target assigns no MCP-Session-Id (sessions are optional)');
    const del = { method: 'DELETE' as const, url: endpointOf(ctx), headers: { ...postHeaders(ctx), ...session.headers } };
    const deleted = await ctx.http(del);
    if (deleted.status === 405) ctx.skip('the target does not let clients end sessions (DELETE → 405, which the spec allows)');
    if (!ctx.expect(deleted.status >= 200 && deleted.status < 300, `DELETE of the session was answered with HTTP ${deleted.status}`, { expected: 'HTTP 2xx, or 405', observed: `HTTP ${deleted.status}`, http: del })) return;
    const spec = postSpec(ctx, { jsonrpc: '2.0', id: 2, method: 'ping' }, session.headers);
    const after = await ctx.http(spec);
    ctx.expect(after.status === 404, `a request with the ended session's id was answered with HTTP ${after.status}`, { expected: 'HTTP 404 Not Found', observed: `HTTP ${after.status}`, http: spec });
  },
});
