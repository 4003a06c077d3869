import type { JsonRpcMessage } from '../../../transport/jsonrpc.js';
import { defineCheck, MODERN_VERSIONS } from '../../check.js';
import type { HttpAnswer } from '../../http-probe.js';
import { describeAnswer } from '../../kit/http-answer.js';
import { modernPost, postSpec } from '../../kit/http-session.js';
import { mediaTypeOf } from '../../kit/sse-stream.js';
import { mirroredHeaders, modernMeta } from '../../modern.js';

/** What the answer to a notification POST is, in the terms of M-HTTP-011/012. */
function verdict(answer: HttpAnswer): { ok: true; accepted: boolean } | { ok: false; why: string } {
  // Any error status refuses (M-HTTP-012 names 400 as an example only), 5xx included.
  if (answer.status >= 400 && answer.status < 600) return { ok: true, accepted: false };
  if (answer.status !== 202) return { ok: false, why: `HTTP ${answer.status}` };
  // An SSE answer is never read by ctx.http, so its media type alone shows that a body came.
  if (mediaTypeOf(answer.headers) === 'text/event-stream') return { ok: false, why: 'HTTP 202 with an SSE stream as its body' };
  if (answer.body.trim() !== '') return { ok: false, why: `HTTP 202 with a body: ${answer.body.slice(0, 200)}` };
  return { ok: true, accepted: true };
}

/**
 * A notification POSTed to the endpoint is either accepted (202 Accepted, no body) or refused
 * with an HTTP error status; nothing else (200 with a JSON-RPC answer, 204, a stream).
 * 2026-07-28 defines no client notification for HTTP (notifications/cancelled is stdio's; here
 * closing the stream cancels), so both outcomes are allowed: the reference refuses with 400.
 * The notification cancels a request id nobody used, so accepting it has no effect.
 */
export default defineCheck({
  id: 'modern/notification-accepted',
  title: 'A notification POST is answered 202 with no body, or with an HTTP error status',
  requirements: ['M-HTTP-011', 'M-HTTP-012'],
  level: 'MUST',
  versions: MODERN_VERSIONS,
  transports: ['http'],
  async run(ctx) {
    const baseline = modernPost(ctx, 'server/discover');
    const known = await ctx.http(baseline);
    if (known.status !== 200) {
      ctx.fail(`server/discover was answered with ${describeAnswer(known)}, so the endpoint's answer to a notification proves nothing`, { expected: 'HTTP 200', observed: describeAnswer(known), http: baseline });
      return;
    }
    const message: JsonRpcMessage = {
      jsonrpc: '2.0',
      method: 'notifications/cancelled',
      params: { requestId: 'mcpcert-never-sent', reason: 'mcpcert: notification answer check', _meta: modernMeta(ctx.version, { name: 'mcpcert', version: '0' }) },
    };
    const spec = postSpec(ctx, message, mirroredHeaders(message, () => undefined));
    const answer = await ctx.http(spec);
    const judged = verdict(answer);
    if (!judged.ok) {
      ctx.fail(`a notification POST was answered with ${judged.why}`, { expected: 'HTTP 202 Accepted with no body (accepted) or an HTTP 4xx error status (refused)', observed: describeAnswer(answer), http: spec });
      return;
    }
    ctx.note(judged.accepted ? 'the notification was accepted (202, no body)' : `the notification was refused with HTTP ${answer.status}`);
  },
});
