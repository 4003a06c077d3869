/**
 * The tasks extension of 2026-07-28 (`io.modelcontextprotocol/tasks`, SEP-2663): the server
 * may answer a `tools/call` with a task handle (`resultType: "task"`) when the request declared
 * the extension; the client polls `tasks/get` (status, and the result, error or pending input
 * requests inlined), answers input with `tasks/update`, and asks to stop with `tasks/cancel`.
 * There is no tasks/list and no tasks/result. Task ids are unguessable and, when requests
 * carry an authenticated principal, bound to it.
 */
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import type { JsonObject, JsonValue } from '../../transport/jsonrpc.js';
import { isPlainObject } from '../../transport/codec.js';
import type { ContextInput, ManagedContext } from '../context.js';
import { clientCapabilityFor } from '../capabilities.js';
import { invalidParams, McpError } from '../errors.js';
import { ALLOWED, isTerminal, type TaskStatus } from '../tasks.js';

export const TASKS_EXTENSION = 'io.modelcontextprotocol/tasks';
export const DEFAULT_TASK_TTL_MS = 10 * 60_000;
export const POLL_INTERVAL_MS = 100;

/** Whether this request declared the extension in its own capabilities. */
export function declaresTasks(capabilities: JsonObject): boolean {
  const extensions = capabilities.extensions;
  return isPlainObject(extensions) && isPlainObject(extensions[TASKS_EXTENSION]);
}

export const TASKS_CAPABILITY: JsonObject = { extensions: { [TASKS_EXTENSION]: {} } };

interface PendingInput {
  method: string;
  params: JsonObject;
  resolve: (answer: JsonObject) => void;
}

export interface ModernTask {
  readonly id: string;
  /** The principal that created it, or '' when requests are not authenticated. */
  readonly owner: string;
  status: TaskStatus;
  statusMessage?: string;
  readonly createdAt: string;
  lastUpdatedAt: string;
  readonly ttlMs: number;
  result?: JsonObject;
  error?: { code: number; message: string; data?: JsonValue };
  /** Outstanding input requests by key; keys are never reused within a task. */
  readonly pending: Map<string, PendingInput>;
  nextKey: number;
  readonly abort: AbortController;
  expiry: NodeJS.Timeout;
}

export interface TaskStoreEvents {
  status: [task: ModernTask];
}

export class ModernTaskStore extends EventEmitter {
  readonly #tasks = new Map<string, ModernTask>();

  constructor() {
    super();
    this.setMaxListeners(0);
  }

