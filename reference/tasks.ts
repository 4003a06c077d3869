/**
 * 2025-11-25 tasks on the receiver side: a task runs a tools/call in the background, owned
 * by the session that created it (the binding TASK-052/056 ask for: other sessions see
 * "not found"), with high-entropy ids, strict status transitions and a bounded lifetime.
 */
import { randomUUID } from 'node:crypto';
import type { JsonObject, JsonValue } from '../transport/jsonrpc.js';
import type { ManagedContext } from './context.js';
import { invalidParams, McpError } from './errors.js';

export type TaskStatus = 'working' | 'input_required' | 'completed' | 'failed' | 'cancelled';
const TERMINAL: ReadonlySet<TaskStatus> = new Set(['completed', 'failed', 'cancelled']);
/** The transitions the spec allows (TASK-014/015); the same in the 2026-07-28 tasks extension. */
export const ALLOWED: Record<TaskStatus, readonly TaskStatus[]> = {
  working: ['input_required', 'completed', 'failed', 'cancelled'],
  input_required: ['working', 'completed', 'failed', 'cancelled'],
  completed: [],
  failed: [],
  cancelled: [],
};

export const DEFAULT_TTL_MS = 5 * 60_000;
export const MAX_TTL_MS = 60 * 60_000;
export const POLL_INTERVAL_MS = 100;

type Outcome = { result: JsonObject } | { error: { code: number; message: string; data?: JsonValue } };

export interface TaskRecord {
  readonly id: string;
  readonly owner: string;
  status: TaskStatus;
  statusMessage?: string;
  readonly createdAt: string;
  lastUpdatedAt: string;
  readonly ttl: number;
  outcome?: Outcome;
  readonly abort: AbortController;
  readonly settled: Promise<void>;
  settle: () => void;
  expiry: NodeJS.Timeout;
}

export type TaskListener = (task: TaskRecord) => void;

export class TaskStore {
  readonly #tasks = new Map<string, TaskRecord>();
  readonly maxPerOwner: number;

  constructor(maxPerOwner = 100) {
    this.maxPerOwner = maxPerOwner;
  }

  /** Starts `work` as a task owned by `owner`; `onStatus` hears every transition. */
  start(owner: string, requestedTtl: unknown, ctx: ManagedContext, work: (ctx: ManagedContext) => Promise<JsonObject> | JsonObject, onStatus: TaskListener): TaskRecord {
    if (this.ownedBy(owner).length >= this.maxPerOwner) throw new McpError(-32603, `Too many tasks: at most ${this.maxPerOwner} per session`);
    const ttl = typeof requestedTtl === 'number' && requestedTtl > 0 ? Math.min(requestedTtl, MAX_TTL_MS) : DEFAULT_TTL_MS;
    const now = new Date().toISOString();
    let settle = () => {};
    const settled = new Promise<void>((r) => (settle = r));
    const id = randomUUID();
    const task: TaskRecord = {
      id,
      owner,
      status: 'working',
      createdAt: now,
      lastUpdatedAt: now,
      ttl,
      abort: new AbortController(),
      settled,
      settle,
      expiry: setTimeout(() => this.#expire(id), ttl),
    };
    task.expiry.unref();
    this.#tasks.set(id, task);
    const taskCtx = ctx.forTask(id, task.abort.signal);
    // A task waiting on the client (elicitation, sampling) is input_required meanwhile.
    const tracked: ManagedContext = {
      ...taskCtx,
      request: async (method, params, options) => {
        this.#move(task, 'input_required', onStatus);
        try {
          return await taskCtx.request(method, params, options);
        } finally {
          this.#move(task, 'working', onStatus);
        }
      },
    };
    void (async () => {
      try {
        const result = await work(tracked);
        this.#finish(task, 'completed', { result }, onStatus);
      } catch (err) {
        const error = err instanceof McpError ? { code: err.code, message: err.message, ...(err.data === undefined ? {} : { data: err.data }) } : { code: -32603, message: `Internal error: ${err instanceof Error ? err.message : String(err)}` };
        this.#finish(task, 'failed', { error }, onStatus, error.message);
      } finally {
        taskCtx.finish();
      }
    })();
    return task;
  }

  /** The task if it exists and belongs to `owner`; otherwise -32602 (TASK-047/056). */
  get(owner: string, taskId: unknown): TaskRecord {
    const task = typeof taskId === 'string' ? this.#tasks.get(taskId) : undefined;
    if (!task || task.owner !== owner) throw invalidParams(`Unknown task: ${String(taskId)}`, { taskId: String(taskId) });
    return task;
  }

  ownedBy(owner: string): TaskRecord[] {
    return [...this.#tasks.values()].filter((t) => t.owner === owner);
  }

  cancel(owner: string, taskId: unknown, onStatus: TaskListener): TaskRecord {
    const task = this.get(owner, taskId);
    if (TERMINAL.has(task.status)) throw invalidParams(`Task ${task.id} is already ${task.status} and cannot be cancelled`, { taskId: task.id, status: task.status });
    // Cancelled before the response goes out, and it stays cancelled whatever the work does next.
    this.#finish(task, 'cancelled', undefined, onStatus, 'Cancelled by the client');
    task.abort.abort(new McpError(-32603, 'task cancelled'));
    return task;
  }

  /** Drops every task of a session that went away. */
  dropOwner(owner: string): void {
    for (const task of this.ownedBy(owner)) this.#drop(task);
  }

  #finish(task: TaskRecord, status: TaskStatus, outcome: Outcome | undefined, onStatus: TaskListener, message?: string): void {
    if (!this.#move(task, status, onStatus, message)) return;
    if (outcome) task.outcome = outcome;
    task.settle();
  }

  #move(task: TaskRecord, to: TaskStatus, onStatus: TaskListener, message?: string): boolean {
    if (task.status === to || !ALLOWED[task.status].includes(to)) return false;
    task.status = to;
    if (message === undefined) delete task.statusMessage;
    else task.statusMessage = message;
    task.lastUpdatedAt = new Date().toISOString();
    onStatus(task);
    return true;
  }

  #expire(id: string): void {
    const task = this.#tasks.get(id);
    if (task) this.#drop(task);
  }

  #drop(task: TaskRecord): void {
    clearTimeout(task.expiry);
    task.abort.abort(new McpError(-32603, 'task expired'));
    this.#tasks.delete(task.id);
    task.settle();
  }
}

export function isTerminal(status: TaskStatus): boolean {
  return TERMINAL.has(status);
}

/** The wire shape of a task (the schema's `Task`). */
export function taskJson(task: TaskRecord): JsonObject {
  const out: JsonObject = {
    taskId: task.id,
    status: task.status,
    createdAt: task.createdAt,
    lastUpdatedAt: task.lastUpdatedAt,
    ttl: task.ttl,
    pollInterval: POLL_INTERVAL_MS,
  };
  if (task.statusMessage !== undefined) out.statusMessage = task.statusMessage;
  return out;
}
