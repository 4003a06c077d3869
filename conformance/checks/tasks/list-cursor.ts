import { isPlainObject } from '../../../transport/codec.js';
import type { JsonObject } from '../../../transport/jsonrpc.js';
import { defineCheck } from '../../check.js';
import { describeReply, expectResult } from '../../kit/replies.js';
import { createdTask, createTask, taskTools } from '../../kit/tasks.js';

const TASKS = 3;
const MAX_PAGES = 50;

/**
 * tasks/list walks to every task through nextCursor: a page that ends the walk (no nextCursor)
 * while created tasks were not listed yet hid that more tasks exist. A cursor the target never
 * gave is refused with -32602.
 */
export default defineCheck({
  id: 'tasks/list-cursor',
  title: 'tasks/list gives nextCursor while more tasks exist, and refuses an invalid cursor with -32602',
  requirements: ['TASK-039', 'TASK-048'],
  level: 'MUST',
  versions: ['2025-11-25'],
  transports: 'all',
  needs: ['tasks.requests.tools.call', 'tasks.list'],
  timeoutFactor: 3,
  async run(ctx) {
    const session = await ctx.session();
    const bogus = { cursor: `mcpcert-invalid-cursor-${Date.now()}` };
    const refused = await session.call('tasks/list', bogus);
    ctx.expect(refused.kind === 'error' && refused.error.code === -32602, `tasks/list with a cursor the target never gave was answered with ${describeReply(refused)}`, { expected: 'error -32602 (invalid cursor)', observed: refused.kind === 'result' ? JSON.stringify(refused.result).slice(0, 500) : describeReply(refused), request: { jsonrpc: '2.0', method: 'tasks/list', params: bogus } });

    const tools = await taskTools(ctx, session);
    const created: string[] = [];
    for (const tool of tools.slice(0, 4)) {
      while (created.length < TASKS) {
        const made = await createTask(ctx, session, tool);
        const task = made === undefined ? undefined : createdTask(made.reply);
        if (task === undefined) break;
        created.push(task.taskId);
      }
      if (created.length >= TASKS) break;
    }
    if (created.length === 0) return ctx.skip('no task-supporting tool created a task, so there was nothing to list (tasks/create-task-result judges that)');
    const seen = new Set<string>();
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const params: JsonObject = cursor === undefined ? {} : { cursor };
      const request = { jsonrpc: '2.0', method: 'tasks/list', params };
      const listed = expectResult(ctx, await session.call('tasks/list', params), `tasks/list${page > 0 ? ` (page ${page + 1})` : ''}`, { request });
      if (listed === undefined) return;
      if (Array.isArray(listed.tasks)) for (const t of listed.tasks) if (isPlainObject(t) && typeof t.taskId === 'string') seen.add(t.taskId);
      const missing = created.filter((id) => !seen.has(id));
      if (typeof listed.nextCursor !== 'string') {
        ctx.expect(missing.length === 0, `tasks/list page ${page + 1} has no nextCursor, yet ${missing.length} task(s) created by this session were on no page`, { expected: 'nextCursor on every page while more tasks exist', observed: `missing: ${JSON.stringify(missing)}; listed: ${seen.size} task(s)`, request });
        return;
      }
      if (listed.nextCursor === cursor) return ctx.fail(`tasks/list page ${page + 1} gave back the cursor it was asked for`, { expected: 'a cursor to the next page', observed: JSON.stringify(listed.nextCursor), request });
      cursor = listed.nextCursor;
    }
    ctx.note(`tasks/list still gave a nextCursor after ${MAX_PAGES} pages; stopped walking`);
  },
});
