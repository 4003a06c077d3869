import { defineCheck, MODERN_VERSIONS } from '../../check.js';
import { describeAnswer, errorCodeOf } from '../../kit/http-answer.js';
import { modernPost } from '../../kit/http-session.js';

const UNKNOWN = 'mcpcert/no-such-method';

/**
 * On Streamable HTTP, a method the server does not implement is 404 Not Found with JSON-RPC
 * -32601. A known method is sent first, so a server answering 404 to everything does not pass.
 */
export default defineCheck({
  id: 'modern/unknown-method-404',
  title: 'An unimplemented method gets HTTP 404 with error -32601',
  requirements: ['M-HTTP-026'],
  level: 'MUST',
  versions: MODERN_VERSIONS,
  transports: ['http'],
  async run(ctx) {
    const baseline = modernPost(ctx, 'server/discover');
    const known = await ctx.http(baseline);
    if (known.status !== 200) {
      ctx.fail(`server/discover was answered with ${describeAnswer(known)}, so a 404 for an unknown method proves nothing`, { expected: 'HTTP 200', observed: describeAnswer(known), http: baseline });
      return;
    }
    const spec = modernPost(ctx, UNKNOWN);
    const answer = await ctx.http(spec);
    ctx.expect(answer.status === 404, `the unimplemented method ${UNKNOWN} was answered with HTTP ${answer.status}`, { expected: 'HTTP 404 Not Found', observed: describeAnswer(answer), http: spec });
    ctx.expect(errorCodeOf(answer) === -32601, `the answer to the unimplemented method ${UNKNOWN} carries ${describeAnswer(answer)}`, { expected: 'JSON-RPC error -32601 (Method not found)', observed: describeAnswer(answer), http: spec });
  },
});
