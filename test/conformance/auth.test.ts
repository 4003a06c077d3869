/**
 * The authorization checks: the reference server passes them as an OAuth resource server (with
 * a local authorization server) and with a static token; a proxy in front of it that breaks one
 * rule makes exactly the check judging that rule fail; an unprotected server skips them all.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Check } from '../../conformance/check.js';
import { checks as AUTH_CHECKS } from '../../conformance/checks/auth/index.js';
import everyRequestVerified from '../../conformance/checks/auth/every-request-verified.js';
import invalidToken from '../../conformance/checks/auth/invalid-token.js';
import malformedAuthorization from '../../conformance/checks/auth/malformed-authorization.js';
import protectedResourceMetadata from '../../conformance/checks/auth/protected-resource-metadata.js';
import foreignTokenRefused from '../../conformance/checks/auth/foreign-token-refused.js';
import { parseChallenges } from '../../conformance/kit/auth.js';
import type { VersionMode } from '../../conformance/negotiate.js';
import { runSuite } from '../../conformance/runner.js';
import { parseTarget } from '../../conformance/target.js';
import type { CheckResult } from '../../reports/model.js';
import { startLocalAs, type LocalAs } from '../helpers/local-as.js';
import { startServe, type Served } from '../helpers/serve.js';

const TOOL = { name: 'mcpcert', version: '0.0.0-test' };
const SCOPES = ['mcp:tools', 'mcp:resources'];
const VERSIONS = ['2025-11-25', '2026-07-28'] as const;

async function run(url: string, token: string | undefined, version: VersionMode, checks: readonly Check[] = AUTH_CHECKS, foreignToken?: string): Promise<CheckResult[]> {
  const target = parseTarget(url, { ...(token === undefined ? {} : { headers: { Authorization: `Bearer ${token}` } }), ...(foreignToken === undefined ? {} : { foreignToken }) });
  const { report, unreachable } = await runSuite({ targets: [target], checks, protocolVersion: version, timeoutMs: 5000, tool: TOOL });
  expect(unreachable).toBe(false);
  return report.results;
}

/** `status check: message` for each result, to compare whole runs at once. */
function outcomes(results: readonly CheckResult[]): string[] {
  return results.map((r) => `${r.status} ${r.check}${r.status === 'pass' ? '' : `: ${r.message}`}`);
}

interface Breakage {
  /** Swap whatever Authorization header a request carries for the valid token. */
  acceptAnyToken?: boolean;
  /** Give a request that carries a session id but no Authorization header the valid token. */
  sessionAuthenticates?: boolean;
  /** Answer a refused token with 500, as a verifier that throws a plain error would. */
  invalidTokenCrashes?: boolean;
  /** Strip WWW-Authenticate from every answer. */
  dropChallenge?: boolean;
  /** Remove authorization_servers from the metadata document. */
  noAuthorizationServers?: boolean;
  /** Name another resource in the metadata document. */
  foreignResource?: boolean;
}

interface Proxy {
  url: string;
  close(): Promise<void>;
}

/**
 * A reverse proxy in front of the protected reference server: it presents the upstream's
 * origin as its own (in challenges and metadata) so that, unbroken, it is a faithful copy.
 */
async function proxy(upstream: string, token: string, breakage: Breakage): Promise<Proxy> {
  const base = new URL(upstream);
  let origin = '';
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string' && !['host', 'content-length', 'connection'].includes(name)) headers[name] = value;
    if (breakage.acceptAnyToken && headers.authorization !== undefined) headers.authorization = `Bearer ${token}`;
    if (breakage.sessionAuthenticates && headers['mcp-session-id'] !== undefined && headers.authorization === undefined) headers.authorization = `Bearer ${token}`;
    const answer = await fetch(new URL(req.url ?? '/', base), { method: req.method ?? 'GET', headers, body: req.method === 'POST' ? Buffer.concat(chunks) : undefined, redirect: 'manual' });
    const out: Record<string, string> = {};
    answer.headers.forEach((value, name) => {
      if (!['content-length', 'transfer-encoding', 'content-encoding', 'connection', 'keep-alive'].includes(name)) out[name] = value.replaceAll(base.origin, origin);
    });
    if (breakage.dropChallenge) delete out['www-authenticate'];
    if (breakage.invalidTokenCrashes && answer.status === 401 && headers.authorization !== undefined) {
      await answer.body?.cancel();
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'server_error', error_description: 'Internal Server Error' }));
      return;
    }
    if ((req.url ?? '').startsWith('/.well-known/') && answer.status === 200) {
      const document = JSON.parse((await answer.text()).replaceAll(base.origin, origin)) as Record<string, unknown>;
      if (breakage.noAuthorizationServers) delete document.authorization_servers;
      if (breakage.foreignResource) document.resource = 'https://elsewhere.example/mcp';
      res.writeHead(200, out);
      res.end(JSON.stringify(document));
      return;
    }
    res.writeHead(answer.status, out);
    if (answer.body === null) return void res.end();
    const reader = answer.body.getReader();
    res.on('close', () => void reader.cancel().catch(() => undefined));
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      res.write(value);
    }
    res.end();
  };
  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${origin}${base.pathname}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('parseChallenges', () => {
  it('reads several challenges, quoted and bare parameters, and a token68', () => {
    expect(parseChallenges('Basic dXNlcjpwdw==, Bearer realm="a, \\"b\\"", error=invalid_token, resource_metadata="https://x/.well-known/oauth-protected-resource"')).toEqual([
      { scheme: 'Basic', token68: 'dXNlcjpwdw==', params: {} },
      { scheme: 'Bearer', params: { realm: 'a, "b"', error: 'invalid_token', resource_metadata: 'https://x/.well-known/oauth-protected-resource' } },
    ]);
    expect(parseChallenges('Bearer')).toEqual([{ scheme: 'Bearer', params: {} }]);
  });
});

