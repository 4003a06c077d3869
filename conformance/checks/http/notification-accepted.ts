import { defineCheck, versionsFrom } from '../../check.js';
import { postSpec, rawHandshake, rawTerminate } from '../../kit/http-session.js';

export default defineCheck({
  id: 'http/notification-accepted',
  title: 'An accepted notification POST is answered 202 Accepted with no body',
  requirements: ['HTTP-009'],
  level: 'MUST',
  versions: versionsFrom('2025-03-26', '2025-11-25'),
  transports: ['http'],
  async run(ctx) {
    const session = await rawHandshake(ctx);
    try {
      // A cancellation of a request that never existed: the receiver ignores it (CANCEL-012).
      const spec = postSpec(ctx, { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 'mcpcert-never-sent', reason: 'probe' } }, session.headers);
      const answer = await ctx.http(spec);
      if (answer.status >= 400) {
        ctx.note(`the notification was not accepted (HTTP ${answer.status}), which HTTP-010 allows; trying notifications/initialized`);
      } else {
        ctx.expect(answer.status === 202, `a notification POST was answered with HTTP ${answer.status}`, { expected: 'HTTP 202 Accepted', observed: `HTTP ${answer.status}`, http: spec });
        ctx.expect(answer.body === '', `the 202 answer to a notification carries a body: ${answer.body.slice(0, 200)}`, { expected: 'no body', observed: answer.body.slice(0, 500), http: spec });
        return;
      }
      const again = postSpec(ctx, { jsonrpc: '2.0', method: 'notifications/initialized' }, session.headers);
      const second = await ctx.http(again);
      ctx.expect(second.status === 202 && second.body === '', `notifications/initialized was answered with HTTP ${second.status}${second.body === '' ? '' : ' and a body'}`, { expected: 'HTTP 202 Accepted, no body', observed: `HTTP ${second.status} ${second.body.slice(0, 200)}`, http: again });
    } finally {
      await rawTerminate(ctx, session);
    }
  },
});
