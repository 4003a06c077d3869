import { isPlainObject } from '../../../transport/codec.js';
import type { JsonObject } from '../../../transport/jsonrpc.js';
import { defineCheck } from '../../check.js';
import type { Reply } from '../../session.js';
import { NoResponseError } from '../../errors.js';
import { describeReply, expectResult } from '../../kit/replies.js';
import { firstTaskOrSkip, RELATED_TASK_KEY, TERMINAL_STATUSES } from '../../kit/tasks.js';

/**
 * A created task can be read back: tasks/get gives the Task with its ttl, tasks/result waits for
 * the outcome and ties it to the task through the related-task `_meta`, and (when declared)
 * tasks/list shows it.
 */
export default defineCheck({
  id: 'tasks/get-and-result',
  title: 'tasks/get, tasks/result and tasks/list report a created task',
  requirements: ['TASK-022', 'TASK-026', 'TASK-027', 'TASK-034', 'TASK-041'],
  level: 'MUST',
  versions: ['2025-11-25'],
  transports: 'all',
  needs: ['tasks.requests.tools.call'],
  timeoutFactor: 4,
  async run(ctx) {
    const session = await ctx.session();
    const first = await firstTaskOrSkip(ctx, session);
    const { taskId } = first;
    const ref = { taskId };
    const getRequest = { jsonrpc: '2.0', method: 'tasks/get', params: ref };

    const got = expectResult(ctx, await session.call('tasks/get', ref), `tasks/get of the task ${taskId} just created`, { request: getRequest });
    if (got !== undefined) {
      ctx.validate('GetTaskResult', got, 'the tasks/get result', { request: getRequest });
      ctx.expect(got.taskId === taskId, `tasks/get of ${taskId} answered with the task ${JSON.stringify(got.taskId)}`, { expected: `taskId ${JSON.stringify(taskId)}`, observed: JSON.stringify(got.taskId), request: getRequest });
      ctx.expect('ttl' in got && (got.ttl === null || typeof got.ttl === 'number'), `the tasks/get result has no ttl (a number, or null for unlimited): ${JSON.stringify(got.ttl)}`, { expected: 'ttl: number | null', observed: JSON.stringify(got).slice(0, 500), request: getRequest });
    }

    if (ctx.hasCapability('tasks.list')) {
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 20; page++) {
        const params: JsonObject = cursor === undefined ? {} : { cursor };
        const listed = expectResult(ctx, await session.call('tasks/list', params), 'tasks/list (declared by the target)', { request: { jsonrpc: '2.0', method: 'tasks/list', params } });
        if (listed === undefined) break;
        ctx.validate('ListTasksResult', listed, `the tasks/list result${page > 0 ? ` (page ${page + 1})` : ''}`);
        if (Array.isArray(listed.tasks)) for (const t of listed.tasks) if (isPlainObject(t) && typeof t.taskId === 'string') seen.push(t.taskId);
        if (seen.includes(taskId) || typeof listed.nextCursor !== 'string' || listed.nextCursor === cursor) break;
        cursor = listed.nextCursor;
      }
      ctx.expect(seen.includes(taskId), `tasks/get knows the task ${taskId}, but tasks/list does not list it`, { expected: `a task with taskId ${JSON.stringify(taskId)}`, observed: `listed ids: ${JSON.stringify(seen.slice(0, 20))}`, request: { jsonrpc: '2.0', method: 'tasks/list', params: {} } });
    }

    const resultRequest = { jsonrpc: '2.0', method: 'tasks/result', params: ref };
    let outcome: Reply;
    try {
      outcome = await session.call('tasks/result', ref, { timeoutMs: ctx.timeoutMs * 2 });
    } catch (err) {
      if (!(err instanceof NoResponseError)) throw err;
      const after = await session.call('tasks/get', ref);
      const status = after.kind === 'result' ? after.result.status : undefined;
      if (typeof status === 'string' && TERMINAL_STATUSES.includes(status)) {
        ctx.fail(`the task ${taskId} is ${status}, yet tasks/result gave no answer within ${ctx.timeoutMs * 2} ms`, { expected: 'the outcome of the underlying request', observed: 'no answer', request: resultRequest });
        return;
      }
      return ctx.skip(`the task ${taskId} did not finish within ${ctx.timeoutMs * 2} ms (status ${JSON.stringify(status)}), so tasks/result could not be judged`);
    }
    if (outcome.kind === 'invalid') {
      ctx.fail(`tasks/result of ${taskId} was answered with ${describeReply(outcome)}`, { expected: 'the outcome of the underlying request', observed: outcome.raw.slice(0, 500), request: resultRequest });
      return;
    }
    // tasks/result waits until the task is terminal: afterwards tasks/get must say so.
    const after = await session.call('tasks/get', ref);
    if (after.kind === 'result') {
      const status = after.result.status;
      ctx.expect(typeof status === 'string' && TERMINAL_STATUSES.includes(status), `tasks/result of ${taskId} answered while the task was still ${JSON.stringify(status)}`, { expected: `tasks/result blocks until the task is ${TERMINAL_STATUSES.join(', ')}`, observed: `status ${JSON.stringify(status)} after tasks/result`, request: resultRequest });
    }
    if (outcome.kind === 'error') {
      // The original request's JSON-RPC error; an error response carries no _meta to judge.
      ctx.note(`tasks/result of ${taskId}: ${describeReply(outcome)} (the underlying request's error)`);
      return;
    }
    const meta = outcome.result._meta;
    const related = isPlainObject(meta) ? meta[RELATED_TASK_KEY] : undefined;
    ctx.expect(isPlainObject(related) && related.taskId === taskId, `the tasks/result result of ${taskId} does not carry _meta["${RELATED_TASK_KEY}"].taskId = ${JSON.stringify(taskId)}`, { expected: `_meta: {"${RELATED_TASK_KEY}": {"taskId": ${JSON.stringify(taskId)}}}`, observed: JSON.stringify(meta ?? null).slice(0, 500), request: resultRequest });
  },
});
