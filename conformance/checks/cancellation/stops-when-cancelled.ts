import { HANDSHAKE_VERSIONS, defineCheck } from '../../check.js';
import { fenceMethod } from '../../kit/replies.js';
import { cancelAndWatch, findRunningCall } from '../../kit/running-call.js';

/**
 * A tool call that is reporting progress is cancelled: once the target has read the
 * cancellation it sends no response for the call and no more progress on its token. A message
 * already on its way when the cancellation arrived is allowed (the race the spec describes).
 */
export default defineCheck({
  id: 'cancellation/stops-when-cancelled',
  title: 'A cancelled call in progress gets no response and reports no more progress',
  requirements: ['CANCEL-005', 'CANCEL-007'],
  level: 'SHOULD',
  versions: HANDSHAKE_VERSIONS,
  transports: 'all',
  needs: ['tools'],
  timeoutFactor: 3,
  async run(ctx) {
    // The lane's session: everything judged here is tied to this check's own request ids and
    // progress tokens, and on stdio a fresh session would cost a server process.
    const session = await ctx.session();
    const call = await findRunningCall(ctx, session, { idPrefix: 'mcpcert-cancel' });
    if (call === undefined) return ctx.skip('no tool called with a progress token reported progress before its response, so no call could be cancelled mid-way');
    ctx.note(`cancelling tool ${call.name} (request ${JSON.stringify(call.id)}) after its first progress notification`);
    // Streamable HTTP carries the fence on another stream, so its answer orders nothing: allow more time.
    const graceMs = ctx.transport === 'http' || ctx.transport === 'sse' ? 300 : 50;
    const after = await cancelAndWatch(session, call, fenceMethod(ctx), { graceMs, watchMs: Math.min(1000, ctx.timeoutMs / 3) });
    const answers = after.late.filter((m) => !('method' in m));
    const progress = after.late.filter((m) => 'method' in m);
    ctx.expect(answers.length === 0, `tool ${JSON.stringify(call.name)} was answered after its cancellation had been read`, { expected: 'no response to a cancelled request', observed: JSON.stringify(answers[0] ?? null).slice(0, 500), request: after.sent });
    ctx.expect(progress.length === 0, `tool ${JSON.stringify(call.name)} sent ${progress.length} progress notification(s) after its cancellation had been read: it did not stop`, { expected: 'the cancelled request stops: no more progress on its token', observed: JSON.stringify(progress[0] ?? null).slice(0, 500), request: after.sent });
  },
});
