import { HANDSHAKE_VERSIONS, defineCheck } from '../../check.js';
import { DECLARES_NOTHING, undeclaredFor } from '../../kit/client-requests.js';
import { exerciseTarget } from '../../kit/exercise-requests.js';
import { fence, settle } from '../../kit/replies.js';

/**
 * A client that declares no capabilities exercises every tool, prompt and resource; the target
 * may then ask it nothing but ping (LIFE-016). Requests this client refuses with -32601, as a
 * client without the feature would.
 */
export default defineCheck({
  id: 'server-requests/undeclared-capabilities',
  title: 'No sampling, elicitation, roots or tasks request reaches a client that did not declare the capability',
  requirements: ['LIFE-016'],
  level: 'MUST',
  versions: HANDSHAKE_VERSIONS,
  transports: 'all',
  timeoutFactor: 4,
  async run(ctx) {
    const session = await ctx.session({ fresh: true });
    const exercised = await exerciseTarget(ctx, session);
    ctx.note(`exercised ${exercised.length} tool call(s), prompt get(s) and resource read(s) with a client declaring no capabilities`);
    await fence(ctx, session);
    await settle(200);
    if (exercised.length === 0 && session.serverRequests.total === 0) ctx.skip('the target offers no tool, prompt or resource to exercise, and sent no request on its own');
    const reported = new Set<string>();
    for (const r of session.serverRequests) {
      if (r.method === 'ping' || reported.has(r.method)) continue;
      reported.add(r.method);
      const missing = undeclaredFor(r.method, DECLARES_NOTHING);
      if (missing === undefined) {
        ctx.note(`the target sent ${r.method}, which needs no client capability mcpcert knows of`);
        continue;
      }
      ctx.fail(`the target sent ${r.method}, but this client did not declare the ${missing} capability (LIFE-016)`, {
        expected: `no ${r.method} request to a client without ${missing}`,
        observed: JSON.stringify(r).slice(0, 500),
      });
    }
  },
});
