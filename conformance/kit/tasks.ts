/** 2025-11-25 tasks as a requestor sees them: which tools take tasks, creating one, reading a Task. */
import { isPlainObject } from '../../transport/codec.js';
import type { JsonObject } from '../../transport/jsonrpc.js';
import type { CheckContext } from '../check.js';
import type { Reply, Session } from '../session.js';
import { listTools, toolArguments } from './tools.js';

export const RELATED_TASK_KEY = 'io.modelcontextprotocol/related-task';
export const TASK_STATUSES: readonly string[] = ['working', 'input_required', 'completed', 'failed', 'cancelled'];
export const TERMINAL_STATUSES: readonly string[] = ['completed', 'failed', 'cancelled'];
/** The ttl mcpcert asks for: long enough to outlive any check. */
export const REQUESTED_TTL_MS = 60_000;

/** A tool's `execution.taskSupport`, `forbidden` when absent. */
export function taskSupportOf(tool: JsonObject): string {
  const execution = tool.execution;
  return isPlainObject(execution) && typeof execution.taskSupport === 'string' ? execution.taskSupport : 'forbidden';
}

/** The listed tools that accept task augmentation ("optional" or "required"). */
export async function taskTools(ctx: CheckContext, session: Session): Promise<JsonObject[]> {
  const tools = await listTools(ctx, session);
  return tools.filter((t) => typeof t.name === 'string' && ['optional', 'required'].includes(taskSupportOf(t)));
}

/** An ISO 8601 date-time (the RFC 3339 profile a Task's timestamps use) that names a real instant. */
export function isIsoDateTime(value: unknown): boolean {
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(value) && !Number.isNaN(Date.parse(value));
}

export interface CreatedTask {
  tool: JsonObject;
  name: string;
  request: JsonObject;
  reply: Reply;
}

/** A task-augmented tools/call of `tool` with schema-made arguments, or undefined when none can be made. */
export async function createTask(ctx: CheckContext, session: Session, tool: JsonObject): Promise<CreatedTask | undefined> {
  const args = toolArguments(ctx, tool);
  if (args === undefined || typeof tool.name !== 'string') return undefined;
  const params: JsonObject = { name: tool.name, arguments: args, task: { ttl: REQUESTED_TTL_MS } };
  const reply = await session.call('tools/call', params);
  return { tool, name: tool.name, request: { jsonrpc: '2.0', method: 'tools/call', params }, reply };
}

/** The Task of a CreateTaskResult, if it has one with a string id. */
export function createdTask(reply: Reply): (JsonObject & { taskId: string }) | undefined {
  if (reply.kind !== 'result') return undefined;
  const task = reply.result.task;
  return isPlainObject(task) && typeof task.taskId === 'string' ? (task as JsonObject & { taskId: string }) : undefined;
}

/** The first task the listed task tools create, with the reply that created it (tools that refuse are noted). */
export async function firstTask(ctx: CheckContext, session: Session, tools: readonly JsonObject[], max = 4): Promise<{ created: CreatedTask; taskId: string; task: JsonObject } | undefined> {
  for (const tool of tools.slice(0, max)) {
    const created = await createTask(ctx, session, tool);
    if (created === undefined) continue;
    const task = createdTask(created.reply);
    if (task !== undefined) return { created, taskId: task.taskId, task };
    ctx.note(`tool ${created.name}: the task-augmented call gave no task (tasks/create-task-result judges that)`);
  }
  return undefined;
}

/** The task-supporting tools; the check ends as skipped when there are none. */
export async function taskToolsOrSkip(ctx: CheckContext, session: Session): Promise<JsonObject[]> {
  const tools = await taskTools(ctx, session);
  if (tools.length === 0) ctx.skip('the target lists no tool whose execution.taskSupport is "optional" or "required"');
  return tools;
}

/** A task made by the first task-supporting tool that makes one; the check ends as skipped when none does. */
export async function firstTaskOrSkip(ctx: CheckContext, session: Session): Promise<{ created: CreatedTask; taskId: string; task: JsonObject }> {
  const first = await firstTask(ctx, session, await taskToolsOrSkip(ctx, session));
  if (first === undefined) ctx.skip('no task-supporting tool created a task (tasks/create-task-result judges that)');
  return first;
}
