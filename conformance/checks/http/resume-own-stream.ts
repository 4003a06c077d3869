import { defineCheck, versionsFrom } from '../../check.js';
import { settle } from '../../kit/replies.js';
import { collectTraffic, getSpec, identityOf } from '../../kit/stream-traffic.js';

/**
 * Resuming with Last-Event-ID may replay what followed that id on its own stream, never what
 * another stream carried (HTTP-032). The cursor is the first event id of a POST's SSE answer,
 * while the GET stream and the other POSTs carried messages of their own.
 */
export default defineCheck({
  id: 'http/resume-own-stream',
  title: 'Resuming with Last-Event-ID replays only messages of the stream that id belongs to',
  requirements: ['HTTP-032'],
  level: 'MUST',
  versions: versionsFrom('2025-03-26', '2025-11-25'),
  transports: ['http'],
  timeoutFactor: 2,
  async run(ctx) {
    const traffic = await collectTraffic(ctx, { withGet: true });
    try {
      const session = traffic.session!;
      const cursorStream = traffic.posts.find((s) => s.isSse && s.events.some((e) => e.id !== undefined && e.id !== ''));
      if (cursorStream === undefined) return ctx.skip('no SSE answer to a POST carried an event id, so there is nothing to resume');
      const cursor = cursorStream.events.find((e) => e.id !== undefined && e.id !== '')!.id!;
      const elsewhere = new Map<string, string>();
      for (const stream of [...(traffic.get?.isSse ? [traffic.get] : []), ...traffic.posts]) {
        if (stream === cursorStream) continue;
        for (const message of stream.messages) {
          const identity = identityOf(message);
          if (identity !== undefined) elsewhere.set(identity, stream.label);
        }
      }
      ctx.note(`resuming ${cursorStream.label} after event id ${cursor}`);
      const spec = getSpec(ctx, session, { 'last-event-id': cursor });
      const replay = await traffic.reader.open(spec, 'GET resume');
      if (!replay.isSse) return ctx.skip(`the target did not resume the stream (GET with Last-Event-ID answered HTTP ${replay.status}); resumption is optional`);
      await traffic.reader.until(replay, (s) => s.ended, Math.min(ctx.timeoutMs, 1500));
      await settle(100);
      for (const message of replay.messages) {
        const identity = identityOf(message);
        const other = identity === undefined ? undefined : elsewhere.get(identity);
        if (other !== undefined) ctx.fail(`resuming ${cursorStream.label} replayed ${identity}, which had been sent on ${other}`, { expected: `only messages of ${cursorStream.label} after event ${cursor}`, observed: JSON.stringify(message).slice(0, 300), http: spec });
      }
      ctx.note(`the resumed stream replayed ${replay.messages.length} message(s); ${elsewhere.size} identifiable messages had travelled on other streams`);
    } finally {
      await traffic.close();
    }
  },
});
