import { defineCheck, versionsFrom } from '../../check.js';
import { initializeMessage, modernPost, postSpec, rawTerminate, SESSION_HEADER } from '../../kit/http-session.js';

/** An origin no local or deployed server of the user's could legitimately serve. */
const FOREIGN_ORIGIN = 'https://attacker.mcpcert.invalid';

/** 403 for a foreign Origin is written down from 2025-11-25 on (before, only "validate"). */
export default defineCheck({
  id: 'http/origin-forbidden',
  title: 'A request with a foreign Origin is refused with 403 Forbidden',
  requirements: ['HTTP-002', 'HTTP-003', 'M-HTTP-002', 'M-HTTP-003'],
  level: 'MUST',
  versions: versionsFrom('2025-11-25'),
  transports: ['http'],
  async run(ctx) {
    const headers = { origin: FOREIGN_ORIGIN };
    const spec = ctx.era === 'modern' ? modernPost(ctx, 'server/discover', headers) : postSpec(ctx, initializeMessage(ctx), headers);
    const answer = await ctx.http(spec);
    ctx.expect(answer.status === 403, `a POST with Origin ${FOREIGN_ORIGIN} was answered with HTTP ${answer.status}`, { expected: 'HTTP 403 Forbidden', observed: `HTTP ${answer.status}${answer.body === '' ? '' : `: ${answer.body.slice(0, 200)}`}`, http: spec });
    // A server that let it through may have opened a session for it.
    const sessionId = answer.headers[SESSION_HEADER];
    if (sessionId !== undefined) await rawTerminate(ctx, { sessionId, initialize: answer, headers: { [SESSION_HEADER]: sessionId } });
  },
});
