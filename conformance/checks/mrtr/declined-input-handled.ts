import type { JsonObject } from '../../../transport/jsonrpc.js';
import { MODERN_VERSIONS, defineCheck, type CheckContext } from '../../check.js';
import { HarnessError, NoResponseError, TargetClosedError } from '../../errors.js';
import { capabilitiesOf, declaration, plausibleAnswer } from '../../kit/client-requests.js';
import { exerciseTarget, type Exercise } from '../../kit/exercise-requests.js';
import { capabilityMeta, inputRequestsOf, inputRequiredOf, retry } from '../../kit/mrtr.js';
import { describeReply } from '../../kit/replies.js';
import type { Reply, Session } from '../../session.js';

const INTERNAL_ERROR = -32603;
const MAX_JUDGED = 5;
/** Rounds answered plainly while looking for the one that asks for elicitation. */
const ROUNDS = 3;

/** Where a request first asks for elicitation: what was answered before, and that round's result. */
interface Asking {
  exercise: Exercise;
  earlier: JsonObject;
  result: JsonObject;
}

function elicitationKeys(result: JsonObject): string[] {
  return inputRequestsOf(result)
    .filter(([, r]) => r.method === 'elicitation/create')
    .map(([key]) => key);
}

function stateOf(result: JsonObject): string | undefined {
  return typeof result.requestState === 'string' ? result.requestState : undefined;
}

/** Follows the exercise through plain answers until a round asks for elicitation; undefined if none does. */
async function findAsking(session: Session, exercise: Exercise, meta: JsonObject, timeoutMs: number): Promise<Asking | undefined> {
  let result = 'reply' in exercise.outcome ? inputRequiredOf(exercise.outcome.reply) : undefined;
  let earlier: JsonObject = {};
  for (let round = 0; result !== undefined; round++) {
    if (elicitationKeys(result).length > 0) return { exercise, earlier, result };
    if (round >= ROUNDS) return undefined;
    for (const [key, r] of inputRequestsOf(result)) {
      const answer = typeof r.method === 'string' ? plausibleAnswer(r.method) : undefined;
      if (answer !== undefined) earlier = { ...earlier, [key]: answer };
    }
    try {
      result = inputRequiredOf(await retry(session, exercise, meta, earlier, stateOf(result), timeoutMs));
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Retries with every elicitation of the asking round answered `action`; a failure unless the target copes. */
async function judge(ctx: CheckContext, session: Session, asking: Asking, action: 'decline' | 'cancel', meta: JsonObject, timeoutMs: number): Promise<void> {
  const responses: JsonObject = { ...asking.earlier };
  for (const [key, r] of inputRequestsOf(asking.result)) {
    const answer = r.method === 'elicitation/create' ? { action } : typeof r.method === 'string' ? plausibleAnswer(r.method) : undefined;
    if (answer !== undefined) responses[key] = answer;
  }
  const state = stateOf(asking.result);
  const params: JsonObject = { ...asking.exercise.params, inputResponses: responses, ...(state === undefined ? {} : { requestState: state }) };
  const request = { jsonrpc: '2.0', method: asking.exercise.method, params };
  const what = `${asking.exercise.label} retried with the elicitation answered {"action":"${action}"}`;
  const expected = `a result (the request's own result, possibly a tool error, or another InputRequiredResult) or a JSON-RPC error other than ${INTERNAL_ERROR}, within ${timeoutMs} ms (M-ELIC-018)`;
  let reply: Reply;
  try {
    reply = await retry(session, asking.exercise, meta, responses, state, timeoutMs);
  } catch (err) {
    if (err instanceof NoResponseError) return ctx.fail(`${what} got no answer within ${timeoutMs} ms (M-ELIC-018)`, { expected, observed: 'no response', request });
    if (err instanceof TargetClosedError) return ctx.fail(`${what} closed the connection (M-ELIC-018)`, { expected, observed: err.message, request });
    throw err;
  }
  if (reply.kind === 'result') return ctx.note(`${what}: ${inputRequiredOf(reply) === undefined ? 'a result' : 'another InputRequiredResult'}`);
  if (reply.kind === 'error' && reply.error.code !== INTERNAL_ERROR) return ctx.note(`${what}: ${describeReply(reply)}`);
  ctx.fail(`${what} was answered with ${describeReply(reply)} (M-ELIC-018)`, { expected, observed: reply.kind === 'error' ? JSON.stringify(reply.error).slice(0, 500) : describeReply(reply), request });
}

/**
 * Finds tools/call, prompts/get and resources/read requests that ask for elicitation through an
 * InputRequiredResult (from a client declaring every capability), then retries each twice: the
 * elicitation declined, and cancelled. A target handles both (M-ELIC-018): it answers with a
 * result or a deliberate error, not an internal error, a hang or a dropped connection.
 */
export default defineCheck({
  id: 'mrtr/declined-input-handled',
  title: 'A declined or cancelled elicitation is handled: a result or a deliberate error, never an internal error or silence',
  requirements: ['M-ELIC-018'],
  level: 'MUST',
  versions: MODERN_VERSIONS,
  transports: 'all',
  timeoutFactor: 4,
  async run(ctx) {
    const session = await ctx.session({ fresh: true });
    const perCall = Math.min(ctx.timeoutMs, 3000);
    const meta = capabilityMeta(capabilitiesOf(declaration(ctx.version, 'full'), ctx.version));
    const needy = (await exerciseTarget(ctx, session, { meta, perCallTimeoutMs: perCall })).filter((e) => 'reply' in e.outcome && inputRequiredOf(e.outcome.reply) !== undefined);
    const found = await Promise.all(needy.map((exercise) => findAsking(session, exercise, meta, perCall)));
    const asking = found.filter((a): a is Asking => a !== undefined).slice(0, MAX_JUDGED);
    if (asking.length === 0) ctx.skip('no tools/call, prompts/get or resources/read asked for elicitation/create through an InputRequiredResult, even from a client declaring every capability');
    // Side by side, so that a target which never answers costs one per-call timeout, not one per retry.
    const retries = asking.flatMap((a) => (['decline', 'cancel'] as const).map((action) => ({ a, action })));
    await Promise.all(
      retries.map(async ({ a, action }) => {
        try {
          await judge(ctx, session, a, action, meta, perCall);
        } catch (err) {
          if (!(err instanceof HarnessError)) throw err;
          ctx.note(`${a.exercise.label} with the elicitation answered ${action}: ${err.message} (not judged)`);
        }
      }),
    );
  },
});
