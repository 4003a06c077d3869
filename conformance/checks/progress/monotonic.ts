import { isNotification, isErrorResponse, isResult, type JsonObject, type JsonRpcMessage } from '../../../transport/jsonrpc.js';
import { isPlainObject } from '../../../transport/codec.js';
import { defineCheck, HANDSHAKE_VERSIONS } from '../../check.js';
import { NoResponseError } from '../../errors.js';
import { fence, settle } from '../../kit/replies.js';
import { listTools, toolArguments } from '../../kit/tools.js';

function isProgress(message: JsonRpcMessage): message is JsonRpcMessage & { params: JsonObject } {
  return isNotification(message) && message.method === 'notifications/progress' && isPlainObject(message.params);
}

/**
 * Each tool called with a progress token: every notifications/progress in that call's window
 * carries its token, the values strictly increase, and none follows the response.
 */
export default defineCheck({
  id: 'progress/monotonic',
  title: 'Progress notifications carry the request token, strictly increase, and stop at the response',
  requirements: ['PROG-003', 'PROG-005', 'PROG-010'],
  level: 'MUST',
  versions: HANDSHAKE_VERSIONS,
  transports: 'all',
  needs: ['tools'],
  timeoutFactor: 4,
  async run(ctx) {
    const session = await ctx.session({ fresh: true });
    const tools = (await listTools(ctx, session)).filter((t) => typeof t.name === 'string').slice(0, 8);
    if (tools.length === 0) ctx.skip('the target lists no tool');
    let reported = 0;
    for (const [index, tool] of tools.entries()) {
      const args = toolArguments(ctx, tool);
      if (args === undefined) continue;
      const token = `mcpcert-progress-${index + 1}`;
      const params: JsonObject = { name: tool.name as string, arguments: args, _meta: { progressToken: token } };
      const request = { jsonrpc: '2.0', method: 'tools/call', params };
      const mark = session.received.mark();
      let id;
      try {
        id = (await session.call('tools/call', params, { timeoutMs: Math.min(ctx.timeoutMs, 5000) })).id;
      } catch (err) {
        if (!(err instanceof NoResponseError)) throw err;
        ctx.note(`tool ${String(tool.name)}: no answer in time, not judged`);
        continue;
      }
      // Whatever the call caused has arrived once the fence is answered; a late one gets a moment more.
      await fence(ctx, session);
      await settle(100);
      const window = session.received.since(mark);
      const answeredAt = window.findIndex((m) => (isResult(m) || isErrorResponse(m)) && m.id === id);
      let last: number | undefined;
      for (const [position, message] of window.entries()) {
        if (!isProgress(message)) continue;
        const { progressToken, progress } = message.params;
        const shown = JSON.stringify(message).slice(0, 300);
        reported += 1;
        if (progressToken !== token) {
          ctx.fail(`while tool ${JSON.stringify(tool.name)} ran with progress token ${JSON.stringify(token)}, a progress notification named the token ${JSON.stringify(progressToken)}, which belongs to no active request`, { expected: `progressToken ${JSON.stringify(token)}`, observed: shown, request });
          continue;
        }
        if (answeredAt >= 0 && position > answeredAt) {
          ctx.fail(`tool ${JSON.stringify(tool.name)} sent a progress notification after its response`, { expected: 'no progress notification once the request was answered', observed: shown, request });
          continue;
        }
        if (!ctx.expect(typeof progress === 'number', `a progress notification of tool ${JSON.stringify(tool.name)} has a non-numeric progress`, { expected: 'a number', observed: shown, request })) continue;
        const value = progress as number;
        if (last !== undefined) ctx.expect(value > last, `the progress of tool ${JSON.stringify(tool.name)} went from ${last} to ${value}`, { expected: `progress greater than ${last}`, observed: shown, request });
        last = value;
      }
    }
    if (reported === 0) ctx.skip(`no tool called with a progress token (of ${tools.length} tried) sent a progress notification`);
  },
});
