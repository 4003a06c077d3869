import type { JsonObject } from '../../../transport/jsonrpc.js';
import { MODERN_VERSIONS, defineCheck } from '../../check.js';
import { capabilitiesOf, declaration } from '../../kit/client-requests.js';
import { exerciseTarget, type Exercise } from '../../kit/exercise-requests.js';
import { askedOf, capabilityMeta, inputRequiredOf, inputResponsesFor, retry } from '../../kit/mrtr.js';
import { describeReply } from '../../kit/replies.js';
import type { Reply } from '../../session.js';

const CANDIDATES = 5;

type Verdict = 'accepted' | 'rejected' | 'unknown';

/** One character changed in the middle, where an integrity tag or the payload it covers sits. */
export function tamper(state: string): string {
  if (state.length === 0) return 'mcpcert-forged';
  const i = Math.floor(state.length / 2);
  return `${state.slice(0, i)}${state[i] === 'A' ? 'B' : 'A'}${state.slice(i + 1)}`;
}

/**
 * Whether the server went on with a retry: a result (not a tool error), or a new question.
 * Asking the same question again means it started over, which is also a way to reject.
 */
function verdictOf(outcome: Reply | Error, first: JsonObject): Verdict {
  if (outcome instanceof Error) return 'unknown';
  if (outcome.kind !== 'result' || outcome.result.isError === true) return 'rejected';
  const asked = inputRequiredOf(outcome);
  if (asked !== undefined) return askedOf(asked) === askedOf(first) ? 'rejected' : 'accepted';
  return 'accepted';
}

function describe(outcome: Reply | Error): string {
  if (outcome instanceof Error) return outcome.message;
  if (outcome.kind !== 'result') return describeReply(outcome);
  const asked = inputRequiredOf(outcome);
  if (asked !== undefined) return `InputRequiredResult asking ${askedOf(asked) || 'nothing'}`;
  return outcome.result.isError === true ? 'a tool error result' : 'a complete result';
}

/**
 * For requests that answered InputRequiredResult with a requestState, retries three ways with
 * the same answers: the state with one character changed, no state, and the state as given.
 * A server that needs its state (no state → rejected) must not go on with a forged one
 * (M-PAT-007). It passes when the forged state is rejected and the genuine one accepted; any
 * other mix says nothing (the answers may not satisfy the server, or the state may not matter).
 */
export default defineCheck({
  id: 'mrtr/tampered-state',
  title: 'A retry carrying an altered requestState is rejected',
  requirements: ['M-PAT-007'],
  level: 'MUST',
  versions: MODERN_VERSIONS,
  transports: 'all',
  timeoutFactor: 4,
  async run(ctx) {
    const meta = capabilityMeta(capabilitiesOf(declaration(ctx.version, 'full'), ctx.version));
    const session = await ctx.session({ fresh: true });
    const perCall = Math.min(ctx.timeoutMs, 3000);
    const exercised = await exerciseTarget(ctx, session, { meta, perCallTimeoutMs: perCall });
    const candidates: Array<{ exercise: Exercise; first: JsonObject; state: string }> = [];
    for (const exercise of exercised) {
      const first = 'reply' in exercise.outcome ? inputRequiredOf(exercise.outcome.reply) : undefined;
      if (first !== undefined && typeof first.requestState === 'string') candidates.push({ exercise, first, state: first.requestState });
    }
    if (candidates.length === 0) ctx.skip('the target never answered InputRequiredResult with a requestState (a client declaring sampling, elicitation and roots exercised its tools, prompts and resources)');
    let conclusive = 0;
    for (const { exercise, first, state } of candidates.slice(0, CANDIDATES)) {
      const answers = inputResponsesFor(first);
      const attempt = (requestState: string | undefined): Promise<Reply | Error> => retry(session, exercise, meta, answers, requestState, perCall).catch((err: unknown) => (err instanceof Error ? err : new Error(String(err))));
      // Forged first: a server enforcing single use must not have consumed the genuine state yet.
      const forged = tamper(state);
      const withForged = await attempt(forged);
      const without = await attempt(undefined);
      const genuine = await attempt(state);
      const [f, n, g] = [verdictOf(withForged, first), verdictOf(without, first), verdictOf(genuine, first)];
      ctx.note(`${exercise.label}: forged state → ${describe(withForged)}; no state → ${describe(without)}; genuine state → ${describe(genuine)}`);
      if (f === 'accepted' && n === 'rejected') {
        conclusive++;
        ctx.fail(`${exercise.label}: the retry with an altered requestState was accepted (${describe(withForged)}), though without a requestState it was rejected (M-PAT-007)`, {
          expected: 'an error (or the same input requests again) for a requestState that fails verification',
          observed: `requestState ${JSON.stringify(forged).slice(0, 200)} (given ${JSON.stringify(state).slice(0, 200)}) → ${describe(withForged)}`,
          request: { jsonrpc: '2.0', method: exercise.method, params: { ...exercise.params, inputResponses: answers, requestState: forged } },
        });
      } else if (f === 'rejected' && g === 'accepted') {
        conclusive++;
      }
    }
    if (conclusive === 0) ctx.skip(`no request could be judged: for each of ${Math.min(candidates.length, CANDIDATES)} request(s) that answered InputRequiredResult, either the genuine requestState with mcpcert's answers was not accepted either, or the server did not need its state (see the transcript notes)`);
  },
});
