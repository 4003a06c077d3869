/** Following a 2025-11-25 task through tasks/get: the statuses it went through, bounded in time. */
import type { JsonObject } from '../../transport/jsonrpc.js';
import type { CheckContext } from '../check.js';
import type { Session } from '../session.js';
import { settle } from './replies.js';
import { TERMINAL_STATUSES } from './tasks.js';

export interface TaskTrace {
  /** Every status tasks/get reported, in order (repeats kept). */
  statuses: string[];
  /** The last Task tasks/get returned. */
  last: JsonObject | undefined;
  /** A tasks/get that was not answered with a Task, in words. */
  refused?: string;
  /** When the first terminal status was seen (ms since the epoch). */
  terminalAt?: number;
}

/** The delay between polls: the task's pollInterval, kept between 20 and 250 ms. */
export function pollDelay(task: JsonObject | undefined): number {
  const asked = typeof task?.pollInterval === 'number' ? task.pollInterval : 100;
  return Math.max(20, Math.min(250, asked));
}

/** Polls tasks/get until the task is terminal or `budgetMs` passes. */
export async function traceTask(ctx: CheckContext, session: Session, taskId: string, budgetMs: number, first?: JsonObject): Promise<TaskTrace> {
  const trace: TaskTrace = { statuses: [], last: first };
  const until = Date.now() + budgetMs;
  while (Date.now() < until && !ctx.signal.aborted) {
    const got = await session.call('tasks/get', { taskId });
    if (got.kind !== 'result') {
      trace.refused = got.kind === 'error' ? `error ${got.error.code} "${got.error.message}"` : got.reason;
      return trace;
    }
    trace.last = got.result;
    const status = got.result.status;
    if (typeof status === 'string') {
      trace.statuses.push(status);
      if (TERMINAL_STATUSES.includes(status)) {
        trace.terminalAt = Date.now();
        return trace;
      }
    }
    await settle(pollDelay(got.result));
  }
  return trace;
}