describe('the auth checks against the reference server as an OAuth resource server', () => {
  let as: LocalAs;
  let served: Served;
  let mcp: string;
  let token: string;
  /** Signed by the same authorization server, for another resource: audience validation must refuse it. */
  let foreign: string;
  const closers: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    as = await startLocalAs({ scopesSupported: SCOPES });
    served = await startServe(['--transport', 'http', '--port', '0', '--auth', `issuer=${as.issuer},scopes=${SCOPES.join(' ')}`], 1);
    mcp = served.targets.http!;
    token = as.mint({ aud: mcp, scope: SCOPES.join(' ') });
    foreign = as.mint({ aud: 'https://other-resource.example/mcp', scope: SCOPES.join(' ') });
  });
  afterAll(async () => {
    await Promise.all(closers.map((c) => c()));
    await served?.stop();
    await as?.close();
  });

  async function broken(breakage: Breakage): Promise<string> {
    const p = await proxy(mcp, token, breakage);
    closers.push(p.close);
    return p.url;
  }

  it.each(VERSIONS)('passes every auth check at %s, directly and through the unbroken proxy (the control)', async (version) => {
    const all = AUTH_CHECKS.map((c) => `pass ${c.id}`);
    expect(outcomes(await run(mcp, token, version, AUTH_CHECKS, foreign))).toEqual(all);
    expect(outcomes(await run(await broken({}), token, version, AUTH_CHECKS, foreign))).toEqual(all);
  });

  it('passes at 2025-03-26 and 2025-06-18 too', async () => {
    // Protected Resource Metadata and audience binding (RFC 8707) arrived with 2025-06-18.
    expect(outcomes(await run(mcp, token, '2025-03-26', AUTH_CHECKS, foreign))).toEqual(AUTH_CHECKS.filter((c) => c !== protectedResourceMetadata && c !== foreignTokenRefused).map((c) => `pass ${c.id}`));
    expect(outcomes(await run(mcp, token, '2025-06-18', AUTH_CHECKS, foreign))).toEqual(AUTH_CHECKS.map((c) => `pass ${c.id}`));
  });

  it('skips the audience check without --foreign-token, saying what it needs', async () => {
    const results = await run(mcp, token, '2025-11-25', [foreignTokenRefused]);
    expect(results).toMatchObject([{ status: 'skip', message: expect.stringMatching(/^no --foreign-token was given/) }]);
  });

  it.each([
    ['accepts any token', invalidToken.id, '2025-11-25', { acceptAnyToken: true }, /random Bearer token the server cannot have issued was served/, 'AUTH-034'],
    ['accepts any token', invalidToken.id, '2026-07-28', { acceptAnyToken: true }, /random Bearer token the server cannot have issued was served/, 'M-AUTH-030'],
    ['accepts any token', malformedAuthorization.id, '2025-11-25', { acceptAnyToken: true }, /"Authorization: Bearer" was served/, 'AUTH-038'],
    ['accepts any token', everyRequestVerified.id, '2025-11-25', { acceptAnyToken: true }, /a token the server never issued in an authorized session was served/, 'AUTH-057'],
    ['accepts any token', everyRequestVerified.id, '2026-07-28', { acceptAnyToken: true }, /a token the server never issued was served/, 'M-SEC-005'],
    ['lets a session id stand for the token', everyRequestVerified.id, '2025-11-25', { sessionAuthenticates: true }, /without a token in an authorized session was served/, 'SEC-010'],
    ['answers 401 without WWW-Authenticate', invalidToken.id, '2025-11-25', { dropChallenge: true }, /without a token was answered 401 without a WWW-Authenticate challenge/, 'AUTH-034'],
    ['answers an invalid token 500', invalidToken.id, '2026-07-28', { invalidTokenCrashes: true }, /invalid Bearer token was answered with HTTP 500/, 'M-AUTH-038'],
    ['serves metadata without authorization_servers', protectedResourceMetadata.id, '2025-11-25', { noAuthorizationServers: true }, /has no authorization_servers/, 'AUTH-008'],
    ['serves metadata without authorization_servers', protectedResourceMetadata.id, '2026-07-28', { noAuthorizationServers: true }, /has no authorization_servers/, 'M-AUTH-045'],
    ['accepts a token issued for another resource', foreignTokenRefused.id, '2025-11-25', { acceptAnyToken: true }, /token issued for another resource \(--foreign-token\) was served/, 'AUTH-033'],
    ['accepts a token issued for another resource', foreignTokenRefused.id, '2026-07-28', { acceptAnyToken: true }, /token issued for another resource \(--foreign-token\) was served/, 'M-AUTH-029'],
    ['serves metadata naming another resource', protectedResourceMetadata.id, '2025-11-25', { foreignResource: true }, /names the resource "https:\/\/elsewhere.example\/mcp", not this server/, 'AUTH-004'],
  ] as const)('a server that %s fails %s at %s', async (_what, checkId, version, breakage, message, requirement) => {
    const url = await broken(breakage);
    const results = await run(url, token, version, AUTH_CHECKS, foreign);
    const failed = results.filter((r) => r.status !== 'pass');
    expect(failed.map((r) => r.check)).toContain(checkId);
    const result = failed.find((r) => r.check === checkId)!;
    expect(result.status).toBe('fail');
    expect(result.message).toMatch(message);
    expect(result.requirements).toContain(requirement);
    expect(result.evidence!.failures[0]!.expected).toBeTruthy();
    expect(result.repro!.curl).toMatch(/^curl -sS -i -X (POST|GET) /);
    // The user's tokens never reach the report.
    expect(JSON.stringify(result)).not.toContain(token);
    expect(JSON.stringify(result)).not.toContain(foreign);
  });

  it('fails nothing but the broken rule: each breakage leaves the other checks passing', async () => {
    const cases: Array<[Breakage, string[]]> = [
      [{ sessionAuthenticates: true }, [everyRequestVerified.id]],
      [{ dropChallenge: true }, [invalidToken.id]],
      [{ invalidTokenCrashes: true }, [invalidToken.id]],
      [{ noAuthorizationServers: true }, [protectedResourceMetadata.id]],
      [{ acceptAnyToken: true }, [invalidToken.id, malformedAuthorization.id, everyRequestVerified.id, foreignTokenRefused.id]],
    ];
    for (const [breakage, expected] of cases) {
      const results = await run(await broken(breakage), token, '2025-11-25', AUTH_CHECKS, foreign);
      expect({ breakage, failed: results.filter((r) => r.status !== 'pass').map((r) => r.check) }).toEqual({ breakage, failed: expected });
    }
  });
});

