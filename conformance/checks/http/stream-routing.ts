import { isResponse } from '../../../transport/jsonrpc.js';
import { defineCheck, versionsFrom } from '../../check.js';
import { collectTraffic, identityOf } from '../../kit/stream-traffic.js';

/**
 * With the GET stream open, requests (and tool calls that report progress) go out as POSTs:
 * no response may show up on the GET stream (HTTP-025), and no message may travel on two
 * streams (HTTP-027/028). Only messages with an identity are compared (see identityOf).
 */
export default defineCheck({
  id: 'http/stream-routing',
  title: 'Each message travels on one stream only, and the GET stream carries no responses',
  requirements: ['HTTP-025', 'HTTP-027', 'HTTP-028'],
  level: 'MUST',
  versions: versionsFrom('2025-03-26', '2025-11-25'),
  transports: ['http'],
  timeoutFactor: 2,
  async run(ctx) {
    const traffic = await collectTraffic(ctx, { withGet: true });
    try {
      const get = traffic.get;
      if (get === undefined || !get.isSse) return ctx.skip(`the target offers no GET stream (GET answered HTTP ${get?.status ?? '?'})`);
      for (const message of get.messages) {
        if (!isResponse(message)) continue;
        ctx.fail(`the GET stream carried a JSON-RPC response (id ${JSON.stringify(message.id)}) although no stream was being resumed`, { expected: 'only requests and notifications on the GET stream', observed: JSON.stringify(message).slice(0, 300) });
      }
      const seen = new Map<string, string>();
      for (const stream of [get, ...traffic.posts]) {
        for (const message of stream.messages) {
          const identity = identityOf(message);
          if (identity === undefined) continue;
          const first = seen.get(identity);
          if (first !== undefined && first !== stream.label) {
            ctx.fail(`${identity} was sent on two streams: ${first} and ${stream.label}`, { expected: 'each message on exactly one stream', observed: JSON.stringify(message).slice(0, 300) });
          } else seen.set(identity, stream.label);
        }
      }
      ctx.expect(seen.size > 0, 'no message came back on any stream', { expected: 'at least the responses to the POSTed requests', observed: `${traffic.posts.length} POSTs, answered ${traffic.posts.map((p) => `HTTP ${p.status}`).join(', ')}` });
      ctx.note(`compared ${seen.size} identifiable messages over ${traffic.posts.length + 1} streams`);
    } finally {
      await traffic.close();
    }
  },
});
