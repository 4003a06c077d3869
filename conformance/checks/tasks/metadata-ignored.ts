import type { JsonObject } from '../../../transport/jsonrpc.js';
import { defineCheck } from '../../check.js';
import { describeReply } from '../../kit/replies.js';
import { REQUESTED_TTL_MS } from '../../kit/tasks.js';

/** Request types that can never be declared for tasks, paired with the capability they need. */
const PLAIN: ReadonlyArray<{ method: string; needs: string | undefined; items: string | undefined }> = [
  { method: 'tools/list', needs: 'tools', items: 'tools' },
  { method: 'prompts/list', needs: 'prompts', items: 'prompts' },
  { method: 'resources/list', needs: 'resources', items: 'resources' },
  { method: 'ping', needs: undefined, items: undefined },
];

function names(result: JsonObject, field: string | undefined): string {
  const items = field === undefined ? undefined : result[field];
  return JSON.stringify(Array.isArray(items) ? items.map((i) => (typeof i === 'object' && i !== null && !Array.isArray(i) ? (i.name ?? i.uri ?? null) : null)) : null);
}

/**
 * Task metadata on a request whose type the target did not declare for tasks is ignored: the
 * request is processed as usual (same answer as without it, no CreateTaskResult, no error).
 */
export default defineCheck({
  id: 'tasks/metadata-ignored',
  title: 'Task metadata on a request type not declared for tasks is ignored',
  requirements: ['TASK-009'],
  level: 'MUST',
  versions: ['2025-11-25'],
  transports: 'all',
  async run(ctx) {
    const session = await ctx.session();
    const { method, items } = PLAIN.find((p) => p.needs === undefined || ctx.hasCapability(p.needs))!;
    const plain = await session.call(method, {});
    const params: JsonObject = { task: { ttl: REQUESTED_TTL_MS } };
    const request = { jsonrpc: '2.0', method, params };
    const augmented = await session.call(method, params);
    if (!ctx.expect(augmented.kind === 'result', `${method} with task metadata was answered with ${describeReply(augmented)}`, { expected: `the ${method} result: ${method} is not a task request type, so params.task is ignored`, observed: describeReply(augmented), request })) return;
    if (augmented.kind !== 'result') return;
    ctx.expect(!('task' in augmented.result), `${method} with task metadata was answered with a task`, { expected: `the plain ${method} result`, observed: JSON.stringify(augmented.result).slice(0, 500), request });
    if (plain.kind !== 'result' || items === undefined) return;
    // Lists may change under us (other clients toggling tools, list_changed): a difference
    // counts only when the plain lists right before and after agree with each other and the
    // augmented one differs from them, twice.
    let before = names(plain.result, items);
    let withTask = names(augmented.result, items);
    let confirmed = 0;
    for (let attempt = 0; attempt < 4 && before !== withTask; attempt++) {
      const after = await session.call(method, {});
      if (after.kind !== 'result') return;
      if (names(after.result, items) === withTask) return;
      if (names(after.result, items) === before && ++confirmed === 2) {
        ctx.fail(`${method} with task metadata listed other items than without it`, { expected: before.slice(0, 500), observed: withTask.slice(0, 500), request });
        return;
      }
      before = names(after.result, items);
      const again = await session.call(method, params);
      if (again.kind !== 'result') return;
      withTask = names(again.result, items);
    }
    if (before !== withTask) ctx.note(`the ${method} items kept changing between requests, so they were not compared`);
  },
});
