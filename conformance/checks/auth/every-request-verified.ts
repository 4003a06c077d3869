import { defineCheck, versionsFrom, type CheckContext } from '../../check.js';
import type { HttpAnswer, HttpRequestSpec } from '../../http-probe.js';
import { authPost, describeRefusal, foreignBearer, modernMessage, NO_CREDENTIAL, requireProtection, USER_CREDENTIAL, userAuthorization, type Credential } from '../../kit/auth.js';
import { rawHandshake, rawTerminate } from '../../kit/http-session.js';
import { HarnessError } from '../../errors.js';
import { mirroredHeaders } from '../../modern.js';
import type { JsonRpcMessage } from '../../../transport/jsonrpc.js';

/** A request any server of that era answers, sent within the session (handshake era) or alone. */
function requestFor(ctx: CheckContext, sessionHeaders: Record<string, string>): (credential: Credential, id: number) => HttpRequestSpec {
  if (ctx.era === 'legacy') return (credential, id) => authPost(ctx, { jsonrpc: '2.0', id, method: 'ping' }, credential, sessionHeaders);
  const method = ['tools', 'resources', 'prompts'].find((c) => ctx.hasCapability(c));
  return (credential, id) => {
    const message: JsonRpcMessage = modernMessage(ctx, method === undefined ? 'server/discover' : `${method}/list`, id);
    return authPost(ctx, message, credential, mirroredHeaders(message, () => undefined));
  };
}

const isServed = (answer: HttpAnswer): boolean => answer.status >= 200 && answer.status < 300;

/**
 * After an authorized start, the same kind of request without the token, or with one the
 * server never issued, must not be served: authorization is checked on every request
 * (AUTH-057, SEC-009, M-AUTH-070, M-SEC-005), and a session id alone never lets a caller in
 * (SEC-010). Which refusal it gets is auth/invalid-token's concern, so any is accepted here.
 */
export default defineCheck({
  id: 'auth/every-request-verified',
  title: 'A request without a valid token is refused, even within an authorized session',
  requirements: ['AUTH-057', 'SEC-009', 'SEC-010', 'M-AUTH-070', 'M-SEC-005'],
  level: 'MUST',
  versions: versionsFrom('2025-03-26'),
  transports: ['http'],
  async run(ctx) {
    await requireProtection(ctx);
    if (userAuthorization(ctx) === undefined) ctx.skip("no Authorization header was given, so no request can be authorized (pass --header 'Authorization: Bearer TOKEN')");
    const session = ctx.era === 'legacy' ? await rawHandshake(ctx) : undefined;
    try {
      const request = requestFor(ctx, session?.headers ?? {});
      const control = request(USER_CREDENTIAL, 2);
      const allowed = await ctx.http(control);
      // Without this, refusals below could be about the request rather than its credential.
      if (!isServed(allowed)) throw new HarnessError('MCPCERT_ERR_TRANSPORT', `the request with the given Authorization header was answered with HTTP ${allowed.status}, so refusals of the same request without it prove nothing`, { status: allowed.status });
      const within = session?.sessionId === undefined ? '' : ' in an authorized session';
      const cases: Array<[Credential, string]> = [
        [NO_CREDENTIAL, `a request without a token${within}`],
        [foreignBearer(), `a request with a token the server never issued${within}`],
      ];
      let id = 3;
      for (const [credential, what] of cases) {
        const spec = request(credential, id++);
        const answer = await ctx.http(spec);
        ctx.expect(!isServed(answer), `${what} was served`, { expected: 'a refusal (HTTP 401): every request is authorized on its own; a session id is no credential', observed: describeRefusal(answer), http: spec });
      }
    } finally {
      if (session !== undefined) await rawTerminate(ctx, session);
    }
  },
});
