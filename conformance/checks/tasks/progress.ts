import { isPlainObject } from '../../../transport/codec.js';
import { isErrorResponse, isNotification, isResult, type JsonObject, type JsonRpcMessage, type RequestId } from '../../../transport/jsonrpc.js';
import { defineCheck } from '../../check.js';
import { NoResponseError } from '../../errors.js';
import { fence, settle } from '../../kit/replies.js';
import { createdTask, REQUESTED_TTL_MS, taskTools } from '../../kit/tasks.js';
import { toolArguments } from '../../kit/tools.js';

function progressOf(message: JsonRpcMessage): JsonObject | undefined {
  return isNotification(message) && message.method === 'notifications/progress' && isPlainObject(message.params) ? message.params : undefined;
}

/**
 * A task-augmented call with a progress token: progress sent while the task runs (after the
 * CreateTaskResult too) keeps that token, and none follows once the task is terminal.
 */
export default defineCheck({
  id: 'tasks/progress',
  title: 'Task progress keeps the original token and stops once the task is terminal',
  requirements: ['PROG-006', 'PROG-007'],
  level: 'MUST',
  versions: ['2025-11-25'],
  transports: 'all',
  needs: ['tasks.requests.tools.call'],
  timeoutFactor: 4,
  async run(ctx) {
    const session = await ctx.session({ fresh: true });
    const tools = await taskTools(ctx, session);
    let reported = 0;
    for (const [index, tool] of tools.slice(0, 3).entries()) {
      const args = toolArguments(ctx, tool);
      if (args === undefined) continue;
      const token = `mcpcert-task-progress-${index + 1}`;
      const params: JsonObject = { name: tool.name as string, arguments: args, task: { ttl: REQUESTED_TTL_MS }, _meta: { progressToken: token } };
      const request = { jsonrpc: '2.0', method: 'tools/call', params };
      const mark = session.received.mark();
      const task = createdTask(await session.call('tools/call', params));
      if (task === undefined) continue;
      let answered: RequestId | undefined;
      try {
        answered = (await session.call('tasks/result', { taskId: task.taskId }, { timeoutMs: ctx.timeoutMs * 2 })).id;
      } catch (err) {
        if (!(err instanceof NoResponseError)) throw err;
        ctx.note(`tool ${String(tool.name)}: the task ${task.taskId} did not finish in time; not judged`);
        continue;
      }
      // tasks/result answered: the task is terminal. On one ordered stream whatever follows that
      // answer came later; Streamable HTTP spreads messages over streams, so it gets a moment more.
      const ordered = ctx.transport !== 'http' && ctx.transport !== 'sse';
      await fence(ctx, session);
      if (!ordered) await settle(300);
      const terminalMark = session.received.mark();
      await settle(300);
      const window = session.received.since(mark);
      const answeredAt = window.findIndex((m) => (isResult(m) || isErrorResponse(m)) && m.id === answered);
      const cut = ordered && answeredAt >= 0 ? answeredAt + 1 : window.length - session.received.since(terminalMark).length;
      const running = window.slice(0, cut).map(progressOf).filter((p): p is JsonObject => p !== undefined);
      const late = window.slice(cut).map(progressOf).filter((p): p is JsonObject => p !== undefined && p.progressToken === token);
      const foreign = running.filter((p) => p.progressToken !== token);
      reported += running.length;
      ctx.expect(foreign.length === 0, `while the task ${task.taskId} ran, progress came with the token ${JSON.stringify(foreign[0]?.progressToken)} instead of ${JSON.stringify(token)}`, { expected: `the original progressToken ${JSON.stringify(token)} for the task's whole lifetime`, observed: JSON.stringify(foreign[0] ?? null).slice(0, 300), request });
      ctx.expect(late.length === 0, `the task ${task.taskId} sent ${late.length} progress notification(s) after it was terminal`, { expected: 'no task progress once the task is terminal', observed: JSON.stringify(late[0] ?? null).slice(0, 300), request });
      ctx.note(`tool ${String(tool.name)}: ${running.length} progress notification(s) while the task ran`);
    }
    if (reported === 0) ctx.skip('no task-augmented call with a progress token reported progress');
  },
});
