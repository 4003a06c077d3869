/**
 * Server→client requests made by tools (sampling, elicitation, roots), with the three ways
 * they end short of an answer — client error, timeout, cancellation of the tool call — turned
 * into data, and the client's answer checked against the official schema before use.
 */
import type { JsonObject } from '../../../transport/jsonrpc.js';
import { RpcError } from '../../../transport/rpc.js';
import { McpError } from '../../errors.js';
import { checkClientAnswer } from '../../client-answer.js';
import type { RequestContext } from '../../types.js';
import { ABORTED, unlessAborted } from './abortable.js';

export type ClientAnswer =
  | { readonly ok: true; readonly result: JsonObject }
  | { readonly ok: false; readonly cancelled: boolean; readonly reason: string };

/**
 * Sends `method` to the client and waits at most `timeoutMs` (and never past cancellation of
 * the tool call). `resultDefinition` names the schema type the answer must match
 * (`CreateMessageResult`, `ElicitResult`, `ListRootsResult`).
 * Callers check the client's capabilities first: this never decides whether to ask.
 */
export async function askClient(ctx: RequestContext, method: string, params: JsonObject, resultDefinition: string, timeoutMs: number): Promise<ClientAnswer> {
  let answer: JsonObject | typeof ABORTED;
  try {
    answer = await unlessAborted(ctx.request(method, params, { timeoutMs }), ctx.signal);
  } catch (err) {
    const detail = err instanceof McpError || err instanceof RpcError ? `error ${err.code}: ${err.message}` : err instanceof Error ? err.message : String(err);
    return { ok: false, cancelled: false, reason: `The client did not answer ${method}: ${detail}` };
  }
  if (answer === ABORTED) return { ok: false, cancelled: true, reason: `The tool call was cancelled while waiting for ${method}.` };
  const check = checkClientAnswer(ctx.version, resultDefinition, answer);
  if (!check.ok) return { ok: false, cancelled: false, reason: `The client's answer to ${method} is not a valid ${resultDefinition}: ${check.summary}` };
  return { ok: true, result: answer };
}
