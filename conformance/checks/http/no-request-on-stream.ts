import { isRequest } from '../../../transport/jsonrpc.js';
import { defineCheck, MODERN_VERSIONS } from '../../check.js';
import { collectTraffic } from '../../kit/stream-traffic.js';

/**
 * 2026-07-28 servers ask the client things through InputRequiredResult, never by sending a
 * JSON-RPC request on a response stream (M-HTTP-016). Every listed tool is called so that
 * tools which would ask (sampling, elicitation, roots) get their chance to.
 */
export default defineCheck({
  id: 'http/no-request-on-stream',
  title: '2026-07-28: no JSON-RPC request is sent on an SSE response stream',
  requirements: ['M-HTTP-016'],
  level: 'MUST',
  versions: MODERN_VERSIONS,
  transports: ['http'],
  timeoutFactor: 2,
  async run(ctx) {
    const traffic = await collectTraffic(ctx, { withGet: false });
    try {
      const streams = traffic.posts.filter((s) => s.isSse);
      for (const stream of traffic.posts) {
        for (const message of stream.messages) {
          if (isRequest(message)) ctx.fail(`${stream.label} carried the JSON-RPC request ${message.method}`, { expected: 'only notifications related to the request, then its response', observed: JSON.stringify(message).slice(0, 300) });
        }
      }
      if (streams.length === 0 && ctx.failureCount === 0) ctx.skip(`the target answered all ${traffic.posts.length} requests with plain JSON; no SSE stream to judge`);
      ctx.note(`${streams.length} of ${traffic.posts.length} answers were SSE streams`);
    } finally {
      await traffic.close();
    }
  },
});
