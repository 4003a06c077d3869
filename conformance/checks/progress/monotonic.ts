import { isNotification, isErrorResponse, isResult, type JsonObject, type JsonRpcMessage, type RequestId } from '../../../transport/jsonrpc.js';
import { isPlainObject } from '../../../transport/codec.js';
import { ALL_VERSIONS, defineCheck } from '../../check.js';
import { NoResponseError } from '../../errors.js';
import { fence, settle } from '../../kit/replies.js';
import { listTools, toolArguments } from '../../kit/tools.js';

function isProgress(message: JsonRpcMessage): message is JsonRpcMessage & { params: JsonObject } {
  return isNotification(message) && message.method === 'notifications/progress' && isPlainObject(message.params);
}

interface ProgressCall {
  name: string;
  token: string;
  request: JsonObject;
  /** The id the call got, once it was answered; undefined if it ran out of time. */
  id?: RequestId;
}

/** Tools called at once: a long-running tool does not keep the others from being tried. */
const MAX_TOOLS = 40;

/**
 * Every tool called at once, each with its own progress token: every notifications/progress
 * names one of those tokens, the values for one token strictly increase, and none follows the
 * response of its call. A call still running when the budget ends is judged on what it sent.
 */
export default defineCheck({
  id: 'progress/monotonic',
  title: 'Progress notifications carry the request token, strictly increase, and stop at the response',
  requirements: ['PROG-003', 'PROG-005', 'PROG-010', 'M-PROG-003', 'M-PROG-005', 'M-PROG-008'],
  level: 'MUST',
  // 2026-07-28 keeps progress: the token rides in the request's _meta, as before.
  versions: ALL_VERSIONS,
  transports: 'all',
  needs: ['tools'],
  timeoutFactor: 2,
  async run(ctx) {
    const session = await ctx.session({ fresh: true });
    const tools = (await listTools(ctx, session)).filter((t) => typeof t.name === 'string').slice(0, MAX_TOOLS);
    if (tools.length === 0) ctx.skip('the target lists no tool');
    const calls: ProgressCall[] = [];
    for (const [index, tool] of tools.entries()) {
      const args = toolArguments(ctx, tool);
      if (args === undefined) continue;
      const token = `mcpcert-progress-${index + 1}`;
      const params: JsonObject = { name: tool.name as string, arguments: args, _meta: { progressToken: token } };
      calls.push({ name: tool.name as string, token, request: { jsonrpc: '2.0', method: 'tools/call', params } });
    }
    const mark = session.received.mark();
    const perCall = Math.min(ctx.timeoutMs, 5000);
    await Promise.all(
      calls.map(async (call) => {
        try {
          call.id = (await session.call('tools/call', call.request.params as JsonObject, { timeoutMs: perCall })).id;
        } catch (err) {
          if (!(err instanceof NoResponseError)) throw err;
          ctx.note(`tool ${call.name}: no answer in time; judging the progress it sent so far`);
        }
      }),
    );
    // Whatever the calls caused has arrived once the fence is answered; a late one gets a moment more.
    if (!session.closed) {
      await fence(ctx, session);
      await settle(100);
    }
    const window = session.received.since(mark);
    const byToken = new Map(calls.map((call) => [call.token, call]));
    const last = new Map<string, number>();
    let reported = 0;
    for (const [position, message] of window.entries()) {
      if (!isProgress(message)) continue;
      reported += 1;
      const { progressToken, progress } = message.params;
      const shown = JSON.stringify(message).slice(0, 300);
      const call = typeof progressToken === 'string' ? byToken.get(progressToken) : undefined;
      if (call === undefined) {
        ctx.fail(`a progress notification named the token ${JSON.stringify(progressToken)}, which belongs to no request this client made`, { expected: `one of the tokens sent (${[...byToken.keys()].slice(0, 3).join(', ')}…)`, observed: shown });
        continue;
      }
      const answeredAt = call.id === undefined ? -1 : window.findIndex((m) => (isResult(m) || isErrorResponse(m)) && m.id === call.id);
      if (answeredAt >= 0 && position > answeredAt) {
        ctx.fail(`tool ${JSON.stringify(call.name)} sent a progress notification after its response`, { expected: 'no progress notification once the request was answered', observed: shown, request: call.request });
        continue;
      }
      if (!ctx.expect(typeof progress === 'number', `a progress notification of tool ${JSON.stringify(call.name)} has a non-numeric progress`, { expected: 'a number', observed: shown, request: call.request })) continue;
      const value = progress as number;
      const previous = last.get(call.token);
      if (previous !== undefined) ctx.expect(value > previous, `the progress of tool ${JSON.stringify(call.name)} went from ${previous} to ${value}`, { expected: `progress greater than ${previous}`, observed: shown, request: call.request });
      last.set(call.token, value);
    }
    if (reported === 0) ctx.skip(`no tool called with a progress token (of ${calls.length} tried) sent a progress notification`);
  },
});
