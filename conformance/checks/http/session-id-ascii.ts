import { defineCheck, versionsFrom } from '../../check.js';
import { rawHandshake, rawTerminate } from '../../kit/http-session.js';

export default defineCheck({
  id: 'http/session-id-ascii',
  title: 'Session ids contain only visible ASCII (0x21–0x7E)',
  requirements: ['HTTP-034'],
  level: 'MUST',
  versions: versionsFrom('2025-03-26', '2025-11-25'),
  transports: ['http'],
  async run(ctx) {
    const session = await rawHandshake(ctx);
    try {
      const id = session.sessionId;
      if (id === undefined) return ctx.skip('the target assigns no MCP-Session-Id (sessions are optional)');
      ctx.expect(/^[\x21-\x7e]+$/.test(id), `the session id ${JSON.stringify(id)} has characters outside visible ASCII`, { expected: 'only characters 0x21–0x7E', observed: JSON.stringify(id) });
    } finally {
      await rawTerminate(ctx, session);
    }
  },
});
