import { isPlainObject } from '../../../transport/codec.js';
import type { JsonObject, JsonRpcRequest } from '../../../transport/jsonrpc.js';
import { defineCheck, type CheckContext } from '../../check.js';
import { HarnessError } from '../../errors.js';
import { capabilitiesOf, plausibleAnswer, type ClientDeclaration } from '../../kit/client-requests.js';
import { settle } from '../../kit/replies.js';
import { pollDelay } from '../../kit/task-poll.js';
import { createdTask, RELATED_TASK_KEY, REQUESTED_TTL_MS, taskTools, TERMINAL_STATUSES } from '../../kit/tasks.js';
import { toolArguments } from '../../kit/tools.js';
import type { Session } from '../../session.js';

/** What a task-driven server may ask its requestor for; roots stays undeclared (no task needs it and some servers ask for it at start-up). */
const ASKING: ClientDeclaration = { sampling: true, samplingTools: false, elicitationForm: true, elicitationUrl: false, roots: false };
const ASKED_METHODS: readonly string[] = ['elicitation/create', 'sampling/createMessage'];
const MAX_TOOLS = 4;

/**
 * Schema-made arguments with every optional boolean switched on: tools commonly gate the
 * "ask the user" path behind a flag (an `ambiguous` or `confirm` switch) that defaults off.
 */
function askingArguments(ctx: CheckContext, tool: JsonObject): JsonObject | undefined {
  const args = toolArguments(ctx, tool);
  if (args === undefined) return undefined;
  const schema = tool.inputSchema;
  const properties = isPlainObject(schema) && isPlainObject(schema.properties) ? schema.properties : {};
  const out: JsonObject = { ...args };
  for (const [name, property] of Object.entries(properties)) if (out[name] === undefined && isPlainObject(property) && property.type === 'boolean') out[name] = true;
  return out;
}

function relatedTaskId(request: JsonRpcRequest): string | undefined | null {
  const meta = isPlainObject(request.params) ? request.params._meta : undefined;
  const related = isPlainObject(meta) ? meta[RELATED_TASK_KEY] : undefined;
  if (related === undefined) return undefined;
  return isPlainObject(related) && typeof related.taskId === 'string' ? related.taskId : null;
}

interface Outcome {
  /** Whether the task was seen needing input (input_required, or a request for input while it ran). */
  neededInput: boolean;
  judged: number;
}

