import { isPlainObject } from '../../../transport/codec.js';
import { defineCheck } from '../../check.js';
import { describeReply } from '../../kit/replies.js';
import { createTask, isIsoDateTime, TASK_STATUSES, taskSupportOf, taskToolsOrSkip } from '../../kit/tasks.js';

/**
 * A task-augmented tools/call of a tool that declares task support is answered at once with a
 * CreateTaskResult: a Task with a string id, a new task's status, and ISO 8601 timestamps.
 */
export default defineCheck({
  id: 'tasks/create-task-result',
  title: 'A task-augmented tools/call returns a valid CreateTaskResult',
  requirements: ['TASK-024', 'TASK-010', 'TASK-013', 'TASK-020', 'TASK-021'],
  level: 'MUST',
  versions: ['2025-11-25'],
  transports: 'all',
  needs: ['tasks.requests.tools.call'],
  timeoutFactor: 3,
  async run(ctx) {
    const session = await ctx.session();
    const tools = await taskToolsOrSkip(ctx, session);
    let judged = 0;
    for (const tool of tools.slice(0, 4)) {
      const created = await createTask(ctx, session, tool);
      if (created === undefined) continue;
      judged += 1;
      const { name, reply, request } = created;
      const label = `the task-augmented tools/call of ${JSON.stringify(name)} (taskSupport "${taskSupportOf(tool)}")`;
      if (reply.kind !== 'result') {
        ctx.fail(`${label} was answered with ${describeReply(reply)}`, { expected: 'a CreateTaskResult', observed: describeReply(reply), request });
        continue;
      }
      const task = reply.result.task;
      if (!isPlainObject(task)) {
        ctx.fail(`${label} was answered without a task: the server ran it as a plain call`, { expected: 'a CreateTaskResult {task: Task}', observed: JSON.stringify(reply.result).slice(0, 500), request });
        continue;
      }
      ctx.validate('CreateTaskResult', reply.result, `the answer to ${label}`, { request });
      ctx.expect(typeof task.taskId === 'string' && task.taskId !== '', `the task id given by ${label} is not a non-empty string: ${JSON.stringify(task.taskId)}`, { expected: 'a string taskId', observed: JSON.stringify(task.taskId), request });
      ctx.expect(typeof task.status === 'string' && TASK_STATUSES.includes(task.status), `the new task of ${label} has status ${JSON.stringify(task.status)}`, { expected: `"working" (or a status a working task may move to: ${TASK_STATUSES.join(', ')})`, observed: JSON.stringify(task.status), request });
      for (const field of ['createdAt', 'lastUpdatedAt'] as const) {
        ctx.expect(isIsoDateTime(task[field]), `the ${field} of the task of ${label} is not an ISO 8601 date-time: ${JSON.stringify(task[field])}`, { expected: 'an ISO 8601 date-time such as 2025-11-25T00:00:00Z', observed: JSON.stringify(task[field]), request });
      }
    }
    if (judged === 0) ctx.skip('no task-supporting tool had arguments mcpcert could make from its inputSchema');
  },
});
