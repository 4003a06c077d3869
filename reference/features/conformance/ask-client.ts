/**
 * Server→client requests made by the fixtures (sampling, elicitation). Whatever the client
 * answers — an error, a malformed result, nothing before the timeout — becomes a plain outcome
 * the tool can report in its result; only cancellation of the tool call itself propagates.
 */
import type { JsonObject } from '../../../transport/jsonrpc.js';
import { checkClientAnswer } from '../../client-answer.js';
import type { RequestContext } from '../../types.js';
import { FixtureCancelledError, unlessCancelled } from './wait.js';

/** How long a fixture waits for the client's answer. */
export const CLIENT_ANSWER_TIMEOUT_MS = 30_000;

export type ClientAnswer = { ok: true; result: JsonObject } | { ok: false; reason: string };

/**
 * Sends `method` to the client and checks the answer against `resultDefinition` of the
 * negotiated version's schema (`CreateMessageResult`, `ElicitResult`).
 * @throws FixtureCancelledError if the tool call is cancelled while waiting.
 */
export async function askClient(ctx: RequestContext, method: string, params: JsonObject, resultDefinition: string): Promise<ClientAnswer> {
  let result: JsonObject;
  try {
    result = await unlessCancelled(ctx.request(method, params, { timeoutMs: CLIENT_ANSWER_TIMEOUT_MS }), ctx.signal, `waiting for the client's ${method} answer`);
  } catch (err) {
    if (err instanceof FixtureCancelledError) throw err;
    return { ok: false, reason: `the client's ${method} failed: ${describeError(err)}` };
  }
  const check = checkClientAnswer(ctx.version, resultDefinition, result);
  if (!check.ok) return { ok: false, reason: `the client's ${method} answer is not a valid ${resultDefinition}: ${check.summary}` };
  return { ok: true, result };
}

function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  return 'code' in err && typeof err.code === 'number' ? `${err.message} (code ${err.code})` : err.message;
}
