import { randomUUID } from 'node:crypto';
import { defineCheck } from '../../check.js';
import { describeReply } from '../../kit/replies.js';

export default defineCheck({
  id: 'tasks/unknown-task',
  title: 'tasks/get of a task id that does not exist is refused with -32602',
  requirements: ['TASK-047'],
  level: 'MUST',
  versions: ['2025-11-25'],
  transports: 'all',
  needs: ['tasks.requests.tools.call'],
  async run(ctx) {
    const session = await ctx.session();
    const params = { taskId: `mcpcert-unknown-${randomUUID()}` };
    const reply = await session.call('tasks/get', params);
    ctx.expect(reply.kind === 'error' && reply.error.code === -32602, `tasks/get of the never-created task ${params.taskId} was answered with ${describeReply(reply)}`, { expected: 'error -32602 (invalid params)', observed: reply.kind === 'result' ? JSON.stringify(reply.result).slice(0, 500) : describeReply(reply), request: { jsonrpc: '2.0', method: 'tasks/get', params } });
  },
});
