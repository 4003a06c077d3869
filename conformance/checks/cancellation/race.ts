import { isErrorResponse, isResult, type JsonObject, type RequestId } from '../../../transport/jsonrpc.js';
import { ALL_VERSIONS, defineCheck } from '../../check.js';
import { NoResponseError, TransportFailure } from '../../errors.js';
import { describeReply, fenceMethod, settle } from '../../kit/replies.js';
import type { Session } from '../../session.js';

/** Requests cancelled while the target is most likely answering them. */
const RACES = 5;

async function cancel(session: Session, id: RequestId, note: (text: string) => void): Promise<void> {
  try {
    await session.notify('notifications/cancelled', session.eraParams({ requestId: id, reason: 'mcpcert: cancellation race' }) ?? {});
  } catch (err) {
    // Streamable HTTP may refuse the notification with an HTTP status: no JSON-RPC answer, no fault here.
    if (!(err instanceof TransportFailure)) throw err;
    note(`notifications/cancelled for ${JSON.stringify(id)}: ${err.message}`);
  }
}

/**
 * Cancellations that race the response: a fast request cancelled right after it is sent, and
 * one cancelled after its response arrived. Either outcome of a race is allowed (answered, or
 * not); the target answers each request at most once, never answers the notification, and
 * goes on answering requests afterwards.
 */
export default defineCheck({
  id: 'cancellation/race',
  title: 'Cancelling a request as or after it completes leaves the target healthy and never yields two answers',
  requirements: ['CANCEL-009', 'M-CANCEL-013'],
  level: 'MUST',
  versions: ALL_VERSIONS,
  transports: 'all',
  timeoutFactor: 2,
  async run(ctx) {
    // The lane's session: everything judged here is tied to this check's own request ids and
    // progress tokens, and on stdio a fresh session would cost a server process.
    const session = await ctx.session();
    const method = ctx.hasCapability('tools') ? 'tools/list' : fenceMethod(ctx);
    const mark = session.received.mark();
    const note = (text: string): void => ctx.note(text);
    const waitMs = Math.min(1500, ctx.timeoutMs / 2);
    const racing = Array.from({ length: RACES }, async (_, index) => {
      const id = `mcpcert-race-${index + 1}`;
      const pending = session.call(method, {}, { id, timeoutMs: waitMs }).then(
        (reply) => describeReply(reply),
        (err: unknown) => {
          if (err instanceof NoResponseError) return 'no answer (the cancellation won)';
          throw err;
        },
      );
      await cancel(session, id, note);
      return { id, outcome: await pending };
    });
    const finished = `mcpcert-race-after`;
    const answered = await session.call(method, {}, { id: finished });
    await cancel(session, finished, note);
    for (const { id, outcome } of await Promise.all(racing)) ctx.note(`${method} ${id}, cancelled at once: ${outcome}`);
    ctx.note(`${method} ${finished}, cancelled after its ${describeReply(answered)}`);

    const sent: JsonObject = { jsonrpc: '2.0', method: 'notifications/cancelled', params: session.eraParams({ requestId: finished }) ?? {} };
    const alive = await session.call(fenceMethod(ctx), {});
    ctx.expect(alive.kind === 'result', `after cancellations that raced their responses, ${fenceMethod(ctx)} was answered with ${describeReply(alive)}`, { expected: `a ${fenceMethod(ctx)} result: the target handles the race and carries on`, observed: describeReply(alive), request: sent });
    await settle(150);

    const counts = new Map<string, number>();
    const stray: string[] = [];
    for (const message of session.received.since(mark)) {
      if (!isResult(message) && !isErrorResponse(message)) continue;
      if (message.id === null || message.id === undefined) {
        stray.push(JSON.stringify(message).slice(0, 300));
        continue;
      }
      counts.set(String(message.id), (counts.get(String(message.id)) ?? 0) + 1);
    }
    const twice = [...counts].filter(([, n]) => n > 1);
    ctx.expect(twice.length === 0, `the target answered ${twice.map(([id, n]) => `${id} ${n} times`).join(', ')} after cancellations that raced the answers`, { expected: 'each request answered at most once', observed: twice.map(([id, n]) => `${id}: ${n} responses`).join('; '), request: sent });
    ctx.expect(stray.length === 0, 'the target answered a cancellation notification with a JSON-RPC response', { expected: 'no answer to a notification', observed: stray.join('\n'), request: sent });
  },
});
