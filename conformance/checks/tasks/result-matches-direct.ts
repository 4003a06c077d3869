import { isDeepStrictEqual } from 'node:util';
import { isPlainObject } from '../../../transport/codec.js';
import type { JsonObject, JsonValue } from '../../../transport/jsonrpc.js';
import { defineCheck } from '../../check.js';
import { NoResponseError } from '../../errors.js';
import type { Reply } from '../../session.js';
import { describeReply } from '../../kit/replies.js';
import { createdTask, REQUESTED_TTL_MS, taskSupportOf, taskTools } from '../../kit/tasks.js';
import { toolArguments } from '../../kit/tools.js';

/** A reply without the `_meta` that differs by design (related-task, tracing). */
function comparable(reply: Reply): JsonValue {
  if (reply.kind === 'error') return { error: reply.error.code };
  if (reply.kind === 'invalid') return { invalid: true };
  const { _meta: _ignored, ...rest } = reply.result;
  return rest;
}

/** What stays the same when the content varies (times, random values): the kinds of blocks, and error or not. */
function shape(reply: Reply): JsonValue {
  if (reply.kind !== 'result') return comparable(reply);
  const content = Array.isArray(reply.result.content) ? reply.result.content : [];
  return {
    isError: reply.result.isError === true,
    content: content.map((block) => (isPlainObject(block) ? (block.type ?? null) : null)),
    structured: isPlainObject(reply.result.structuredContent),
  };
}

/**
 * tasks/result gives what the plain call would have: a tool (taskSupport "optional") is called
 * directly twice and once as a task with the same arguments. When the two direct answers are
 * equal the task's must equal them too; when they vary, the task's must have their shape.
 */
export default defineCheck({
  id: 'tasks/result-matches-direct',
  title: 'tasks/result returns what the same tools/call would have returned without a task',
  requirements: ['TASK-028'],
  level: 'MUST',
  versions: ['2025-11-25'],
  transports: 'all',
  needs: ['tasks.requests.tools.call'],
  timeoutFactor: 5,
  async run(ctx) {
    const session = await ctx.session();
    const tools = (await taskTools(ctx, session)).filter((t) => taskSupportOf(t) === 'optional');
    let judged = 0;
    for (const tool of tools.slice(0, 2)) {
      const args = toolArguments(ctx, tool);
      if (args === undefined) continue;
      const name = tool.name as string;
      const plain: JsonObject = { name, arguments: args };
      const augmented: JsonObject = { ...plain, task: { ttl: REQUESTED_TTL_MS } };
      // The two direct calls and the task run side by side: the same work, started together.
      const [first, second, created] = await Promise.all([session.call('tools/call', plain), session.call('tools/call', plain), session.call('tools/call', augmented)]);
      const task = createdTask(created);
      if (task === undefined) {
        ctx.note(`tool ${name}: the task-augmented call gave no task (tasks/create-task-result judges that)`);
        continue;
      }
      const request = { jsonrpc: '2.0', method: 'tasks/result', params: { taskId: task.taskId } };
      let outcome: Reply;
      try {
        outcome = await session.call('tasks/result', { taskId: task.taskId }, { timeoutMs: ctx.timeoutMs * 2 });
      } catch (err) {
        if (!(err instanceof NoResponseError)) throw err;
        ctx.note(`tool ${name}: tasks/result of ${task.taskId} gave no answer in time (tasks/get-and-result judges that)`);
        continue;
      }
      judged += 1;
      const stable = isDeepStrictEqual(comparable(first), comparable(second));
      const [want, got] = stable ? [comparable(first), comparable(outcome)] : [shape(first), shape(outcome)];
      ctx.expect(isDeepStrictEqual(want, got), `tasks/result of the task running ${JSON.stringify(name)} differs from the direct call's ${describeReply(first)}${stable ? '' : ' (compared by shape: the direct answers vary)'}`, { expected: `what tools/call ${JSON.stringify(plain).slice(0, 200)} answers: ${JSON.stringify(want).slice(0, 400)}`, observed: JSON.stringify(got).slice(0, 500), request });
    }
    if (judged === 0) ctx.skip('no tool with taskSupport "optional" could be called both directly and as a task to compare the answers');
  },
});
