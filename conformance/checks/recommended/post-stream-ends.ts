import { isResponse, type JsonRpcMessage } from '../../../transport/jsonrpc.js';
import { ALL_VERSIONS, defineCheck } from '../../check.js';
import { collectTraffic } from '../../kit/stream-traffic.js';
import type { LiveStream } from '../../kit/sse-stream.js';

/** How long a stream may stay open after carrying its response before that counts as not terminated. */
const GRACE_MS = 2000;

function hasResponse(stream: LiveStream): boolean {
  return stream.messages.some((m: JsonRpcMessage) => isResponse(m));
}

/**
 * Reads every SSE answer to a POSTed request. A stream that has delivered its response should
 * close (HTTP-019); the quick requests (ping or server/discover, tools/list) must have their
 * response on their stream (HTTP-017). Slow tool calls are not held to a deadline for HTTP-017.
 */
export default defineCheck({
  id: 'recommended/post-stream-ends',
  title: 'A POST answered with an SSE stream delivers its response there and then ends the stream',
  requirements: ['HTTP-017', 'HTTP-019', 'M-HTTP-017'],
  level: 'SHOULD',
  versions: ALL_VERSIONS,
  transports: ['http'],
  timeoutFactor: 3,
  async run(ctx) {
    const traffic = await collectTraffic(ctx, { withGet: false });
    try {
      const sse = traffic.posts.filter((s) => s.isSse);
      if (sse.length === 0) ctx.skip('the target answered every POSTed request with application/json, not an SSE stream');
      const quick = new Set(traffic.posts.slice(0, 2));
      for (const stream of sse) {
        if (!hasResponse(stream)) {
          if (quick.has(stream)) ctx.fail(`${stream.label}: the SSE stream never carried the request's response`, { expected: 'the JSON-RPC response on the stream answering the POST', observed: `${stream.events.length} events, ${stream.ended ? 'then the stream ended' : 'the stream still open'}` });
          else ctx.note(`${stream.label}: no response yet; not judged`);
          continue;
        }
        const ended = await traffic.reader.until(stream, (s) => s.ended, GRACE_MS);
        if (!ended && !stream.ended) ctx.fail(`${stream.label}: the SSE stream stayed open more than ${GRACE_MS} ms after carrying the response`, { expected: 'the stream terminated after the response', observed: `${stream.events.length} events; still open` });
      }
    } finally {
      await traffic.close();
    }
  },
});
