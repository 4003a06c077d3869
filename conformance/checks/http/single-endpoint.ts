import { defineCheck, MODERN_VERSIONS, versionsFrom } from '../../check.js';
import { describeAnswer } from '../../kit/http-answer.js';
import { initializeMessage, modernPost, postSpec, rawTerminate, SESSION_HEADER } from '../../kit/http-session.js';
import { getSpec } from '../../kit/stream-traffic.js';
import { mediaTypeOf } from '../../kit/sse-stream.js';

/**
 * One MCP endpoint path serves both methods (HTTP-001): the URL that takes the POSTs also
 * answers GET, with an SSE stream or 405 (the spec's allowed refusal). 2026-07-28 requires POST
 * only (M-HTTP-001).
 */
export default defineCheck({
  id: 'http/single-endpoint',
  title: 'The MCP endpoint path answers POST, and GET with an SSE stream or 405',
  requirements: ['HTTP-001', 'M-HTTP-001'],
  level: 'MUST',
  versions: [...versionsFrom('2025-03-26', '2025-11-25'), ...MODERN_VERSIONS],
  transports: ['http'],
  async run(ctx) {
    const spec = ctx.era === 'modern' ? modernPost(ctx, 'server/discover') : postSpec(ctx, initializeMessage(ctx));
    const answer = await ctx.http({ ...spec, readBody: true });
    const ok = answer.status >= 200 && answer.status < 300;
    ctx.expect(ok, `a POST of ${ctx.era === 'modern' ? 'server/discover' : 'initialize'} to the endpoint was answered with ${describeAnswer(answer)}`, { expected: 'HTTP 2xx', observed: describeAnswer(answer), http: spec });
    const sessionId = answer.headers[SESSION_HEADER];
    const session = { sessionId, initialize: answer, headers: sessionId === undefined ? {} : { [SESSION_HEADER]: sessionId } as Record<string, string> };
    try {
      if (ctx.era === 'modern' || !ok) return;
      if (ctx.version >= '2025-06-18') session.headers['mcp-protocol-version'] = ctx.version;
      await ctx.http(postSpec(ctx, { jsonrpc: '2.0', method: 'notifications/initialized' }, session.headers));
      const get = { ...getSpec(ctx, session), readBody: false };
      const listened = await ctx.http(get);
      const sse = listened.status >= 200 && listened.status < 300 && mediaTypeOf(listened.headers) === 'text/event-stream';
      ctx.expect(sse || listened.status === 405, `GET on the same endpoint path was answered with HTTP ${listened.status}, Content-Type ${listened.headers['content-type'] ?? '(none)'}`, { expected: 'an SSE stream (text/event-stream), or HTTP 405', observed: `HTTP ${listened.status}, Content-Type ${listened.headers['content-type'] ?? '(none)'}`, http: get });
    } finally {
      await rawTerminate(ctx, session);
    }
  },
});
