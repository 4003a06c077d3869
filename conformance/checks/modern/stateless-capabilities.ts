import type { JsonObject } from '../../../transport/jsonrpc.js';
import { defineCheck, MODERN_VERSIONS } from '../../check.js';
import { META_KEYS } from '../../modern.js';
import { describeReply } from '../../kit/replies.js';
import type { Session } from '../../session.js';

/** Capabilities a client may declare; a stateful server would remember them. */
const RICH = { sampling: {}, elicitation: {}, roots: { listChanged: true } };

const ATTEMPTS = 5;

/** The list this check compares, and where its items are. */
function probe(hasTools: boolean): { method: string; key: string } {
  return hasTools ? { method: 'tools/list', key: 'tools' } : { method: 'server/discover', key: 'capabilities' };
}

/**
 * Each 2026-07-28 request stands alone: what a request answers must not depend on capabilities
 * declared by an earlier request on the same connection. The same request, declaring no
 * capabilities, is sent on a clean connection and after a request declaring many: the answers
 * must be equal.
 */
export default defineCheck({
  id: 'modern/stateless-capabilities',
  title: 'Results do not depend on capabilities declared by earlier requests on the connection',
  requirements: ['M-BASE-025', 'M-BASE-048'],
  level: 'MUST',
  versions: MODERN_VERSIONS,
  transports: 'all',
  async run(ctx) {
    const { method, key } = probe(ctx.hasCapability('tools'));
    const ask = async (session: Session, capabilities: JsonObject, label: string): Promise<string | undefined> => {
      const meta = { [META_KEYS.clientCapabilities]: capabilities };
      const request = { jsonrpc: '2.0', method, params: session.eraParams({}, meta) ?? {} };
      const reply = await session.call(method, {}, { meta });
      if (reply.kind !== 'result') {
        ctx.fail(`${method} ${label} was answered with ${describeReply(reply)}`, { expected: 'a result', observed: describeReply(reply), request });
        return undefined;
      }
      return JSON.stringify(reply.result[key] ?? null);
    };
    const fresh = await ctx.session({ fresh: true });
    const used = await ctx.session({ fresh: true });
    // A list may change over time for everyone (another client adding a tool): the clean
    // connection asks before and after, and a difference on the used connection counts only
    // when the clean one stayed the same, and only once it shows again on a second try.
    let seen: string | undefined;
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      const clean = await ask(fresh, {}, 'declaring no capabilities on a fresh connection');
      const rich = await ask(used, RICH, `declaring ${Object.keys(RICH).join(', ')}`);
      const after = await ask(used, {}, 'declaring no capabilities, after a request declaring some');
      const again = await ask(fresh, {}, 'declaring no capabilities on the fresh connection, again');
      if (clean === undefined || rich === undefined || after === undefined || again === undefined) return;
      if (clean !== again) {
        ctx.note(`attempt ${attempt}: the ${key} also changed on the clean connection meanwhile (a change over time); not judged`);
        continue;
      }
      if (after === clean) return;
      if (seen !== after) {
        ctx.note(`attempt ${attempt}: the ${key} differed after the request declaring capabilities; trying again to tell it from a change over time`);
        seen = after;
        continue;
      }
      ctx.fail(`${method} declaring no capabilities answered differently after an earlier request on the connection declared ${Object.keys(RICH).join(', ')}`, {
        expected: `the ${key} of a clean connection, before and after: ${clean.slice(0, 300)}`,
        observed: after.slice(0, 300),
      });
      return;
    }
    ctx.skip(`the ${key} kept changing over time (${ATTEMPTS} attempts), so no difference could be tied to the connection`);
  },
});
