import type { JsonObject } from '../../../transport/jsonrpc.js';
import { defineCheck, type CheckContext } from '../../check.js';
import { describeReply, settle } from '../../kit/replies.js';
import { createdTask, createTask, firstTaskOrSkip, TERMINAL_STATUSES } from '../../kit/tasks.js';
import { pollDelay, traceTask } from '../../kit/task-poll.js';
import type { Session } from '../../session.js';

/** The transitions TASK-014 allows; a terminal status allows none (TASK-015). */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  working: ['input_required', 'completed', 'failed', 'cancelled'],
  input_required: ['working', 'completed', 'failed', 'cancelled'],
};

/** Polls after a terminal status, to see that it holds. */
const EXTRA_POLLS = 3;

/**
 * A task followed through tasks/get moves only along the allowed transitions and, once
 * terminal, keeps its status; a task cancelled while working still reads `cancelled` after the
 * time its work would have taken.
 */
/** A second task of the same tool, cancelled at once; undefined when that did not work out (tasks/cancel-terminal judges it). */
async function cancelledTwin(ctx: CheckContext, session: Session, tool: JsonObject): Promise<{ taskId: string; at: number } | undefined> {
  const at = Date.now();
  const created = await createTask(ctx, session, tool);
  const task = created === undefined ? undefined : createdTask(created.reply);
  if (task === undefined) return undefined;
  const cancelled = await session.call('tasks/cancel', { taskId: task.taskId });
  if (cancelled.kind !== 'result' || cancelled.result.status !== 'cancelled') {
    ctx.note(`tasks/cancel of ${task.taskId} answered with ${cancelled.kind === 'result' ? `status ${JSON.stringify(cancelled.result.status)}` : describeReply(cancelled)} (tasks/cancel-terminal judges that)`);
    return undefined;
  }
  return { taskId: task.taskId, at };
}

export default defineCheck({
  id: 'tasks/status-lifecycle',
  title: 'Task statuses change only along allowed transitions, and terminal statuses (cancelled too) never change',
  requirements: ['TASK-014', 'TASK-015', 'TASK-045'],
  level: 'MUST',
  versions: ['2025-11-25'],
  transports: 'all',
  needs: ['tasks.requests.tools.call'],
  timeoutFactor: 4,
  async run(ctx) {
    const session = await ctx.session();
    const first = await firstTaskOrSkip(ctx, session);
    const { taskId } = first;
    const getRequest = { jsonrpc: '2.0', method: 'tasks/get', params: { taskId } };
    const started = Date.now();
    // The task to cancel starts now, beside the first: its work, left alone, would take about as
    // long, so by the time the first has ended most of the wait below has passed already.
    const second = ctx.hasCapability('tasks.cancel') ? await cancelledTwin(ctx, session, first.created.tool) : undefined;
    const trace = await traceTask(ctx, session, taskId, ctx.timeoutMs * 1.5, first.task);
    if (trace.refused !== undefined) return ctx.fail(`tasks/get of the task ${taskId} was answered with ${trace.refused}`, { expected: 'the Task', observed: trace.refused, request: getRequest });
    const statuses = typeof first.task.status === 'string' ? [first.task.status, ...trace.statuses] : trace.statuses;
    for (let i = 1; i < statuses.length; i++) {
      const from = statuses[i - 1]!;
      const to = statuses[i]!;
      if (from === to) continue;
      const allowed = ALLOWED[from] ?? [];
      ctx.expect(allowed.includes(to), `the task ${taskId} went from ${JSON.stringify(from)} to ${JSON.stringify(to)}`, { expected: TERMINAL_STATUSES.includes(from) ? `a ${from} task keeps its status` : `from ${from}: ${allowed.join(', ')}`, observed: `statuses seen in order: ${statuses.join(' → ')}`, request: getRequest });
    }
    if (trace.terminalAt === undefined) return ctx.skip(`the task ${taskId} did not reach a terminal status within ${Math.round(ctx.timeoutMs * 1.5)} ms (statuses: ${statuses.join(' → ')})`);
    const terminal = statuses[statuses.length - 1]!;
    const ranMs = trace.terminalAt - started;
    for (let i = 0; i < EXTRA_POLLS; i++) {
      await settle(pollDelay(trace.last));
      const again = await session.call('tasks/get', { taskId });
      // A terminal task may expire and be forgotten (its ttl): only a different status is a fault.
      if (again.kind !== 'result') break;
      ctx.expect(again.result.status === terminal, `the task ${taskId} was ${terminal}, then tasks/get reported ${JSON.stringify(again.result.status)}`, { expected: `a ${terminal} task stays ${terminal}`, observed: JSON.stringify(again.result).slice(0, 500), request: getRequest });
    }

    if (second === undefined) return;
    // The work may not stop at once: wait past the time it took the first task to finish.
    await settle(Math.max(0, Math.min(second.at + ranMs * 1.5 + 200 - Date.now(), ctx.timeoutMs)));
    const ref = { taskId: second.taskId };
    const later = await session.call('tasks/get', ref);
    if (later.kind !== 'result') return;
    ctx.expect(later.result.status === 'cancelled', `the task ${second.taskId} was cancelled, then tasks/get reported ${JSON.stringify(later.result.status)} once its work would have ended`, { expected: 'a cancelled task stays cancelled, whatever its work does later', observed: JSON.stringify(later.result).slice(0, 500), request: { jsonrpc: '2.0', method: 'tasks/get', params: ref } });
  },
});
