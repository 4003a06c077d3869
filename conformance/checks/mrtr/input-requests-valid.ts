import type { JsonObject } from '../../../transport/jsonrpc.js';
import { MODERN_VERSIONS, defineCheck, type CheckContext } from '../../check.js';
import { CLIENT_REQUEST_METHODS, breachesOf, capabilitiesOf, declaration, type ClientDeclaration, type Rule } from '../../kit/client-requests.js';
import { exerciseTarget } from '../../kit/exercise-requests.js';
import { declaredLists } from '../../kit/lists.js';
import { capabilityMeta, followRounds, inputRequiredOf } from '../../kit/mrtr.js';
import { fence, settle } from '../../kit/replies.js';
import { isPlainObject } from '../../../transport/codec.js';

/** The shape rules this check owns; what the client declared is mrtr/input-requests-declared's. */
const IDS: Readonly<Partial<Record<Rule, string>>> = {
  'elicitation-unknown-mode': 'M-ELIC-007',
  'elicitation-message': 'M-ELIC-007',
  'elicitation-form': 'M-ELIC-009',
  'elicitation-url': 'M-ELIC-010',
  'elicitation-url-valid': 'M-ELIC-011',
  'sampling-tool-results': 'M-SAMP-009',
  'sampling-balance': 'M-SAMP-010',
  'sampling-messages': 'M-SAMP-012',
};

const ROUNDS = 3;

function judge(ctx: CheckContext, label: string, result: JsonObject, declared: ClientDeclaration, reported: Set<string>): void {
  const observed = JSON.stringify(result).slice(0, 500);
  const fail = (message: string, expected: string): void => {
    if (reported.has(message)) return;
    reported.add(message);
    ctx.fail(message, { expected, observed });
  };
  const before = ctx.failureCount;
  if (result.inputRequests === undefined && result.requestState === undefined) {
    fail(`${label} answered an InputRequiredResult with neither inputRequests nor requestState (M-PAT-010)`, 'inputRequests, requestState, or both');
  }
  if (result.inputRequests !== undefined && !isPlainObject(result.inputRequests)) fail(`${label} answered inputRequests that is not an object (M-PAT-005)`, 'a map of input requests');
  const requests = isPlainObject(result.inputRequests) ? Object.entries(result.inputRequests) : [];
  for (const [key, request] of requests) {
    const method = isPlainObject(request) ? request.method : undefined;
    if (!isPlainObject(request) || typeof method !== 'string' || !CLIENT_REQUEST_METHODS.includes(method)) {
      fail(`${label}: inputRequests[${JSON.stringify(key)}] is not an elicitation/create, sampling/createMessage or roots/list request (M-PAT-005)`, 'an ElicitRequest, CreateMessageRequest or ListRootsRequest');
      continue;
    }
    const params = isPlainObject(request.params) ? request.params : {};
    for (const b of breachesOf(method, params, declared, ctx.version)) {
      const id = IDS[b.rule];
      if (id !== undefined) fail(`${label}: inputRequests[${JSON.stringify(key)}]: ${b.message} (${id})`, `a well-formed ${method} input request`);
    }
  }
  // The schema last, and only for results with no named fault, so one fault is reported once.
  if (ctx.failureCount === before) ctx.validate('InputRequiredResult', result, `the InputRequiredResult of ${label}`, { observed });
}

/**
 * With every client capability declared in `_meta`, exercises the target's tools, prompts and
 * resources, follows each InputRequiredResult for a few rounds (declining elicitations, giving
 * no roots, a short sample), and holds each result and input request to the MRTR rules. Other
 * requests must not answer InputRequiredResult, and no JSON-RPC request may reach the client.
 */
export default defineCheck({
  id: 'mrtr/input-requests-valid',
  title: 'InputRequiredResult comes only from tools/call, prompts/get and resources/read, and its input requests are well formed',
  requirements: ['M-PAT-002', 'M-PAT-003', 'M-PAT-005', 'M-PAT-010', 'M-ELIC-007', 'M-ELIC-009', 'M-ELIC-010', 'M-ELIC-011', 'M-SAMP-009', 'M-SAMP-010', 'M-SAMP-012'],
  level: 'MUST',
  versions: MODERN_VERSIONS,
  transports: 'all',
  timeoutFactor: 4,
  async run(ctx) {
    const declared = declaration(ctx.version, 'full');
    const meta = capabilityMeta(capabilitiesOf(declared, ctx.version));
    const session = await ctx.session({ fresh: true });
    const perCall = Math.min(ctx.timeoutMs, 3000);
    // M-PAT-003: requests other than the three must not ask, even a client that could answer.
    for (const method of ['server/discover', ...declaredLists(ctx).map((l) => l.method)]) {
      const reply = await session.call(method, {}, { meta });
      ctx.expect(inputRequiredOf(reply) === undefined, `${method} answered InputRequiredResult; only tools/call, prompts/get and resources/read may (M-PAT-003)`, {
        expected: `a complete ${method} result or an error`,
        observed: reply.kind === 'result' ? JSON.stringify(reply.result).slice(0, 500) : reply.kind,
      });
    }
    const reported = new Set<string>();
    let seen = 0;
    for (const exercise of await exerciseTarget(ctx, session, { meta, perCallTimeoutMs: perCall })) {
      const rounds = await followRounds(session, exercise, meta, ROUNDS, perCall);
      rounds.forEach((result, i) => judge(ctx, i === 0 ? exercise.label : `${exercise.label} (round ${i + 1})`, result, declared, reported));
      seen += rounds.length;
    }
    await fence(ctx, session);
    await settle(100);
    const sent = new Set<string>();
    for (const r of session.serverRequests) {
      if (!CLIENT_REQUEST_METHODS.includes(r.method) || sent.has(r.method)) continue;
      sent.add(r.method);
      ctx.fail(`the target sent ${r.method} as a JSON-RPC request; in 2026-07-28 it must ask through InputRequiredResult (M-PAT-002)`, { expected: `${r.method} only inside InputRequiredResult.inputRequests`, observed: JSON.stringify(r).slice(0, 500) });
    }
    if (seen === 0 && ctx.failureCount === 0) ctx.skip('the target never answered InputRequiredResult to tools/call, prompts/get or resources/read from a client declaring sampling, elicitation and roots');
  },
});
