/** tasks/get, tasks/result, tasks/list, tasks/cancel (2025-11-25), and the status notifications. */
import type { JsonObject } from '../../transport/jsonrpc.js';
import { RELATED_TASK, type ManagedContext } from '../context.js';
import { McpError } from '../errors.js';
import { paginate } from '../pagination.js';
import type { Handler, ServerCore } from '../server-core.js';
import { taskJson, type TaskListener, type TaskRecord } from '../tasks.js';

/** Status notifications carry the Task itself and, per TASK-037, no related-task `_meta`. */
export function statusNotifier(ctx: ManagedContext): TaskListener {
  return (task) => void ctx.session.notify('notifications/tasks/status', taskJson(task));
}

export function tasksGet(core: ServerCore): Handler {
  return (params, ctx) => taskJson(core.tasks.get(ctx.session.id, params.taskId));
}

export function tasksList(core: ServerCore): Handler {
  return (params, ctx) => {
    const page = paginate('tasks', core.tasks.ownedBy(ctx.session.id), params.cursor, core.limits.pageSize);
    const res: JsonObject = { tasks: page.items.map(taskJson) };
    if (page.nextCursor) res.nextCursor = page.nextCursor;
    return res;
  };
}

export function tasksCancel(core: ServerCore): Handler {
  return (params, ctx) => taskJson(core.tasks.cancel(ctx.session.id, params.taskId, statusNotifier(ctx)));
}

/** Blocks until the task is terminal, then answers exactly what the underlying request would have. */
export function tasksResult(core: ServerCore): Handler {
  return async (params, ctx) => {
    const task = core.tasks.get(ctx.session.id, params.taskId);
    await Promise.race([task.settled, aborted(ctx.signal)]);
    return outcomeOf(task);
  };
}

function outcomeOf(task: TaskRecord): JsonObject {
  const related = { [RELATED_TASK]: { taskId: task.id } };
  const outcome = task.outcome;
  if (outcome && 'result' in outcome) {
    const meta = (outcome.result._meta as JsonObject | undefined) ?? {};
    return { ...outcome.result, _meta: { ...meta, ...related } };
  }
  // The very error the request would have got (TASK-028); error responses have no `_meta`.
  if (outcome) throw new McpError(outcome.error.code, outcome.error.message, outcome.error.data);
  throw new McpError(-32603, task.status === 'cancelled' ? `Task ${task.id} was cancelled and has no result` : `Task ${task.id} expired before it finished`);
}

function aborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}
