import { ALL_VERSIONS, defineCheck } from '../../check.js';
import { TransportFailure } from '../../errors.js';
import { fence, settle } from '../../kit/replies.js';

export default defineCheck({
  id: 'base/no-response-to-notification',
  title: 'Notifications are never answered',
  requirements: ['BASE-011', 'M-BASE-023'],
  level: 'MUST',
  versions: ALL_VERSIONS,
  transports: 'all',
  async run(ctx) {
    const session = await ctx.session();
    const before = session.unmatched.mark();
    const framesBefore = session.frameErrors.mark();
    // An unknown notification, and a cancellation of a request that never existed (to be ignored).
    const sent: Array<[string, Record<string, string>]> = [
      ['notifications/mcpcert-probe', {}],
      ['notifications/cancelled', { requestId: 'mcpcert-never-sent', reason: 'probe' }],
    ];
    for (const [method, params] of sent) {
      try {
        await session.notify(method, params);
      } catch (err) {
        // Streamable HTTP may refuse a notification with an HTTP error status (HTTP-010): not an answer.
        if (!(err instanceof TransportFailure)) throw err;
        ctx.note(`${method}: ${err.message}`);
      }
    }
    await fence(ctx, session);
    await settle(100);
    // A response to nothing we asked, well-formed or not (a result with a null id is not).
    const answers = [
      ...session.unmatched.since(before).map((a) => JSON.stringify(a)),
      ...session.frameErrors.since(framesBefore).map((f) => f.raw ?? '').filter((raw) => /"(result|error)"\s*:/.test(raw)),
    ];
    if (answers.length === 0) return;
    ctx.fail(`the target answered a notification: ${answers[0]!.slice(0, 300)}`, {
      expected: 'no response to a notification',
      observed: answers.join('\n').slice(0, 1000),
      request: { jsonrpc: '2.0', method: sent[0]![0], params: sent[0]![1] },
    });
  },
});