  /** Starts `work` as a task; it asks the client through tasks/get + tasks/update. */
  start(owner: string, ctx: ManagedContext, work: (ctx: ManagedContext) => Promise<JsonObject> | JsonObject): ModernTask {
    const capabilities = ctx.clientCapabilities;
    const now = new Date().toISOString();
    const task: ModernTask = {
      id: randomUUID(),
      owner,
      status: 'working',
      createdAt: now,
      lastUpdatedAt: now,
      ttlMs: DEFAULT_TASK_TTL_MS,
      pending: new Map(),
      nextKey: 1,
      abort: new AbortController(),
      expiry: setTimeout(() => this.#drop(task), DEFAULT_TASK_TTL_MS),
    };
    task.expiry.unref();
    this.#tasks.set(task.id, task);
    const ask: ContextInput['askClient'] = (method, params) => {
      // Input requests only for what the creating request declared (as M-PAT-011 asks of MRTR).
      const gate = clientCapabilityFor(method, params, capabilities);
      if (gate !== undefined && !gate.declared) return Promise.reject(new McpError(-32021, `the client did not declare the "${gate.path}" capability needed for ${method}`));
      return new Promise<JsonObject>((resolve, reject) => {
        const key = `input-${task.nextKey++}`;
        task.pending.set(key, { method, params, resolve });
        this.#move(task, 'input_required');
        task.abort.signal.addEventListener('abort', () => reject(new McpError(-32603, 'task cancelled')), { once: true });
      });
    };
    const taskCtx = ctx.forTask(task.id, task.abort.signal, ask);
    void (async () => {
      try {
        const result = await work(taskCtx);
        if (!isTerminal(task.status)) task.result = { ...result, resultType: 'complete' };
        this.#move(task, 'completed');
      } catch (err) {
        const error = err instanceof McpError ? { code: err.code, message: err.message, ...(err.data === undefined ? {} : { data: err.data }) } : { code: -32603, message: `Internal error: ${err instanceof Error ? err.message : String(err)}` };
        if (!isTerminal(task.status)) task.error = error;
        this.#move(task, 'failed', error.message);
      } finally {
        taskCtx.finish();
      }
    })();
    return task;
  }

  /** -32602 for an unknown id, or one owned by another principal (never revealing which). */
  get(owner: string, taskId: unknown): ModernTask {
    const task = typeof taskId === 'string' ? this.#tasks.get(taskId) : undefined;
    if (!task || task.owner !== owner) throw invalidParams(`Failed to retrieve task: task ${String(taskId)} not found`);
    return task;
  }

  /** Answers outstanding input requests; unknown or already answered keys are ignored. */
  update(owner: string, taskId: unknown, inputResponses: unknown): void {
    const task = this.get(owner, taskId);
    if (!isPlainObject(inputResponses)) throw invalidParams('inputResponses must be an object');
    for (const [key, answer] of Object.entries(inputResponses)) {
      const pending = task.pending.get(key);
      if (!pending || !isPlainObject(answer)) continue;
      task.pending.delete(key);
      pending.resolve(answer);
    }
    if (task.pending.size === 0) this.#move(task, 'working');
  }

  /** Cooperative: the work is told to stop, and the task ends cancelled unless it already ended. */
  cancel(owner: string, taskId: unknown): void {
    const task = this.get(owner, taskId);
    if (isTerminal(task.status)) return;
    this.#move(task, 'cancelled', 'Cancelled by the client');
    task.abort.abort(new McpError(-32603, 'task cancelled'));
  }

  close(): void {
    for (const task of this.#tasks.values()) this.#drop(task);
  }

  #move(task: ModernTask, to: TaskStatus, message?: string): void {
    if (task.status === to || !ALLOWED[task.status].includes(to)) return;
    task.status = to;
    if (message === undefined) delete task.statusMessage;
    else task.statusMessage = message;
    task.lastUpdatedAt = new Date().toISOString();
    this.emit('status', task);
  }

  #drop(task: ModernTask): void {
    clearTimeout(task.expiry);
    task.abort.abort(new McpError(-32603, 'task expired'));
    this.#tasks.delete(task.id);
  }

  override on<E extends keyof TaskStoreEvents>(event: E, listener: (...args: TaskStoreEvents[E]) => void): this {
    return super.on(event, listener as (...args: unknown[]) => void);
  }
  override off<E extends keyof TaskStoreEvents>(event: E, listener: (...args: TaskStoreEvents[E]) => void): this {
    return super.off(event, listener as (...args: unknown[]) => void);
  }
}

/** The extension's DetailedTask: the task with its result, error or pending input inlined. */
export function detailedTask(task: ModernTask): JsonObject {
  const out: JsonObject = { taskId: task.id, status: task.status, createdAt: task.createdAt, lastUpdatedAt: task.lastUpdatedAt, ttlMs: task.ttlMs, pollIntervalMs: POLL_INTERVAL_MS };
  if (task.statusMessage !== undefined) out.statusMessage = task.statusMessage;
  if (task.status === 'completed' && task.result) out.result = task.result;
  if (task.status === 'failed' && task.error) out.error = task.error as JsonObject;
  if (task.status === 'input_required') {
    const requests: JsonObject = {};
    for (const [key, p] of task.pending) requests[key] = { method: p.method, params: p.params };
    out.inputRequests = requests;
  }
  return out;
}