describe('the auth checks against the reference server with a static token', () => {
  let served: Served;
  beforeAll(async () => {
    served = await startServe(['--transport', 'http', '--port', '0', '--auth-token', 's3cret-Token'], 1);
  });
  afterAll(async () => {
    await served?.stop();
  });

  it.each(VERSIONS)('passes the token checks at %s and skips the metadata check, there being no authorization server to name', async (version) => {
    const results = await run(served.targets.http!, 's3cret-Token', version);
    expect(outcomes(results.filter((r) => r.check !== protectedResourceMetadata.id && r.check !== foreignTokenRefused.id))).toEqual([invalidToken, malformedAuthorization, everyRequestVerified].map((c) => `pass ${c.id}`));
    expect(results.find((r) => r.check === protectedResourceMetadata.id)).toMatchObject({ status: 'skip', message: expect.stringMatching(/offers no Protected Resource Metadata .* does not use MCP's OAuth authorization/) });
  });
});

describe('the auth checks against an unprotected server', () => {
  let served: Served;
  beforeAll(async () => {
    served = await startServe(['--transport', 'http', '--port', '0'], 1);
  });
  afterAll(async () => {
    await served?.stop();
  });

  it.each(VERSIONS)('skips every auth check at %s, saying the target does not require authorization', async (version) => {
    const results = await run(served.targets.http!, undefined, version);
    expect(results.map((r) => r.check)).toEqual(AUTH_CHECKS.map((c) => c.id));
    for (const result of results) expect(result).toMatchObject({ status: 'skip', message: expect.stringMatching(/^the target does not require authorization \((initialize|server\/discover) without an Authorization header was answered with HTTP 200, not 401\)$/) });
  });
});
