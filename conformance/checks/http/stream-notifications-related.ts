import { isNotification } from '../../../transport/jsonrpc.js';
import { isPlainObject } from '../../../transport/codec.js';
import { defineCheck, MODERN_VERSIONS } from '../../check.js';
import { collectTraffic } from '../../kit/stream-traffic.js';

/**
 * A request's SSE stream carries only notifications about that request (M-HTTP-015). Progress
 * is the notification whose relation shows: each tool call goes out with a progress token of
 * its own, so one stream may carry at most one token, no token may turn up on two streams, and
 * the streams of requests sent without a token (the fence, tools/list) carry no progress.
 */
export default defineCheck({
  id: 'http/stream-notifications-related',
  title: "2026-07-28: an SSE response stream carries only its own request's progress",
  requirements: ['M-HTTP-015'],
  level: 'MUST',
  versions: MODERN_VERSIONS,
  transports: ['http'],
  needs: ['tools'],
  timeoutFactor: 2,
  async run(ctx) {
    const traffic = await collectTraffic(ctx, { withGet: false });
    try {
      const streamsOf = new Map<string, string[]>();
      let judged = 0;
      for (const stream of traffic.posts) {
        const tokens = new Set<string>();
        for (const message of stream.messages) {
          if (!isNotification(message) || message.method !== 'notifications/progress' || !isPlainObject(message.params)) continue;
          judged += 1;
          const token = JSON.stringify(message.params.progressToken);
          tokens.add(token);
          streamsOf.set(token, [...new Set([...(streamsOf.get(token) ?? []), stream.label])]);
          if (!stream.label.startsWith('POST tools/call')) {
            ctx.fail(`${stream.label}, a request sent without a progress token, carried a progress notification for token ${token}`, { expected: 'only notifications related to that request', observed: JSON.stringify(message).slice(0, 300) });
          }
        }
        if (tokens.size > 1) ctx.fail(`${stream.label} carried progress for ${tokens.size} different tokens (${[...tokens].join(', ')}), though its request had one`, { expected: "progress for the stream's own request only", observed: [...tokens].join(', ') });
      }
      for (const [token, labels] of streamsOf) {
        if (labels.length > 1) ctx.fail(`progress for token ${token} arrived on ${labels.length} streams (${labels.join(', ')})`, { expected: 'each request\'s notifications on its own stream', observed: labels.join(', ') });
      }
      if (judged === 0) ctx.skip('no tool sent a progress notification on its response stream, so no notification could be tied to a request');
      ctx.note(`${judged} progress notification(s) on ${traffic.posts.filter((s) => s.isSse).length} SSE stream(s)`);
    } finally {
      await traffic.close();
    }
  },
});
