import { defineCheck, versionsFrom } from '../../check.js';
import { describeRefusal, openingRequest, requireProtection } from '../../kit/auth.js';
import { endpointOf, SESSION_HEADER } from '../../kit/http-session.js';

/**
 * A token that a real authorization server issued, but for another resource, must be refused:
 * the server validates the audience (RFC 8707), not only the signature. Only the user can get
 * such a token (from the same authorization server, for another audience), so the check runs
 * when `--foreign-token` gives one.
 */
export default defineCheck({
  id: 'auth/foreign-token-refused',
  title: 'A token issued for another resource is refused',
  requirements: ['AUTH-032', 'AUTH-033', 'AUTH-036', 'AUTH-037', 'AUTH-058', 'SEC-008', 'M-AUTH-028', 'M-AUTH-029', 'M-AUTH-032', 'M-AUTH-033', 'M-SEC-003'],
  level: 'MUST',
  versions: versionsFrom('2025-06-18'),
  transports: ['http'],
  async run(ctx) {
    await requireProtection(ctx);
    const token = ctx.target.kind === 'stdio' ? undefined : ctx.target.foreignToken;
    if (token === undefined) {
      return ctx.skip('no --foreign-token was given: audience validation needs a token the same authorization server issued for another resource');
    }
    const spec = openingRequest(ctx, { kind: 'value', value: `Bearer ${token}` });
    const answer = await ctx.http(spec);
    if (answer.status >= 200 && answer.status < 300) {
      ctx.fail('a request with a token issued for another resource (--foreign-token) was served', { expected: 'HTTP 401: the token does not name this server as its audience', observed: describeRefusal(answer), http: spec });
      const sessionId = answer.headers[SESSION_HEADER];
      if (sessionId !== undefined) await ctx.http({ method: 'DELETE', url: endpointOf(ctx), headers: { ...spec.headers, [SESSION_HEADER]: sessionId } }).catch(() => undefined);
      return;
    }
    ctx.note(`the token for another resource was refused: ${describeRefusal(answer)}`);
  },
});
