import { defineCheck } from '../../check.js';
import { describeReply } from '../../kit/replies.js';
import { createdTask, createTask, TERMINAL_STATUSES, taskToolsOrSkip } from '../../kit/tasks.js';

/**
 * tasks/cancel of a working task answers with the task already `cancelled`; a second
 * tasks/cancel finds a terminal task and is refused with -32602.
 */
export default defineCheck({
  id: 'tasks/cancel-terminal',
  title: 'tasks/cancel moves a working task to cancelled, and refuses a terminal one with -32602',
  requirements: ['TASK-042', 'TASK-044'],
  level: 'MUST',
  versions: ['2025-11-25'],
  transports: 'all',
  needs: ['tasks.requests.tools.call', 'tasks.cancel'],
  timeoutFactor: 3,
  async run(ctx) {
    const session = await ctx.session();
    const tools = await taskToolsOrSkip(ctx, session);
    for (const tool of tools.slice(0, 4)) {
      const created = await createTask(ctx, session, tool);
      const task = created === undefined ? undefined : createdTask(created.reply);
      if (created === undefined || task === undefined) continue;
      const ref = { taskId: task.taskId };
      const request = { jsonrpc: '2.0', method: 'tasks/cancel', params: ref };
      const first = await session.call('tasks/cancel', ref);
      if (first.kind !== 'result') {
        // Refused: fine only if the task had already finished on its own (a race, not a fault).
        const now = await session.call('tasks/get', ref);
        const status = now.kind === 'result' ? now.result.status : undefined;
        if (typeof status === 'string' && TERMINAL_STATUSES.includes(status)) {
          ctx.note(`tool ${created.name}: its task was ${status} before it could be cancelled`);
          continue;
        }
        ctx.fail(`tasks/cancel of the ${JSON.stringify(status)} task ${task.taskId} was answered with ${describeReply(first)}`, { expected: 'the Task, with status "cancelled"', observed: describeReply(first), request });
        return;
      }
      ctx.validate('CancelTaskResult', first.result, 'the tasks/cancel result', { request });
      ctx.expect(first.result.status === 'cancelled', `tasks/cancel of the working task ${task.taskId} answered with status ${JSON.stringify(first.result.status)}`, { expected: 'status "cancelled" in the tasks/cancel result', observed: JSON.stringify(first.result).slice(0, 500), request });
      // Cancelled before the answer went out: tasks/get now says so too (the work may not undo it).
      const now = await session.call('tasks/get', ref);
      if (now.kind === 'result') ctx.expect(now.result.status === 'cancelled', `after tasks/cancel of ${task.taskId} was answered, tasks/get reports status ${JSON.stringify(now.result.status)}`, { expected: 'status "cancelled"', observed: JSON.stringify(now.result).slice(0, 500), request: { jsonrpc: '2.0', method: 'tasks/get', params: ref } });
      const again = await session.call('tasks/cancel', ref);
      ctx.expect(again.kind === 'error' && again.error.code === -32602, `a second tasks/cancel of the cancelled task ${task.taskId} was answered with ${describeReply(again)}`, { expected: 'error -32602: a terminal task cannot be cancelled', observed: again.kind === 'result' ? JSON.stringify(again.result).slice(0, 500) : describeReply(again), request });
      return;
    }
    ctx.skip('no task-supporting tool left a task working long enough to cancel it');
  },
});
