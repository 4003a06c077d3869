import { defineCheck, versionsFrom } from '../../check.js';
import { endpointOf, postHeaders, rawHandshake, rawTerminate } from '../../kit/http-session.js';

export default defineCheck({
  id: 'http/get-stream',
  title: 'GET on the MCP endpoint opens an SSE stream or is refused with 405',
  requirements: ['HTTP-023'],
  level: 'MUST',
  versions: versionsFrom('2025-03-26', '2025-11-25'),
  transports: ['http'],
  async run(ctx) {
    const session = await rawHandshake(ctx);
    try {
      const headers: Record<string, string> = { ...postHeaders(ctx), ...session.headers, accept: 'text/event-stream' };
      delete headers['content-type'];
      const spec = { method: 'GET' as const, url: endpointOf(ctx), headers, readBody: false };
      const answer = await ctx.http(spec);
      const type = (answer.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      const ok = answer.status === 405 || (answer.status >= 200 && answer.status < 300 && type === 'text/event-stream');
      ctx.expect(ok, `GET was answered with HTTP ${answer.status} and Content-Type ${answer.headers['content-type'] ?? '(none)'}`, { expected: 'Content-Type text/event-stream, or HTTP 405', observed: `HTTP ${answer.status}, Content-Type ${answer.headers['content-type'] ?? '(none)'}`, http: spec });
    } finally {
      await rawTerminate(ctx, session);
    }
  },
});
