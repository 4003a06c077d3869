/**
 * Driving a target the way a client would, so that it has every chance to ask the client for
 * something: every listed tool called with schema-made arguments, a sample of prompts got and
 * resources read. These are also the three requests that may answer InputRequiredResult.
 */
import { isPlainObject } from '../../transport/codec.js';
import type { JsonObject } from '../../transport/jsonrpc.js';
import type { CheckContext } from '../check.js';
import type { Reply, Session } from '../session.js';
import { describeReply } from './replies.js';
import { callTools } from './tools.js';

const BATCH = 4;

export interface Exercise {
  method: 'tools/call' | 'prompts/get' | 'resources/read';
  /** The params as sent, before the era's `_meta`. */
  params: JsonObject;
  /** `tools/call echo`, for messages. */
  label: string;
  outcome: { reply: Reply } | { error: Error };
}

export interface ExerciseOptions {
  /** 2026-07-28: `_meta` entries for every exercising request (the client capabilities, say). */
  meta?: JsonObject;
  maxTools?: number;
  /** Prompts and resources each. */
  maxOthers?: number;
  perCallTimeoutMs?: number;
}

/**
 * Items of a list, from at most `maxPages` pages. An error is only noted: other checks judge
 * lists; here they are only the way to find what to exercise.
 */
async function listItems(ctx: CheckContext, session: Session, method: string, key: string, maxPages = 3): Promise<JsonObject[]> {
  const items: JsonObject[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const reply = await session.call(method, cursor === undefined ? {} : { cursor });
    if (reply.kind !== 'result') {
      ctx.note(`${method}: ${describeReply(reply)}`);
      break;
    }
    const found = reply.result[key];
    if (Array.isArray(found)) items.push(...found.filter(isPlainObject));
    if (typeof reply.result.nextCursor !== 'string') break;
    cursor = reply.result.nextCursor;
  }
  return items;
}

/** Arguments from the prompt's own declaration: every required one, with a plain word. */
function promptArguments(prompt: JsonObject): JsonObject {
  const args: JsonObject = {};
  if (Array.isArray(prompt.arguments)) {
    for (const a of prompt.arguments) if (isPlainObject(a) && a.required === true && typeof a.name === 'string') args[a.name] = 'mcpcert';
  }
  return args;
}

async function send(session: Session, method: Exercise['method'], params: JsonObject, label: string, options: ExerciseOptions, timeoutMs: number): Promise<Exercise> {
  try {
    const reply = await session.call(method, params, { timeoutMs, ...(options.meta === undefined ? {} : { meta: options.meta }) });
    return { method, params, label, outcome: { reply } };
  } catch (err) {
    return { method, params, label, outcome: { error: err instanceof Error ? err : new Error(String(err)) } };
  }
}

/**
 * Calls every tool (up to `maxTools`), then gets prompts and reads resources (up to `maxOthers`
 * each), a few at a time, for the capabilities the target declares.
 * Harness errors come back as outcomes; each request is bounded by `perCallTimeoutMs`.
 */
export async function exerciseTarget(ctx: CheckContext, session: Session, options: ExerciseOptions = {}): Promise<Exercise[]> {
  const perCall = options.perCallTimeoutMs ?? Math.min(ctx.timeoutMs, 3000);
  const maxOthers = options.maxOthers ?? 10;
  const done: Exercise[] = [];
  if (ctx.hasCapability('tools')) {
    const tools = await listItems(ctx, session, 'tools/list', 'tools');
    const calls = await callTools(ctx, session, tools, { max: options.maxTools ?? 30, perCallTimeoutMs: perCall, ...(options.meta === undefined ? {} : { meta: options.meta }) });
    for (const c of calls) done.push({ method: 'tools/call', params: { name: c.name, arguments: c.args }, label: `tools/call ${c.name}`, outcome: c.outcome });
  }
  if (ctx.hasCapability('prompts') && !session.closed) {
    const prompts = (await listItems(ctx, session, 'prompts/list', 'prompts')).filter((p) => typeof p.name === 'string').slice(0, maxOthers);
    done.push(...(await inBatches(session, prompts, (p) => send(session, 'prompts/get', { name: p.name as string, arguments: promptArguments(p) }, `prompts/get ${String(p.name)}`, options, perCall))));
  }
  if (ctx.hasCapability('resources') && !session.closed) {
    const resources = (await listItems(ctx, session, 'resources/list', 'resources')).filter((r) => typeof r.uri === 'string').slice(0, maxOthers);
    done.push(...(await inBatches(session, resources, (r) => send(session, 'resources/read', { uri: r.uri as string }, `resources/read ${String(r.uri)}`, options, perCall))));
  }
  return done;
}

/** A few at a time, so that slow items cost one timeout per batch rather than one each. */
async function inBatches(session: Session, items: readonly JsonObject[], run: (item: JsonObject) => Promise<Exercise>): Promise<Exercise[]> {
  const out: Exercise[] = [];
  for (let i = 0; i < items.length && !session.closed; i += BATCH) out.push(...(await Promise.all(items.slice(i, i + BATCH).map(run))));
  return out;
}
