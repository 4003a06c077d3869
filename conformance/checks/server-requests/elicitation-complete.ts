import { isPlainObject } from '../../../transport/codec.js';
import { isNotification, type JsonObject, type JsonRpcMessage } from '../../../transport/jsonrpc.js';
import { defineCheck } from '../../check.js';
import { HarnessError } from '../../errors.js';
import { capabilitiesOf, declaration, plausibleAnswer, undeclaredFor } from '../../kit/client-requests.js';
import { exerciseTarget } from '../../kit/exercise-requests.js';
import { fence, settle } from '../../kit/replies.js';

const COMPLETE = 'notifications/elicitation/complete';

/** The elicitationIds of URL-mode elicitations in what the target sent: requests, and -32042 errors. */
function urlElicitationIds(messages: readonly JsonRpcMessage[]): Set<string> {
  const ids = new Set<string>();
  const add = (entry: unknown): void => {
    if (isPlainObject(entry) && entry.mode === 'url' && typeof entry.elicitationId === 'string') ids.add(entry.elicitationId);
  };
  for (const m of messages) {
    if ('method' in m && m.method === 'elicitation/create' && 'id' in m) add(m.params);
    if ('error' in m && isPlainObject(m.error) && isPlainObject(m.error.data) && Array.isArray(m.error.data.elicitations)) m.error.data.elicitations.forEach(add);
  }
  return ids;
}

/**
 * A client declaring URL elicitation consents to every URL the target asks it to visit; each
 * notifications/elicitation/complete the target then sends must name, by its elicitationId, an
 * elicitation this client was sent (ELIC-015), which also shows it went to the client that
 * initiated it, not to another one (ELIC-014).
 */
export default defineCheck({
  id: 'server-requests/elicitation-complete',
  title: 'notifications/elicitation/complete names an elicitation this client was sent',
  requirements: ['ELIC-014', 'ELIC-015'],
  level: 'MUST',
  versions: ['2025-11-25'],
  transports: 'all',
  timeoutFactor: 4,
  async run(ctx) {
    const declared = declaration(ctx.version, 'full');
    const session = await ctx.connect();
    // Consent to URL elicitations (nothing is opened): only that makes a completion possible.
    session.answerServerRequest = (r) => {
      if (undeclaredFor(r.method, declared) !== undefined) return undefined;
      if (r.method === 'elicitation/create' && isPlainObject(r.params) && r.params.mode === 'url') return { action: 'accept' } satisfies JsonObject;
      return plausibleAnswer(r.method);
    };
    const capabilities = capabilitiesOf(declared, ctx.version);
    const init = await session.initialize(ctx.version, { capabilities });
    if (init.kind !== 'result') throw new HarnessError('MCPCERT_ERR_TRANSPORT', `the target refused initialize from a client declaring ${JSON.stringify(capabilities)}`);
    // Only what is judged, kept in full: the session's own logs are bounded.
    const relevant: JsonRpcMessage[] = [];
    const collect = (m: JsonRpcMessage): void => {
      if (('method' in m && (m.method === 'elicitation/create' || m.method === COMPLETE)) || ('error' in m && isPlainObject(m.error) && isPlainObject(m.error.data))) relevant.push(m);
    };
    session.connection.on('message', collect);
    try {
      await exerciseTarget(ctx, session);
      if (!session.closed) await fence(ctx, session);
      await settle(200);
    } finally {
      session.connection.off('message', collect);
    }
    const sent = urlElicitationIds(relevant);
    const completions = relevant.filter((m) => isNotification(m) && m.method === COMPLETE);
    for (const c of completions) {
      const params = 'params' in c && isPlainObject(c.params) ? c.params : {};
      const observed = JSON.stringify(c).slice(0, 500);
      if (typeof params.elicitationId !== 'string') {
        ctx.fail(`the target sent ${COMPLETE} without an elicitationId (ELIC-015)`, { expected: 'the elicitationId of the URL elicitation that completed', observed });
      } else {
        ctx.expect(sent.has(params.elicitationId), `the target sent ${COMPLETE} for elicitation ${JSON.stringify(params.elicitationId)}, which this client was never sent (ELIC-014)`, { expected: `one of the elicitationIds sent to this client: ${[...sent].slice(0, 5).join(', ') || 'none'}`, observed });
      }
    }
    if (completions.length === 0) ctx.skip(`the target sent no ${COMPLETE} to a client that consented to ${sent.size} URL elicitation(s)`);
  },
});