/** Runs one task to its end, answering what it asks, and judges the requests it sent. */
async function followTask(ctx: CheckContext, session: Session, tool: JsonObject, args: JsonObject): Promise<Outcome> {
  const params: JsonObject = { name: tool.name as string, arguments: args, task: { ttl: REQUESTED_TTL_MS } };
  const request = { jsonrpc: '2.0', method: 'tools/call', params };
  const mark = session.serverRequests.mark();
  const task = createdTask(await session.call('tools/call', params));
  if (task === undefined) {
    ctx.note(`tool ${String(tool.name)}: the task-augmented call gave no task`);
    return { neededInput: false, judged: 0 };
  }
  const taskId = task.taskId;
  const asked = () => session.serverRequests.since(mark).filter((r) => ASKED_METHODS.includes(r.method));
  let sawInputRequired = false;
  let terminal = false;
  const until = Date.now() + ctx.timeoutMs;
  let last: JsonObject = task;
  while (Date.now() < until && !ctx.signal.aborted && !sawInputRequired && !terminal && asked().length === 0) {
    const got = await session.call('tasks/get', { taskId });
    if (got.kind !== 'result') break;
    last = got.result;
    sawInputRequired = got.result.status === 'input_required';
    terminal = TERMINAL_STATUSES.includes(String(got.result.status));
    if (!sawInputRequired && !terminal) await settle(pollDelay(got.result));
  }
  if (!terminal) {
    // The spec's input_required flow: requests waiting on the requestor may come only on the
    // tasks/result exchange, which also blocks until the task is terminal (answers are sent meanwhile).
    try {
      await session.call('tasks/result', { taskId }, { timeoutMs: ctx.timeoutMs * 2 });
    } catch (err) {
      if (!(err instanceof HarnessError)) throw err;
      ctx.note(`tool ${String(tool.name)}: tasks/result for ${taskId} gave no answer in time (${err.message}); judging the requests seen so far`);
      if (ctx.hasCapability('tasks.cancel')) await session.call('tasks/cancel', { taskId }).catch(() => undefined);
    }
  }
  const requests = asked();
  if (!sawInputRequired && requests.length === 0) {
    ctx.note(`tool ${String(tool.name)} (${JSON.stringify(args)}): the task ended ${String(last.status ?? '')} without asking for input`);
    return { neededInput: false, judged: 0 };
  }
  if (requests.length === 0) ctx.note(`tool ${String(tool.name)}: the task ${taskId} was input_required but sent no elicitation or sampling request`);
  for (const r of requests) {
    const related = relatedTaskId(r);
    const observed = JSON.stringify(r).slice(0, 500);
    if (related === taskId) continue;
    // On a fresh session running nothing else, a request for input between the task-augmented call and the task's end is the task's.
    const sent = sawInputRequired ? `sent for the input_required task ${taskId}` : `sent while the task ${taskId} ran (after its tools/call, before it ended)`;
    ctx.fail(
      related === undefined
        ? `the ${r.method} request ${sent} has no _meta["${RELATED_TASK_KEY}"] (${sawInputRequired ? 'TASK-017, ' : ''}TASK-029, TASK-030)`
        : `the ${r.method} request ${sent} names ${related === null ? 'no taskId string' : `the task ${JSON.stringify(related)}`} in _meta["${RELATED_TASK_KEY}"] (TASK-030)`,
      { expected: `_meta["${RELATED_TASK_KEY}"] = {"taskId": ${JSON.stringify(taskId)}} on every request the task sends`, observed, request },
    );
  }
  ctx.note(`tool ${String(tool.name)}: the task ${taskId} sent ${requests.length} request(s) for input`);
  return { neededInput: true, judged: requests.length };
}

/**
 * A client declaring elicitation and sampling runs each task tool (optional switches on) and
 * answers what the task asks (decline, a short sample). Every request a task sends while it
 * needs input — possibly delivered only through tasks/result — names that task in its
 * related-task `_meta` (TASK-017, TASK-029, TASK-030).
 */
export default defineCheck({
  id: 'tasks/input-required-related',
  title: 'Requests a task sends for input carry that task\'s related-task metadata',
  requirements: ['TASK-017', 'TASK-029', 'TASK-030'],
  level: 'MUST',
  versions: ['2025-11-25'],
  transports: 'all',
  needs: ['tasks.requests.tools.call'],
  timeoutFactor: 8,
  async run(ctx) {
    const session = await ctx.connect();
    session.answerServerRequest = (r) => (ASKED_METHODS.includes(r.method) ? plausibleAnswer(r.method) : undefined);
    const capabilities = capabilitiesOf(ASKING, ctx.version);
    const init = await session.initialize(ctx.version, { capabilities });
    if (init.kind !== 'result') throw new HarnessError('MCPCERT_ERR_TRANSPORT', `the target refused initialize from a client declaring ${JSON.stringify(capabilities)}`);
    const tools = await taskTools(ctx, session);
    if (tools.length === 0) ctx.skip('no listed tool accepts task augmentation (execution.taskSupport "optional" or "required")');
    let needed = 0;
    let judged = 0;
    for (const tool of tools.slice(0, MAX_TOOLS)) {
      const args = askingArguments(ctx, tool);
      if (args === undefined) continue;
      const outcome = await followTask(ctx, session, tool, args);
      if (outcome.neededInput) needed++;
      judged += outcome.judged;
    }
    if (needed === 0) ctx.skip(`no task reached input_required or asked for input (tried ${Math.min(tools.length, MAX_TOOLS)} task tool(s) with a client declaring ${JSON.stringify(capabilities)})`);
    if (judged === 0) ctx.skip('tasks reached input_required but sent no elicitation or sampling request to judge');
  },
});
