import { isPlainObject } from '../../../transport/codec.js';
import { MODERN_VERSIONS, defineCheck } from '../../check.js';
import { HarnessError } from '../../errors.js';
import { CLIENT_REQUEST_METHODS, capabilitiesOf, declaration } from '../../kit/client-requests.js';
import { exerciseTarget } from '../../kit/exercise-requests.js';
import { capabilityMeta, inputRequestsOf, inputRequiredOf } from '../../kit/mrtr.js';
import { describeReply } from '../../kit/replies.js';
import type { Reply } from '../../session.js';

const MISSING_REQUIRED_CLIENT_CAPABILITY = -32021;
const MAX_JUDGED = 5;

/**
 * Finds requests the target answers with an InputRequiredResult asking for sampling, elicitation
 * or roots when the client declares them all, and repeats each declaring none. The target may
 * cope without (a result; asking anyway is M-PAT-011, judged by mrtr/input-requests-declared),
 * or refuse with -32021 whose data.requiredCapabilities names what is missing (HTTP 400). Any
 * other error is not the standard refusal.
 */
export default defineCheck({
  id: 'mrtr/missing-capability-error',
  title: 'A request needing an undeclared client capability is refused with -32021 and requiredCapabilities',
  requirements: ['M-BASE-049'],
  level: 'MUST',
  versions: MODERN_VERSIONS,
  transports: 'all',
  timeoutFactor: 3,
  async run(ctx) {
    const session = await ctx.session({ fresh: true });
    const perCall = Math.min(ctx.timeoutMs, 3000);
    const full = capabilityMeta(capabilitiesOf(declaration(ctx.version, 'full'), ctx.version));
    const needy = (await exerciseTarget(ctx, session, { meta: full, perCallTimeoutMs: perCall })).filter((e) => {
      const result = 'reply' in e.outcome ? inputRequiredOf(e.outcome.reply) : undefined;
      return result !== undefined && inputRequestsOf(result).some(([, r]) => typeof r.method === 'string' && CLIENT_REQUEST_METHODS.includes(r.method));
    });
    if (needy.length === 0) ctx.skip('no tools/call, prompts/get or resources/read was answered with an InputRequiredResult asking for sampling, elicitation or roots, even from a client declaring them all');
    const bare = capabilityMeta({});
    let judged = 0;
    for (const exercise of needy.slice(0, MAX_JUDGED)) {
      const request = { jsonrpc: '2.0', method: exercise.method, params: { ...exercise.params, _meta: bare } };
      let reply: Reply;
      try {
        reply = await session.call(exercise.method, exercise.params, { timeoutMs: perCall, meta: bare });
      } catch (err) {
        if (!(err instanceof HarnessError)) throw err;
        ctx.note(`${exercise.label} declaring no client capability: ${err.message} (not judged)`);
        continue;
      }
      judged++;
      if (reply.kind === 'result') {
        ctx.note(`${exercise.label} declaring no client capability: a result${inputRequiredOf(reply) === undefined ? '' : ' (an InputRequiredResult: mrtr/input-requests-declared judges what it asks)'}`);
        continue;
      }
      const expected = `a result (coping without the capability), or error ${MISSING_REQUIRED_CLIENT_CAPABILITY} with data.requiredCapabilities naming the client capability the request needs${ctx.transport === 'http' ? ', with HTTP status 400' : ''}`;
      if (reply.kind !== 'error' || reply.error.code !== MISSING_REQUIRED_CLIENT_CAPABILITY) {
        ctx.fail(`${exercise.label} asks for a client capability when it is declared, but declaring none it was answered ${describeReply(reply)}, not ${MISSING_REQUIRED_CLIENT_CAPABILITY} (M-BASE-049)`, { expected, observed: describeReply(reply), request });
        continue;
      }
      const data = reply.error.data;
      const required = isPlainObject(data) ? data.requiredCapabilities : undefined;
      ctx.expect(isPlainObject(required) && Object.keys(required).length > 0, `${exercise.label}: the ${MISSING_REQUIRED_CLIENT_CAPABILITY} error names no capability in data.requiredCapabilities (M-BASE-049)`, { expected, observed: JSON.stringify(reply.error).slice(0, 500), request });
      const status = reply.meta.http?.status;
      if (ctx.transport === 'http' && status !== undefined) ctx.expect(status === 400, `${exercise.label}: the ${MISSING_REQUIRED_CLIENT_CAPABILITY} error came with HTTP status ${status}, not 400 (M-BASE-049)`, { expected, observed: `HTTP ${status}`, request });
    }
    if (judged === 0) ctx.skip(`each of the ${Math.min(needy.length, MAX_JUDGED)} request(s) that needed a client capability went unanswered when repeated declaring none`);
  },
});
