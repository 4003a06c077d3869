import { request, type RequestId } from '../../../transport/jsonrpc.js';
import { ALL_VERSIONS, defineCheck } from '../../check.js';
import { NoResponseError } from '../../errors.js';
import { fenceMethod } from '../../kit/replies.js';

/** Ids a careless server mangles: a non-ASCII string, a digit string, the largest exact integer, zero, a negative. */
const IDS: readonly RequestId[] = ['mcpcert-ü-✓', '42', 9007199254740991, 0, -7];

export default defineCheck({
  id: 'base/request-ids-echoed',
  title: 'Responses carry the id of their request, exactly (strings, large and negative integers)',
  requirements: ['BASE-006', 'BASE-008', 'M-BASE-006', 'M-BASE-012'],
  level: 'MUST',
  versions: ALL_VERSIONS,
  transports: 'all',
  async run(ctx) {
    const session = await ctx.session();
    const method = fenceMethod(ctx);
    const before = session.unmatched.mark();
    const timeoutMs = Math.min(ctx.timeoutMs, 5000);
    const outcomes = await Promise.allSettled(IDS.map((id) => session.send(request(id, method, session.eraParams({})), { timeoutMs })));
    const strays = session.unmatched.since(before);
    outcomes.forEach((outcome, i) => {
      const id = IDS[i]!;
      if (outcome.status === 'fulfilled') return;
      if (!(outcome.reason instanceof NoResponseError)) throw outcome.reason;
      const stray = strays.map((m) => JSON.stringify(m.id)).join(', ');
      ctx.fail(`no response carried the id ${JSON.stringify(id)} of the ${method} request${stray === '' ? '' : `; responses arrived with id ${stray}`}`, {
        expected: `a response with id ${JSON.stringify(id)} (same JSON type)`,
        observed: stray === '' ? 'no response' : `responses with id ${stray}`,
        request: request(id, method, session.eraParams({})),
      });
    });
  },
});
