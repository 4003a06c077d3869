import type { JsonObject } from '../../../transport/jsonrpc.js';
import { defineCheck } from '../../check.js';
import { HarnessError } from '../../errors.js';
import { describeReply } from '../../kit/replies.js';
import { REQUESTED_TTL_MS } from '../../kit/tasks.js';
import { callTools, listTools } from '../../kit/tools.js';
import type { Reply } from '../../session.js';

const MAX_TRIED = 8;
const MAX_JUDGED = 3;

/**
 * On a target that does not declare tasks.requests.tools.call, a tools/call carrying
 * `params.task` is processed as a plain call (TASK-009): a CallToolResult, never a
 * CreateTaskResult, which would be task support the target did not declare (TASK-001). Only
 * tools that answered the same call without `task` with a result are judged, so a tool failing
 * for its own reasons is not blamed on the task metadata.
 */
export default defineCheck({
  id: 'tasks/undeclared-task-call',
  title: 'A task-augmented tools/call to a target without task support for tools/call is processed normally',
  requirements: ['TASK-001', 'TASK-009'],
  level: 'MUST',
  versions: ['2025-11-25'],
  transports: 'all',
  needs: ['tools'],
  timeoutFactor: 2,
  async run(ctx) {
    if (ctx.hasCapability('tasks.requests.tools.call')) ctx.skip('the target declares tasks.requests.tools.call, so task-augmented tools/call is its to accept');
    const session = await ctx.session();
    const perCall = Math.min(ctx.timeoutMs, 3000);
    const plain = await callTools(ctx, session, await listTools(ctx, session), { max: MAX_TRIED, perCallTimeoutMs: perCall });
    const answered = plain.filter((c) => 'reply' in c.outcome && c.outcome.reply.kind === 'result' && c.outcome.reply.result.isError !== true).slice(0, MAX_JUDGED);
    if (answered.length === 0) ctx.skip(`none of the first ${MAX_TRIED} listed tools answered a plain schema-made call with a successful result, so there is nothing to compare a task-augmented call with`);
    for (const call of answered) {
      const params: JsonObject = { name: call.name, arguments: call.args, task: { ttl: REQUESTED_TTL_MS } };
      const request = { jsonrpc: '2.0', method: 'tools/call', params };
      let reply: Reply;
      try {
        reply = await session.call('tools/call', params, { timeoutMs: perCall });
      } catch (err) {
        if (!(err instanceof HarnessError)) throw err;
        ctx.note(`tools/call ${call.name} with task metadata: ${err.message} (not judged: the plain call may have been quick by luck)`);
        continue;
      }
      const expected = 'a CallToolResult, as for the same call without params.task: the target did not declare tasks.requests.tools.call, so the task metadata is ignored';
      if (reply.kind !== 'result') {
        ctx.fail(`tools/call ${call.name} answered a result without params.task but ${describeReply(reply)} with it (TASK-009)`, { expected, observed: describeReply(reply), request });
        continue;
      }
      if ('task' in reply.result) {
        ctx.fail(`tools/call ${call.name} with params.task created a task, though the target does not declare tasks.requests.tools.call (TASK-001, TASK-009)`, { expected, observed: JSON.stringify(reply.result).slice(0, 500), request });
        continue;
      }
      ctx.note(`tools/call ${call.name} with params.task was answered as a plain call`);
    }
  },
});
