import { defineCheck, versionsFrom } from '../../check.js';
import { describeRefusal, openingRequest, requireProtection } from '../../kit/auth.js';
import { endpointOf, SESSION_HEADER } from '../../kit/http-session.js';

/**
 * Authorization headers that hold no usable Bearer token. The spec wants 400 for a malformed
 * authorization request (AUTH-038), yet a server may as well read such a header as carrying an
 * invalid token (RFC 6750 §3.1 makes 400 for invalid_request a SHOULD, 401 is "token invalid"),
 * so either is accepted; serving the request, or any other refusal, is not.
 */
const MALFORMED: readonly string[] = ['Bearer', 'Bearer mcpcert "not a b64token"'];

export default defineCheck({
  id: 'auth/malformed-authorization',
  title: 'A malformed Authorization header is refused with 400 or 401',
  requirements: ['AUTH-038', 'M-AUTH-038'],
  level: 'MUST',
  versions: versionsFrom('2025-03-26'),
  transports: ['http'],
  async run(ctx) {
    await requireProtection(ctx);
    for (const value of MALFORMED) {
      const spec = openingRequest(ctx, { kind: 'value', value });
      const answer = await ctx.http(spec);
      const served = answer.status >= 200 && answer.status < 300;
      ctx.expect(answer.status === 400 || answer.status === 401, `a request with "Authorization: ${value}" was ${served ? 'served' : `answered with HTTP ${answer.status}`}`, { expected: 'HTTP 400 (malformed authorization request) or 401 (invalid token)', observed: describeRefusal(answer), http: spec });
      const sessionId = answer.headers[SESSION_HEADER];
      if (served && sessionId !== undefined) await ctx.http({ method: 'DELETE', url: endpointOf(ctx), headers: { ...spec.headers, [SESSION_HEADER]: sessionId } }).catch(() => undefined);
    }
  },
});
