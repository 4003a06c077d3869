import { isPlainObject } from '../../../transport/codec.js';
import { HANDSHAKE_VERSIONS, defineCheck, type CheckContext } from '../../check.js';
import { HarnessError } from '../../errors.js';
import { CLIENT_REQUEST_METHODS, REQUEST_DEFINITIONS, breachesOf, capabilitiesOf, declaration, plausibleAnswer, undeclaredFor, type ClientDeclaration, type Rule } from '../../kit/client-requests.js';
import { exerciseTarget } from '../../kit/exercise-requests.js';
import { fence, settle } from '../../kit/replies.js';

const IDS: Readonly<Partial<Record<Rule, string>>> = {
  'elicitation-mode': 'ELIC-006',
  'elicitation-unknown-mode': 'ELIC-007',
  'elicitation-message': 'ELIC-007',
  'elicitation-form': 'ELIC-009',
  'elicitation-url': 'ELIC-011',
  'elicitation-url-valid': 'ELIC-012',
  'sampling-tools': 'SAMP-003',
  'sampling-tool-results': 'SAMP-008',
  'sampling-balance': 'SAMP-009',
};

/** Exercises the target with a client declaring `declared`, answering what it asks; returns how many requests were judged. */
async function judgeWith(ctx: CheckContext, declared: ClientDeclaration, label: string, reported: Set<string>): Promise<number> {
  const session = await ctx.connect();
  session.answerServerRequest = (r) => (undeclaredFor(r.method, declared) === undefined ? plausibleAnswer(r.method) : undefined);
  const capabilities = capabilitiesOf(declared, ctx.version);
  const init = await session.initialize(ctx.version, { capabilities });
  if (init.kind !== 'result') throw new HarnessError('MCPCERT_ERR_TRANSPORT', `the target refused initialize from a client declaring ${JSON.stringify(capabilities)}`);
  ctx.note(`${label} client declares ${JSON.stringify(capabilities)}`);
  await exerciseTarget(ctx, session);
  await fence(ctx, session);
  await settle(200);
  let judged = 0;
  for (const r of session.serverRequests) {
    if (!CLIENT_REQUEST_METHODS.includes(r.method)) continue;
    const params = isPlainObject(r.params) ? r.params : {};
    // Requests for what was not declared at all are LIFE-016, judged by server-requests/undeclared-capabilities.
    if (undeclaredFor(r.method, declared) !== undefined) continue;
    judged++;
    const observed = JSON.stringify(r).slice(0, 500);
    const breaches = breachesOf(r.method, params, declared, ctx.version);
    for (const b of breaches) {
      const id = IDS[b.rule];
      const message = `${b.message}${id === undefined ? '' : ` (${id})`}`;
      if (reported.has(message)) continue;
      reported.add(message);
      ctx.fail(message, { expected: `a well-formed ${r.method} request within what the ${label} client declared (${JSON.stringify(capabilities)})`, observed });
    }
    // The same request from another tool or session is judged once.
    const same = JSON.stringify([r.method, params]);
    if (breaches.length === 0 && !reported.has(same)) {
      reported.add(same);
      ctx.validate(REQUEST_DEFINITIONS[r.method]!, r, `the ${r.method} request the target sent`, { observed });
    }
  }
  return judged;
}

/**
 * Clients declaring sampling, elicitation and roots exercise every tool, prompt and resource,
 * answering what they are asked (a declined elicitation, no roots, a short sample). Each
 * request the target sends must fit what was declared — on 2025-11-25 once without
 * sampling.tools and URL elicitation (ELIC-006, SAMP-003), once with them — and be well formed.
 */
export default defineCheck({
  id: 'server-requests/valid-requests',
  title: 'Sampling, elicitation and roots requests stay within what the client declared and are well formed',
  requirements: ['ELIC-006', 'ELIC-007', 'ELIC-009', 'ELIC-011', 'ELIC-012', 'SAMP-003', 'SAMP-008', 'SAMP-009'],
  level: 'MUST',
  versions: HANDSHAKE_VERSIONS,
  transports: 'all',
  timeoutFactor: 6,
  async run(ctx) {
    const reported = new Set<string>();
    // The two declarations use two sessions of their own, so they are exercised side by side.
    const counts = await Promise.all([
      ctx.version >= '2025-11-25' ? judgeWith(ctx, declaration(ctx.version, 'narrow'), 'narrow (no sampling.tools, form elicitation only)', reported) : Promise.resolve(0),
      judgeWith(ctx, declaration(ctx.version, 'full'), 'full', reported),
    ]);
    const judged = counts[0] + counts[1];
    if (judged === 0) ctx.skip('the target sent no sampling/createMessage, elicitation/create or roots/list request while its tools, prompts and resources were exercised by a client declaring those capabilities');
  },
});
