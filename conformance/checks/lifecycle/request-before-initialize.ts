import { defineCheck, HANDSHAKE_VERSIONS } from '../../check.js';
import { NoResponseError, TransportFailure } from '../../errors.js';
import { declaredLists } from '../../kit/lists.js';
import { expectResult, settle } from '../../kit/replies.js';

/**
 * Initialization must come first (LIFE-001), but the spec does not say how a server treats a
 * request that comes earlier (spec digest §G.3): rejecting or ignoring it passes, serving it
 * is a warning. A Streamable HTTP server without sessions cannot know, so it is not judged.
 */
export default defineCheck({
  id: 'lifecycle/request-before-initialize',
  title: 'A request before initialize is rejected or ignored',
  requirements: ['LIFE-001'],
  level: 'SHOULD',
  versions: HANDSHAKE_VERSIONS,
  transports: 'all',
  async run(ctx) {
    if (ctx.transport === 'http' && (await ctx.session()).sessionId === undefined) {
      // Without a session every POST stands alone: the server has no way to know that this
      // client never initialized, so serving the request is not a departure.
      return ctx.skip('the target keeps no Streamable HTTP sessions, so it cannot tell a client that never initialized');
    }
    const session = await ctx.connect();
    const method = declaredLists(ctx)[0]?.method ?? 'tools/list';
    // The early request and initialize go out back to back; the early one's fate is known once
    // initialize is answered (a connection keeps order), so a slow or loaded target is not
    // mistaken for one that ignores the early request.
    const early = session.request(method, {}, { timeoutMs: ctx.timeoutMs }).then(
      (reply) => ({ reply }),
      (err: unknown) => ({ err }),
    );
    expectResult(ctx, await session.initialize(ctx.version), 'initialize after the early request');
    const outcome = await Promise.race([early, settle(ctx.transport === 'stdio' || ctx.transport === 'tcp' || ctx.transport === 'ws' ? 100 : 500).then(() => undefined)]);
    if (outcome === undefined) {
      ctx.note(`${method} before initialize: no answer (ignored)`);
    } else if ('reply' in outcome) {
      ctx.expect(outcome.reply.kind !== 'result', `${method} sent before initialize was served as if the session were initialized`, { expected: 'an error, or no answer', observed: 'a result' });
    } else {
      // Refused at the HTTP layer, or the connection dropped it: both are what this check hopes for.
      const err = outcome.err;
      if (!(err instanceof NoResponseError) && !(err instanceof TransportFailure)) throw err;
      ctx.note(`${method} before initialize: ${err.message}`);
    }
  },
});
