import { ALL_VERSIONS, defineCheck } from '../../check.js';
import { TransportFailure } from '../../errors.js';
import { describeReply, settle } from '../../kit/replies.js';

/**
 * A cancellation of a request that was never sent is ignored: no response of any kind, and the
 * target goes on answering (ping in the handshake era, tools/list or server/discover after).
 */
export default defineCheck({
  id: 'cancellation/unknown-request-ignored',
  title: 'notifications/cancelled for an unknown request id is ignored',
  requirements: ['CANCEL-012', 'M-CANCEL-016'],
  level: 'SHOULD',
  versions: ALL_VERSIONS,
  transports: 'all',
  async run(ctx) {
    const session = await ctx.session();
    const unmatched = session.unmatched.mark();
    const frames = session.frameErrors.mark();
    const notifications = session.notifications.mark();
    const params = session.eraParams({ requestId: `mcpcert-never-sent-${Date.now()}`, reason: 'mcpcert: cancelling a request that never existed' }) ?? {};
    const sent = { jsonrpc: '2.0', method: 'notifications/cancelled', params };
    try {
      await session.notify('notifications/cancelled', params);
    } catch (err) {
      // Streamable HTTP may refuse a notification with an HTTP error status: that is no JSON-RPC answer.
      if (!(err instanceof TransportFailure)) throw err;
      ctx.note(`notifications/cancelled: ${err.message}`);
    }
    const method = ctx.era === 'legacy' ? 'ping' : ctx.hasCapability('tools') ? 'tools/list' : 'server/discover';
    const alive = await session.call(method, {});
    ctx.expect(alive.kind === 'result', `after the cancellation of an unknown request, ${method} was answered with ${describeReply(alive)}`, { expected: `a ${method} result: the target carries on`, observed: describeReply(alive), request: sent });
    await settle(100);
    const answers = [
      ...session.unmatched.since(unmatched).map((a) => JSON.stringify(a)),
      ...session.frameErrors.since(frames).map((f) => f.raw ?? '').filter((raw) => /"(result|error)"\s*:/.test(raw)),
    ];
    ctx.expect(answers.length === 0, `the target answered the cancellation of an unknown request: ${(answers[0] ?? '').slice(0, 300)}`, { expected: 'nothing: an invalid cancellation is ignored', observed: answers.join('\n').slice(0, 1000), request: sent });
    const echoed = session.notifications.since(notifications).filter((n) => n.method === 'notifications/cancelled');
    ctx.expect(echoed.length === 0, 'the target sent notifications/cancelled in reply to the cancellation of an unknown request', { expected: 'nothing: an invalid cancellation is ignored', observed: JSON.stringify(echoed[0] ?? null).slice(0, 300), request: sent });
  },
});
