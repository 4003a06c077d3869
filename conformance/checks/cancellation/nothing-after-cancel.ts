import { MODERN_VERSIONS, defineCheck } from '../../check.js';
import { fenceMethod } from '../../kit/replies.js';
import { cancelAndWatch, findRunningCall } from '../../kit/running-call.js';

/**
 * 2026-07-28 on a stream transport: a tool call that is reporting progress is cancelled with
 * notifications/cancelled; once the target has read it, nothing more is sent for that request
 * (no response, no progress), and the target does not answer with a cancellation of its own.
 */
export default defineCheck({
  id: 'cancellation/nothing-after-cancel',
  title: 'Nothing further is sent for a cancelled request (2026-07-28)',
  requirements: ['M-STDIO-010', 'M-CANCEL-003'],
  level: 'MUST',
  versions: MODERN_VERSIONS,
  // On Streamable HTTP closing the response stream is the cancellation (nothing can follow on it).
  transports: ['stdio', 'tcp', 'ws'],
  needs: ['tools'],
  timeoutFactor: 3,
  async run(ctx) {
    // The lane's session: everything judged here is tied to this check's own request ids and
    // progress tokens, and on stdio a fresh session would cost a server process.
    const session = await ctx.session();
    const call = await findRunningCall(ctx, session, { idPrefix: 'mcpcert-cancel' });
    if (call === undefined) return ctx.skip('no tool called with a progress token reported progress before its response, so no call could be cancelled mid-way');
    ctx.note(`cancelling tool ${call.name} (request ${JSON.stringify(call.id)}) after its first progress notification`);
    const after = await cancelAndWatch(session, call, fenceMethod(ctx), { graceMs: 50, watchMs: Math.min(1000, ctx.timeoutMs / 3) });
    ctx.expect(after.late.length === 0, `tool ${JSON.stringify(call.name)} sent ${after.late.length} message(s) for its request after the cancellation had been read`, { expected: 'nothing further for a cancelled request: no response, no progress', observed: after.late.map((m) => JSON.stringify(m).slice(0, 300)).join('\n'), request: after.sent });
    ctx.expect(after.echoed.length === 0, 'the target sent notifications/cancelled for a tools/call (servers send it only to end a subscriptions/listen stream)', { expected: 'no notifications/cancelled from the target', observed: JSON.stringify(after.echoed[0] ?? null).slice(0, 500), request: after.sent });
  },
});
