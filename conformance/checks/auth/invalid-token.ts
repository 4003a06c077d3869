import { defineCheck, versionsFrom } from '../../check.js';
import { bearerChallenge, describeRefusal, foreignBearer, openingRequest, requireProtection, userAuthorization } from '../../kit/auth.js';
import { endpointOf, SESSION_HEADER } from '../../kit/http-session.js';

/**
 * Invalid tokens get 401 (AUTH-034, M-AUTH-030), and every 401 names how to authenticate: RFC
 * 9110 §11.6.1 and OAuth 2.1 §5.3.1 (which AUTH-034 points to) require a WWW-Authenticate
 * challenge on it.
 */
export default defineCheck({
  id: 'auth/invalid-token',
  title: 'A request with a token the server never issued is refused with 401 and a Bearer challenge',
  requirements: ['AUTH-034', 'AUTH-038', 'M-AUTH-030', 'M-AUTH-038'],
  level: 'MUST',
  versions: versionsFrom('2025-03-26'),
  transports: ['http'],
  async run(ctx) {
    const probe = await requireProtection(ctx);
    const challenge = probe.answer.headers['www-authenticate'];
    ctx.expect(challenge !== undefined, 'a request without a token was answered 401 without a WWW-Authenticate challenge', { expected: 'HTTP 401 with WWW-Authenticate: Bearer … (RFC 9110 §11.6.1, OAuth 2.1 §5.3.1)', observed: describeRefusal(probe.answer), http: probe.spec });
    const user = userAuthorization(ctx);
    if (challenge !== undefined && bearerChallenge(probe.answer) === undefined && !/^\s*bearer\s/i.test(user ?? '')) {
      ctx.skip(`the target challenges with "${challenge.slice(0, 100)}", not Bearer, and no Bearer token was given: it does not use the OAuth bearer tokens MCP authorization is built on`);
    }
    const spec = openingRequest(ctx, foreignBearer());
    const answer = await ctx.http(spec);
    if (answer.status >= 200 && answer.status < 300) {
      ctx.fail('a request with a random Bearer token the server cannot have issued was served', { expected: 'HTTP 401 with WWW-Authenticate: Bearer …', observed: describeRefusal(answer), http: spec });
      const sessionId = answer.headers[SESSION_HEADER];
      if (sessionId !== undefined) await ctx.http({ method: 'DELETE', url: endpointOf(ctx), headers: { ...spec.headers, [SESSION_HEADER]: sessionId } }).catch(() => undefined);
      return;
    }
    ctx.expect(answer.status === 401 && bearerChallenge(answer) !== undefined, `a request with an invalid Bearer token was answered with HTTP ${answer.status}${answer.status === 401 ? ' without a Bearer challenge' : ''}`, { expected: 'HTTP 401 with WWW-Authenticate: Bearer … (invalid or expired tokens get 401)', observed: describeRefusal(answer), http: spec });
  },
});
