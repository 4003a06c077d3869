import { MODERN_VERSIONS, defineCheck } from '../../check.js';
import { capabilitiesOf, declaration } from '../../kit/client-requests.js';
import { exerciseTarget } from '../../kit/exercise-requests.js';
import { capabilityMeta, followRounds } from '../../kit/mrtr.js';
import { fence, settle } from '../../kit/replies.js';

const ROUNDS = 2;

/**
 * 2026-07-28 over stdio: the server asks its client for things only through InputRequiredResult,
 * never with a JSON-RPC request of its own (not even ping). A fresh process is exercised by a
 * client declaring sampling, elicitation and roots in every request's `_meta`, answering input
 * requests for a couple of rounds, so that tools which need the client run their course.
 */
export default defineCheck({
  id: 'stdio/no-server-requests',
  title: 'A 2026-07-28 stdio server writes no JSON-RPC request to stdout',
  requirements: ['M-STDIO-006'],
  level: 'MUST',
  versions: MODERN_VERSIONS,
  transports: ['stdio'],
  timeoutFactor: 3,
  async run(ctx) {
    const session = await ctx.session({ fresh: true });
    const meta = capabilityMeta(capabilitiesOf(declaration(ctx.version, 'full'), ctx.version));
    const perCall = Math.min(ctx.timeoutMs, 3000);
    const exercised = await exerciseTarget(ctx, session, { meta, perCallTimeoutMs: perCall });
    for (const exercise of exercised) {
      if (session.closed) break;
      await followRounds(session, exercise, meta, ROUNDS, perCall);
    }
    await fence(ctx, session);
    await settle(200);
    ctx.note(`exercised ${exercised.length} tool call(s), prompt get(s) and resource read(s) declaring ${JSON.stringify(meta)}`);
    const reported = new Set<string>();
    for (const request of session.serverRequests) {
      if (reported.has(request.method)) continue;
      reported.add(request.method);
      ctx.fail(`the server wrote a JSON-RPC request (${request.method}) to stdout (M-STDIO-006)`, {
        expected: 'only responses and notifications from a 2026-07-28 server: it asks the client through InputRequiredResult',
        observed: JSON.stringify(request).slice(0, 500),
      });
    }
    // Past the kept window, requests are still counted.
    if (reported.size === 0 && session.serverRequests.total > 0) ctx.fail(`the server wrote ${session.serverRequests.total} JSON-RPC request(s) to stdout (M-STDIO-006)`, { expected: 'no request from a 2026-07-28 server', observed: `${session.serverRequests.total} request(s)` });
  },
});
