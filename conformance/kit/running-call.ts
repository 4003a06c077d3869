/**
 * Finding, black-box, a request that is still running: a tool call that reports progress on
 * its token before it is answered. Cancellation checks cancel such a call; nothing else tells
 * a check that a tool takes long enough to be cancelled mid-way.
 */
import { isPlainObject } from '../../transport/codec.js';
import { isErrorResponse, isNotification, isResult, type JsonObject, type JsonRpcMessage, type RequestId } from '../../transport/jsonrpc.js';
import type { CheckContext } from '../check.js';
import type { Reply, Session } from '../session.js';
import { listTools, toolArguments } from './tools.js';
import { settle } from './replies.js';

export interface RunningCall {
  name: string;
  id: RequestId;
  token: string;
  /** The tools/call as sent (for failure evidence). */
  request: JsonObject;
  /** Settles with the reply, or with the harness error that stood in for one. */
  outcome: Promise<{ reply: Reply } | { error: Error }>;
}

const POLL_MS = 5;

/** Whether `message` is about the call `id`/`token`: its response, or progress on its token. */
export function concerns(message: JsonRpcMessage, id: RequestId, token: string): boolean {
  if (isResult(message) || isErrorResponse(message)) return message.id === id;
  return isNotification(message) && message.method === 'notifications/progress' && isPlainObject(message.params) && message.params.progressToken === token;
}

/**
 * Calls the listed tools one at a time, each with a progress token, and returns the first call
 * that reported progress while still unanswered (so it is in progress now). A call that is
 * neither answered nor progressing within `perCallMs` is cancelled and passed over.
 */
export async function findRunningCall(ctx: CheckContext, session: Session, options: { perCallMs?: number; idPrefix?: string; max?: number } = {}): Promise<RunningCall | undefined> {
  const perCallMs = options.perCallMs ?? Math.min(ctx.timeoutMs / 2, 3000);
  const tools = (await listTools(ctx, session)).filter((t) => typeof t.name === 'string').slice(0, options.max ?? 40);
  for (const [index, tool] of tools.entries()) {
    if (ctx.signal.aborted || session.closed) return undefined;
    const args = toolArguments(ctx, tool);
    if (args === undefined) continue;
    const name = tool.name as string;
    const id = `${options.idPrefix ?? 'mcpcert-running'}-${index + 1}`;
    const token = `${id}-progress`;
    const params: JsonObject = { name, arguments: args, _meta: { progressToken: token } };
    const mark = session.received.mark();
    let settled = false;
    const outcome = session
      .call('tools/call', params, { id, timeoutMs: ctx.timeoutMs * 2 })
      .then((reply) => ({ reply }), (err: unknown) => ({ error: err instanceof Error ? err : new Error(String(err)) }))
      .finally(() => {
        settled = true;
      });
    const started = Date.now();
    while (!settled && Date.now() - started < perCallMs) {
      const progressed = session.received.since(mark).some((m) => isNotification(m) && concerns(m, id, token));
      const answered = session.received.since(mark).some((m) => !isNotification(m) && concerns(m, id, token));
      if (progressed && !answered) return { name, id, token, request: { jsonrpc: '2.0', id, method: 'tools/call', params: session.eraParams(params) ?? params }, outcome };
      if (answered) break;
      await settle(POLL_MS);
    }
    if (!settled) {
      // Neither answered nor progressing: let it go (it is in progress, so this is a valid cancellation).
      ctx.note(`tool ${name}: no answer and no progress within ${perCallMs} ms; cancelled and passed over`);
      await session.notify('notifications/cancelled', session.eraParams({ requestId: id, reason: 'mcpcert: looking for a tool that reports progress' }) ?? {}).catch(() => undefined);
    }
  }
  return undefined;
}

export interface AfterCancel {
  /** Messages about the call that arrived once the cancellation had surely been read. */
  late: JsonRpcMessage[];
  /** notifications/cancelled the target sent about the call (2026-07-28 forbids them). */
  echoed: JsonRpcMessage[];
  /** The notification sent. */
  sent: JsonObject;
  /** How long the target was watched after the cancellation, in ms. */
  watchedMs: number;
}

/**
 * Cancels `call` with notifications/cancelled, then tells what the target sent about it after
 * the cancellation was surely read: the fence request sent right after it is answered (the
 * target read both), plus `graceMs` for a message already on its way (the spec allows a
 * response in flight when the cancellation arrives). Then watches for `watchMs`.
 */
export async function cancelAndWatch(session: Session, call: RunningCall, fenceMethod: string, options: { graceMs: number; watchMs: number }): Promise<AfterCancel> {
  const params = session.eraParams({ requestId: call.id, reason: 'mcpcert: cancelling a call in progress' }) ?? {};
  const sent: JsonObject = { jsonrpc: '2.0', method: 'notifications/cancelled', params };
  const echoMark = session.received.mark();
  await session.notify('notifications/cancelled', params);
  await session.call(fenceMethod, {});
  await settle(options.graceMs);
  const lateMark = session.received.mark();
  const started = Date.now();
  // Watch until the window ends; a call that kept going shows itself by more progress or an answer.
  await settle(options.watchMs);
  const late = session.received.since(lateMark).filter((m) => concerns(m, call.id, call.token));
  const echoed = session.received.since(echoMark).filter((m) => isNotification(m) && m.method === 'notifications/cancelled' && isPlainObject(m.params) && m.params.requestId === call.id);
  return { late, echoed, sent, watchedMs: Date.now() - started };
}
