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
  /**
   * Whether the tool showed it was working while the call ran (progress on the call's token, or
   * log messages): slow but alive, if it timed out.
   */
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

/** Calls in flight at once: a slow tool does not hold the others back, and no target is swamped. */
const CONCURRENCY = 8;

/**
 * Calls up to `max` tools, a few at a time, each bounded by `perCallTimeoutMs`; the outcomes come
 * back in the tools' order. Harness errors are returned as outcomes, not thrown: the caller
 * judges them. Stops starting calls after a closed connection, since nothing more can be learnt.
 */
export async function callTools(ctx: CheckContext, session: Session, tools: readonly JsonObject[], options: { max?: number; perCallTimeoutMs?: number; meta?: JsonObject } = {}): Promise<ToolCall[]> {
  const perCall = options.perCallTimeoutMs ?? Math.min(ctx.timeoutMs, 5000);
  const planned: { tool: JsonObject; name: string; args: JsonObject; token: string }[] = [];
  for (const tool of tools.slice(0, options.max ?? 40)) {
    if (typeof tool.name !== 'string') continue;
    const args = toolArguments(ctx, tool);
    if (args === undefined) continue;
    // A progress token lets a long-running tool show it is alive (and is harmless otherwise).
    planned.push({ tool, name: tool.name, args, token: `mcpcert-${planned.length + 1}-${tool.name}` });
  }
  const calls: (ToolCall | undefined)[] = new Array(planned.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < planned.length && !session.closed) {
      const index = next++;
      const { tool, name, args, token } = planned[index]!;
      const mark = session.notifications.mark();
      const params: JsonObject = session.era === 'legacy' ? { name, arguments: args, _meta: { progressToken: token } } : { name, arguments: args };
      const progressed = () => session.notifications.since(mark).some((n) => n.method === 'notifications/message' || (n.method === 'notifications/progress' && isPlainObject(n.params) && n.params.progressToken === token));
      try {
        // `meta` (2026-07-28 client capabilities, say) goes with every call; the token stays ours.
        const reply = await session.call('tools/call', params, { timeoutMs: perCall, meta: { ...options.meta, progressToken: token } });
        calls[index] = { tool, name, args, outcome: { reply }, progressed: progressed() };
      } catch (err) {
        calls[index] = { tool, name, args, outcome: { error: err instanceof Error ? err : new Error(String(err)) }, progressed: progressed() };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, planned.length) }, worker));
  return calls.filter((call): call is ToolCall => call !== undefined);
}

export function isErrorResult(result: JsonObject): boolean {
  return result.isError === true;
}

export function hasOutputSchema(tool: JsonObject): boolean {
  return isPlainObject(tool.outputSchema);
}
