import { defineCheck } from '../../check.js';
import { describeReply } from '../../kit/replies.js';
import { taskSupportOf } from '../../kit/tasks.js';
import { listTools, toolArguments } from '../../kit/tools.js';

export default defineCheck({
  id: 'tasks/required-without-task',
  title: 'A tool whose taskSupport is "required" refuses a plain tools/call with -32601',
  requirements: ['TASK-008'],
  level: 'MUST',
  versions: ['2025-11-25'],
  transports: 'all',
  needs: ['tasks.requests.tools.call'],
  timeoutFactor: 2,
  async run(ctx) {
    const session = await ctx.session();
    const tools = (await listTools(ctx, session)).filter((t) => typeof t.name === 'string' && taskSupportOf(t) === 'required');
    if (tools.length === 0) ctx.skip('the target lists no tool whose execution.taskSupport is "required"');
    let judged = 0;
    for (const tool of tools.slice(0, 4)) {
      const args = toolArguments(ctx, tool);
      if (args === undefined) continue;
      judged += 1;
      const params = { name: tool.name as string, arguments: args };
      const reply = await session.call('tools/call', params, { timeoutMs: Math.min(ctx.timeoutMs, 5000) });
      ctx.expect(reply.kind === 'error' && reply.error.code === -32601, `tool ${JSON.stringify(tool.name)} requires task augmentation, but a tools/call without params.task was answered with ${describeReply(reply)}`, { expected: 'error -32601', observed: reply.kind === 'result' ? JSON.stringify(reply.result).slice(0, 500) : describeReply(reply), request: { jsonrpc: '2.0', method: 'tools/call', params } });
    }
    if (judged === 0) ctx.skip('no tool with taskSupport "required" had arguments mcpcert could make from its inputSchema');
  },
});
