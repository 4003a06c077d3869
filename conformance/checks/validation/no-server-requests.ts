import type { JsonRpcMessage } from '../../../transport/jsonrpc.js';
import { MODERN_VERSIONS, defineCheck } from '../../check.js';
import { capabilitiesOf, declaration } from '../../kit/client-requests.js';
import { exerciseTarget } from '../../kit/exercise-requests.js';
import { capabilityMeta, followRounds } from '../../kit/mrtr.js';
import { fence, settle } from '../../kit/replies.js';

const ROUNDS = 2;

/**
 * 2026-07-28, any transport: messages flow as client requests and notifications one way and
 * server responses and notifications the other, so a server never sends a JSON-RPC request (it
 * asks its client through InputRequiredResult). A client declaring sampling, elicitation and
 * roots on every request exercises the target and follows its input requests for a few rounds,
 * so that tools needing the client run their course.
 */
export default defineCheck({
  id: 'validation/no-server-requests',
  title: 'A 2026-07-28 server sends only responses and notifications, never a request',
  requirements: ['M-TRN-002'],
  level: 'MUST',
  versions: MODERN_VERSIONS,
  transports: 'all',
  timeoutFactor: 3,
  async run(ctx) {
    const session = await ctx.session({ fresh: true });
    // Counted here, not from the session's bounded log of server requests.
    const requests: JsonRpcMessage[] = [];
    let total = 0;
    const collect = (message: JsonRpcMessage): void => {
      if ('method' in message && 'id' in message && message.id !== undefined) {
        total++;
        if (requests.length < 5) requests.push(message);
      }
    };
    session.connection.on('message', collect);
    const meta = capabilityMeta(capabilitiesOf(declaration(ctx.version, 'full'), ctx.version));
    const perCall = Math.min(ctx.timeoutMs, 3000);
    let exercisedCount = 0;
    try {
      const exercised = await exerciseTarget(ctx, session, { meta, perCallTimeoutMs: perCall });
      exercisedCount = exercised.length;
      for (const exercise of exercised) {
        if (session.closed) break;
        await followRounds(session, exercise, meta, ROUNDS, perCall);
      }
      await fence(ctx, session);
      await settle(200);
    } finally {
      session.connection.off('message', collect);
    }
    ctx.note(`exercised ${exercisedCount} tool call(s), prompt get(s) and resource read(s) declaring ${JSON.stringify(meta)}`);
    for (const request of requests) {
      ctx.fail(`the server sent a JSON-RPC request (${'method' in request ? request.method : '?'}) to the client (M-TRN-002)`, {
        expected: 'only responses and notifications from a 2026-07-28 server: it asks the client through InputRequiredResult',
        observed: JSON.stringify(request).slice(0, 500),
      });
    }
    if (total > requests.length) ctx.fail(`the server sent ${total} JSON-RPC requests in all (M-TRN-002)`, { expected: 'no request from a 2026-07-28 server', observed: `${total} request(s)` });
  },
});
