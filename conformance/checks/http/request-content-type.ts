import { decode } from '../../../transport/codec.js';
import { isResponse } from '../../../transport/jsonrpc.js';
import { defineCheck, MODERN_VERSIONS, versionsFrom } from '../../check.js';
import type { HttpAnswer, HttpRequestSpec } from '../../http-probe.js';
import { initializeMessage, modernPost, postSpec, rawHandshake, rawTerminate } from '../../kit/http-session.js';
import { mediaTypeOf } from '../../kit/sse-stream.js';
import type { CheckContext } from '../../check.js';

const FORMS = ['application/json', 'text/event-stream'];

function judge(ctx: CheckContext, what: string, spec: HttpRequestSpec, answer: HttpAnswer): void {
  const type = mediaTypeOf(answer.headers);
  const observed = `HTTP ${answer.status}, Content-Type ${answer.headers['content-type'] ?? '(none)'}${answer.body === '' ? '' : `: ${answer.body.slice(0, 200)}`}`;
  if (!ctx.expect(answer.status >= 200 && answer.status < 300 && answer.status !== 202, `${what} was answered with HTTP ${answer.status}`, { expected: 'HTTP 2xx carrying the response', observed, http: spec })) return;
  if (!ctx.expect(FORMS.includes(type), `${what} was answered with Content-Type ${answer.headers['content-type'] ?? '(none)'}`, { expected: 'Content-Type application/json or text/event-stream', observed, http: spec })) return;
  if (type !== 'application/json') return;
  const decoded = decode(answer.body);
  ctx.expect(decoded.ok && !decoded.batch && decoded.messages.length === 1 && isResponse(decoded.messages[0]!), `the JSON answer to ${what} is not one JSON-RPC response`, { expected: 'one JSON object: the response', observed, http: spec });
}

/** A POSTed request gets its answer as JSON or as an SSE stream, nothing else (HTTP-011, M-HTTP-013). */
export default defineCheck({
  id: 'http/request-content-type',
  title: 'A POSTed request is answered with application/json or text/event-stream',
  requirements: ['HTTP-011', 'M-HTTP-013'],
  level: 'MUST',
  versions: [...versionsFrom('2025-03-26', '2025-11-25'), ...MODERN_VERSIONS],
  transports: ['http'],
  async run(ctx) {
    const methods = ctx.hasCapability('tools') ? ['tools/list'] : [];
    if (ctx.era === 'modern') {
      for (const method of ['server/discover', ...methods]) {
        const spec = modernPost(ctx, method);
        judge(ctx, method, spec, await ctx.http(spec));
      }
      return;
    }
    const session = await rawHandshake(ctx);
    try {
      judge(ctx, 'initialize', postSpec(ctx, initializeMessage(ctx)), session.initialize);
      let id = 1;
      for (const method of ['ping', ...methods]) {
        const spec = postSpec(ctx, { jsonrpc: '2.0', id: ++id, method, params: {} }, session.headers);
        judge(ctx, method, spec, await ctx.http(spec));
      }
    } finally {
      await rawTerminate(ctx, session);
    }
  },
});
