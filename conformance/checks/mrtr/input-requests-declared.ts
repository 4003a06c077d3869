import type { JsonObject } from '../../../transport/jsonrpc.js';
import { MODERN_VERSIONS, defineCheck, type CheckContext } from '../../check.js';
import { DECLARES_NOTHING, breachesOf, capabilitiesOf, declaration, undeclaredFor, type ClientDeclaration, type Rule } from '../../kit/client-requests.js';
import { exerciseTarget } from '../../kit/exercise-requests.js';
import { capabilityMeta, followRounds, inputRequestsOf } from '../../kit/mrtr.js';
import { isPlainObject } from '../../../transport/codec.js';

/** Using a declared feature beyond what was declared of it; the shape rules are mrtr/input-requests-valid's. */
const IDS: Readonly<Partial<Record<Rule, string>>> = {
  'elicitation-mode': 'M-ELIC-006',
  'sampling-tools': 'M-SAMP-004',
};

const ROUNDS = 3;

/** Exercises the target declaring `declared` in every request's `_meta`; returns how many InputRequiredResults came back. */
async function judgeWith(ctx: CheckContext, declared: ClientDeclaration, reported: Set<string>): Promise<number> {
  const capabilities = capabilitiesOf(declared, ctx.version);
  const meta = capabilityMeta(capabilities);
  const session = await ctx.session({ fresh: true });
  const perCall = Math.min(ctx.timeoutMs, 3000);
  let seen = 0;
  for (const exercise of await exerciseTarget(ctx, session, { meta, perCallTimeoutMs: perCall })) {
    const rounds: JsonObject[] = await followRounds(session, exercise, meta, ROUNDS, perCall);
    seen += rounds.length;
    for (const result of rounds) {
      const observed = JSON.stringify(result).slice(0, 500);
      for (const [key, request] of inputRequestsOf(result)) {
        if (typeof request.method !== 'string') continue;
        const where = `${exercise.label}: inputRequests[${JSON.stringify(key)}]`;
        const missing = undeclaredFor(request.method, declared);
        const messages =
          missing !== undefined
            ? [`${where} is ${request.method}, but the request declared no ${missing} capability (M-PAT-011)`]
            : breachesOf(request.method, isPlainObject(request.params) ? request.params : {}, declared, ctx.version).flatMap((b) => (IDS[b.rule] === undefined ? [] : [`${where}: ${b.message} (${IDS[b.rule]!})`]));
        for (const message of messages) {
          if (reported.has(message)) continue;
          reported.add(message);
          ctx.fail(message, { expected: `input requests only for what the request's _meta declared: ${JSON.stringify(capabilities)}`, observed });
        }
      }
    }
  }
  return seen;
}

/**
 * Exercises the target's tools, prompts and resources twice: declaring no client capability
 * (no input request may come back, M-PAT-011), then sampling without sampling.tools, form
 * elicitation only and roots (no tools in sampling, M-SAMP-004; no URL elicitation, M-ELIC-006).
 */
export default defineCheck({
  id: 'mrtr/input-requests-declared',
  title: 'InputRequiredResult asks only for what the request declared in its client capabilities',
  requirements: ['M-PAT-011', 'M-ELIC-006', 'M-SAMP-004'],
  level: 'MUST',
  versions: MODERN_VERSIONS,
  transports: 'all',
  timeoutFactor: 4,
  async run(ctx) {
    const reported = new Set<string>();
    const bare = await judgeWith(ctx, DECLARES_NOTHING, reported);
    const narrow = await judgeWith(ctx, declaration(ctx.version, 'narrow'), reported);
    if (bare + narrow === 0) ctx.skip('the target never answered InputRequiredResult to tools/call, prompts/get or resources/read, even from a client declaring sampling, form elicitation and roots');
  },
});
