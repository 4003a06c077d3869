import { defineCheck, versionsFrom } from '../../check.js';
import { collectTraffic } from '../../kit/stream-traffic.js';

/**
 * SSE event ids are optional, but when a server uses them they are cursors for resumption,
 * so one id may name one event of the session only (HTTP-029), priming events included.
 */
export default defineCheck({
  id: 'http/event-ids-unique',
  title: 'SSE event ids, where used, are unique across all streams of a session',
  requirements: ['HTTP-029'],
  level: 'MUST',
  versions: versionsFrom('2025-03-26', '2025-11-25'),
  transports: ['http'],
  timeoutFactor: 2,
  async run(ctx) {
    const traffic = await collectTraffic(ctx, { withGet: true });
    try {
      const owner = new Map<string, string>();
      let count = 0;
      for (const stream of [...(traffic.get ? [traffic.get] : []), ...traffic.posts]) {
        for (const event of stream.events) {
          if (event.id === undefined || event.id === '') continue;
          count += 1;
          const first = owner.get(event.id);
          if (first === undefined) owner.set(event.id, stream.label);
          else ctx.fail(`the event id ${JSON.stringify(event.id)} was used twice: on ${first} and on ${stream.label}`, { expected: 'every event id of the session used once', observed: `id ${event.id}: ${event.data.slice(0, 200)}` });
        }
      }
      if (count === 0) ctx.skip('the target attached no SSE event ids to the events it sent (they are optional)');
      ctx.note(`${count} event ids over ${traffic.posts.length + (traffic.get ? 1 : 0)} streams`);
    } finally {
      await traffic.close();
    }
  },
});
