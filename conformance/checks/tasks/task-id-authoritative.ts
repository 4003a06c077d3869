import { isPlainObject } from '../../../transport/codec.js';
import { defineCheck } from '../../check.js';
import { NoResponseError } from '../../errors.js';
import { describeReply } from '../../kit/replies.js';
import { firstTaskOrSkip, RELATED_TASK_KEY, TERMINAL_STATUSES } from '../../kit/tasks.js';

/**
 * tasks/get and tasks/result name their task in `params.taskId`; a related-task `_meta` naming
 * another task (here one that does not exist) must be ignored.
 */
export default defineCheck({
  id: 'tasks/task-id-authoritative',
  title: 'tasks/get and tasks/result follow params.taskId, not a misleading related-task _meta',
  requirements: ['TASK-031'],
  level: 'MUST',
  versions: ['2025-11-25'],
  transports: 'all',
  needs: ['tasks.requests.tools.call'],
  timeoutFactor: 4,
  async run(ctx) {
    const session = await ctx.session();
    const first = await firstTaskOrSkip(ctx, session);
    const { taskId } = first;
    const decoy = `mcpcert-decoy-${Date.now()}`;
    const params = { taskId, _meta: { [RELATED_TASK_KEY]: { taskId: decoy } } };
    const getRequest = { jsonrpc: '2.0', method: 'tasks/get', params };
    const waitMs = Math.min(ctx.timeoutMs, 3000);
    let get;
    try {
      get = await session.call('tasks/get', params, { timeoutMs: waitMs });
    } catch (err) {
      if (!(err instanceof NoResponseError)) throw err;
      // A receiver that routes by the _meta may hold the answer for the decoy task, forever.
      return ctx.fail(`tasks/get {taskId: ${taskId}} with _meta naming ${decoy} got no answer within ${waitMs} ms (tasks/get answers at once)`, { expected: `the Task ${taskId}: params.taskId is authoritative`, observed: 'no answer', request: getRequest });
    }
    ctx.expect(get.kind === 'result' && get.result.taskId === taskId, `tasks/get {taskId: ${taskId}} with _meta naming ${decoy} was answered with ${get.kind === 'result' ? `the task ${JSON.stringify(get.result.taskId)}` : describeReply(get)}`, { expected: `the Task ${taskId}: params.taskId is authoritative`, observed: get.kind === 'result' ? JSON.stringify(get.result).slice(0, 500) : describeReply(get), request: getRequest });
    const resultRequest = { jsonrpc: '2.0', method: 'tasks/result', params };
    try {
      const outcome = await session.call('tasks/result', params, { timeoutMs: ctx.timeoutMs * 2 });
      const related = outcome.kind === 'result' && isPlainObject(outcome.result._meta) ? outcome.result._meta[RELATED_TASK_KEY] : undefined;
      const refused = outcome.kind === 'error' && outcome.error.code === -32602;
      ctx.expect(!refused && outcome.kind !== 'invalid', `tasks/result {taskId: ${taskId}} with _meta naming ${decoy} was answered with ${describeReply(outcome)}`, { expected: `the outcome of the task ${taskId}`, observed: describeReply(outcome), request: resultRequest });
      if (outcome.kind === 'result' && isPlainObject(related)) ctx.expect(related.taskId === taskId, `tasks/result {taskId: ${taskId}} with _meta naming ${decoy} answered for the task ${JSON.stringify(related.taskId)}`, { expected: `_meta["${RELATED_TASK_KEY}"].taskId = ${JSON.stringify(taskId)}`, observed: JSON.stringify(outcome.result._meta).slice(0, 500), request: resultRequest });
    } catch (err) {
      if (!(err instanceof NoResponseError)) throw err;
      const now = await session.call('tasks/get', { taskId });
      const status = now.kind === 'result' ? now.result.status : undefined;
      if (typeof status === 'string' && TERMINAL_STATUSES.includes(status)) ctx.fail(`tasks/result {taskId: ${taskId}} with _meta naming ${decoy} got no answer, though the task is ${status}`, { expected: `the outcome of the task ${taskId}`, observed: 'no answer', request: resultRequest });
      else ctx.note(`tasks/result of ${taskId} gave no answer in time (tasks/get-and-result judges that)`);
    }
  },
});
