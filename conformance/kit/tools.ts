/** Calling a target's tools with arguments made from their input schemas. */
import { isPlainObject } from '../../transport/codec.js';
import type { JsonObject } from '../../transport/jsonrpc.js';
import type { CheckContext } from '../check.js';
import { argumentsFor } from '../schema-args.js';
import type { Reply, Session } from '../session.js';
import { listAll, listOf } from './lists.js';

export interface ToolCall {
  tool: JsonObject;
  name: string;
  args: JsonObject;
  /** The reply, or the harness error that stood in for one (timeout, closed connection). */
  outcome: { reply: Reply } | { error: Error };
  /** Whether the tool reported progress on the call's token: slow but alive, if it timed out. */
  progressed: boolean;
}

/** The tools/list of the target, every page (bounded). */
export async function listTools(ctx: CheckContext, session: Session): Promise<JsonObject[]> {
  const listing = await listAll(ctx, session, listOf('tools/list'), { validate: false });
  return listing.items;
}

/** A tool's schema-valid arguments, or undefined (with a transcript note saying why). */
export function toolArguments(ctx: CheckContext, tool: JsonObject): JsonObject | undefined {
  const made = argumentsFor(tool.inputSchema, ctx.version);
  if (made.ok) return made.value;
  ctx.note(`not calling ${String(tool.name)}: ${made.reason}`);
  return undefined;
}

/**
 * Calls up to `max` tools one after another, each bounded by `perCallTimeoutMs`. Harness
 * errors are returned as outcomes, not thrown: the caller judges them. Stops after a closed
 * connection, since nothing more can be learnt on it.
 */
export async function callTools(ctx: CheckContext, session: Session, tools: readonly JsonObject[], options: { max?: number; perCallTimeoutMs?: number } = {}): Promise<ToolCall[]> {
  const calls: ToolCall[] = [];
  const perCall = options.perCallTimeoutMs ?? Math.min(ctx.timeoutMs, 5000);
  for (const tool of tools.slice(0, options.max ?? 40)) {
    if (typeof tool.name !== 'string') continue;
    const args = toolArguments(ctx, tool);
    if (args === undefined) continue;
    // A progress token lets a long-running tool show it is alive (and is harmless otherwise).
    const token = `mcpcert-${calls.length + 1}-${tool.name}`;
    const mark = session.notifications.mark();
    const params: JsonObject = session.era === 'legacy' ? { name: tool.name, arguments: args, _meta: { progressToken: token } } : { name: tool.name, arguments: args };
    const progressed = () => session.notifications.since(mark).some((n) => n.method === 'notifications/progress' && isPlainObject(n.params) && n.params.progressToken === token);
    try {
      const reply = await session.call('tools/call', params, { timeoutMs: perCall, meta: { progressToken: token } });
      calls.push({ tool, name: tool.name, args, outcome: { reply }, progressed: progressed() });
    } catch (err) {
      calls.push({ tool, name: tool.name, args, outcome: { error: err instanceof Error ? err : new Error(String(err)) }, progressed: progressed() });
      if (session.closed) break;
    }
  }
  return calls;
}

export function isErrorResult(result: JsonObject): boolean {
  return result.isError === true;
}

export function hasOutputSchema(tool: JsonObject): boolean {
  return isPlainObject(tool.outputSchema);
}
