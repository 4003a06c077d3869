import { defineCheck, MODERN_VERSIONS, versionsFrom } from '../../check.js';
import { describeAnswer } from '../../kit/http-answer.js';
import { endpointOf, postHeaders, rawHandshake, rawTerminate, type RawSession } from '../../kit/http-session.js';
import type { HttpRequestSpec } from '../../http-probe.js';

/**
 * Bodies without an id (so no JSON-RPC response can carry the refusal) that are not a usable
 * notification or response: a server cannot accept them, and must say so with an HTTP error
 * status (HTTP-010, M-HTTP-012), not 202 or 200. A stray but well-formed response is not sent:
 * a server may accept and drop it.
 */
const UNUSABLE: ReadonlyArray<{ body: string; what: string }> = [
  { body: '{"jsonrpc":"2.0","method":42}', what: 'a notification whose method is a number' },
  { body: '{"jsonrpc":"2.0","params":{"mcpcert":true}}', what: 'an object with neither method, id, result nor error' },
];

export default defineCheck({
  id: 'http/unacceptable-message',
  title: 'A POSTed notification or response that cannot be accepted gets an HTTP error status',
  requirements: ['HTTP-010', 'M-HTTP-012'],
  level: 'MUST',
  versions: [...versionsFrom('2025-03-26', '2025-11-25'), ...MODERN_VERSIONS],
  transports: ['http'],
  async run(ctx) {
    const session: RawSession | undefined = ctx.era === 'modern' ? undefined : await rawHandshake(ctx);
    const headers: Record<string, string> = ctx.era === 'modern' ? { 'mcp-protocol-version': ctx.version } : session!.headers;
    try {
      for (const { body, what } of UNUSABLE) {
        const spec: HttpRequestSpec = { method: 'POST', url: endpointOf(ctx), headers: postHeaders(ctx, headers), body };
        const answer = await ctx.http(spec);
        ctx.expect(answer.status >= 400 && answer.status <= 599, `${what} was answered with ${describeAnswer(answer)}`, { expected: 'an HTTP error status (e.g. 400 Bad Request)', observed: describeAnswer(answer), http: spec });
      }
    } finally {
      if (session) await rawTerminate(ctx, session);
    }
  },
});
