/**
 * Driving a target the way a client would (every declared list, a few tool calls, reads and
 * prompt gets, an unknown method and an unknown tool) so that checks judging *everything the
 * target sent* have results, notifications and errors to look at. Nothing here judges: replies
 * are left to the caller, harness failures are collected instead of thrown.
 */
import { isPlainObject } from '../../transport/codec.js';
import type { JsonObject } from '../../transport/jsonrpc.js';
import type { CheckContext } from '../check.js';
import { HarnessError } from '../errors.js';
import type { Reply, Session } from '../session.js';
import { declaredLists } from './lists.js';
import { fence, fenceMethod, settle } from './replies.js';
import { callTools } from './tools.js';

const MAX_PAGES = 5;
const MAX_EACH = 3;

export interface Drive {
  /** Items of each list walked, by method. */
  lists: Map<string, JsonObject[]>;
  /** Requests that got no usable answer (timeouts, transport failures), as the harness saw them. */
  failures: HarnessError[];
}

async function tryCall(session: Session, failures: HarnessError[], method: string, params: JsonObject, timeoutMs: number): Promise<Reply | undefined> {
  try {
    return await session.call(method, params, { timeoutMs });
  } catch (err) {
    if (!(err instanceof HarnessError)) throw err;
    failures.push(err);
    return undefined;
  }
}

/** Runs the exercise on `session`, then waits for the fence and a short settle. */
export async function driveSession(ctx: CheckContext, session: Session, options: { maxTools?: number } = {}): Promise<Drive> {
  const timeoutMs = Math.min(ctx.timeoutMs, 3000);
  const out: Drive = { lists: new Map(), failures: [] };
  // Under the default bound: a fresh stdio process of the 2026-07-28 era starts on its first request.
  const started = await tryCall(session, out.failures, fenceMethod(ctx), {}, ctx.timeoutMs);
  if (started === undefined) return out;
  for (const list of declaredLists(ctx)) {
    const items: JsonObject[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const reply = await tryCall(session, out.failures, list.method, cursor === undefined ? {} : { cursor }, timeoutMs);
      if (reply?.kind !== 'result') break;
      const found = reply.result[list.key];
      if (Array.isArray(found)) for (const item of found) if (isPlainObject(item)) items.push(item);
      if (typeof reply.result.nextCursor !== 'string') break;
      cursor = reply.result.nextCursor;
    }
    out.lists.set(list.method, items);
  }
  const tools = out.lists.get('tools/list') ?? [];
  if (tools.length > 0) {
    for (const call of await callTools(ctx, session, tools, { max: options.maxTools ?? 10, perCallTimeoutMs: timeoutMs })) {
      if ('error' in call.outcome && call.outcome.error instanceof HarnessError) out.failures.push(call.outcome.error);
    }
    await tryCall(session, out.failures, 'tools/call', { name: 'mcpcert-no-such-tool', arguments: {} }, timeoutMs);
  }
  for (const resource of (out.lists.get('resources/list') ?? []).slice(0, MAX_EACH)) {
    if (typeof resource.uri === 'string') await tryCall(session, out.failures, 'resources/read', { uri: resource.uri }, timeoutMs);
  }
  for (const prompt of (out.lists.get('prompts/list') ?? []).slice(0, MAX_EACH)) {
    if (typeof prompt.name !== 'string') continue;
    const args: JsonObject = {};
    if (Array.isArray(prompt.arguments)) for (const a of prompt.arguments) if (isPlainObject(a) && a.required === true && typeof a.name === 'string') args[a.name] = 'mcpcert';
    await tryCall(session, out.failures, 'prompts/get', { name: prompt.name, arguments: args }, timeoutMs);
  }
  await tryCall(session, out.failures, 'mcpcert/no-such-method', {}, timeoutMs);
  try {
    await fence(ctx, session);
  } catch (err) {
    if (!(err instanceof HarnessError)) throw err;
    out.failures.push(err);
  }
  await settle(100);
  return out;
}
