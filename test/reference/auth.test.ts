import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { UnauthorizedError, type OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { ClientCredentialsProvider } from '@modelcontextprotocol/sdk/client/auth-extensions.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { OAuthProtectedResourceMetadataSchema, type OAuthClientInformationMixed, type OAuthClientMetadata, type OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseOAuthSpec, staticTokenAuth, AuthConfigError } from '../../reference/auth/config.js';
import { IssuerKeys } from '../../reference/auth/issuer-keys.js';
import { createAuthPolicy } from '../../reference/auth/policy.js';
import type { Connection } from '../../transport/connection.js';
import { TransportError } from '../../transport/errors.js';
import { RpcPeer } from '../../transport/rpc.js';
import { connectSse } from '../../transport/sse/client.js';
import { connectWs } from '../../transport/ws/client.js';
import { runCli } from '../helpers/cli.js';
import { startLocalAs, type LocalAs } from '../helpers/local-as.js';
import { startServe, type Served } from '../helpers/serve.js';

const SCOPES = ['mcp:tools', 'mcp:resources'];
const INIT = { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'auth-test', version: '1' } };
const WAIT_MS = 10_000;

interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

async function post(url: string, message: object, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body: JSON.stringify(message),
    signal: AbortSignal.timeout(WAIT_MS),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

function initialize(url: string, headers: Record<string, string> = {}): Promise<Answer> {
  return post(url, { jsonrpc: '2.0', id: 1, method: 'initialize', params: INIT }, headers);
}

function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

/** The auth-params of a `Bearer` challenge (all values are quoted-strings in ours). */
function challenge(header: string | null): Record<string, string> {
  expect(header).toMatch(/^Bearer( |$)/);
  const params: Record<string, string> = {};
  for (const m of (header ?? '').matchAll(/([a-z_]+)="([^"]*)"/g)) params[m[1]!] = m[2]!;
  return params;
}

/** What the HTTP-based endpoints answer a refused request with. */
async function refusal(promise: Promise<unknown>): Promise<TransportError> {
  const error = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(TransportError);
  return error as TransportError;
}

function httpBase(target: string): string {
  return new URL(target.replace(/^sse\+/, '')).origin;
}

describe('mcpcert serve --auth issuer=… (OAuth 2.1 resource server)', () => {
  let as: LocalAs;
  let served: Served;
  let mcp: string;
  let prmUrl: string;

  beforeAll(async () => {
    as = await startLocalAs({ scopesSupported: SCOPES });
    served = await startServe(['--transport', 'all', '--port', '0', '--auth', `issuer=${as.issuer},scopes=${SCOPES.join(' ')}`], 3);
    mcp = served.targets.http!;
    prmUrl = `${httpBase(mcp)}/.well-known/oauth-protected-resource/mcp`;
  });
  afterAll(async () => {
    await served?.stop();
    await as?.close();
  });

  const valid = (claims: Record<string, unknown> = {}): string => as.mint({ aud: mcp, scope: SCOPES.join(' '), ...claims });

  it('starts http, sse and ws, and leaves tcp out because it cannot carry a token', () => {
    expect(Object.keys(served.targets).sort()).toEqual(['http', 'sse', 'ws']);
    expect(served.stderr()).toMatch(/tcp/);
  });

  it('serves RFC 9728 metadata naming the endpoint and the issuer at the path-suffixed and the root well-known URI', async () => {
    for (const url of [prmUrl, `${httpBase(mcp)}/.well-known/oauth-protected-resource`]) {
      const response = await fetch(url, { signal: AbortSignal.timeout(WAIT_MS) });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      const document = OAuthProtectedResourceMetadataSchema.parse(await response.json());
      expect(document.resource).toBe(mcp);
      expect(document.authorization_servers).toEqual([as.issuer]);
      expect(document.scopes_supported).toEqual(SCOPES);
      expect(document.bearer_methods_supported).toEqual(['header']);
    }
    const other = await fetch(`${httpBase(mcp)}/.well-known/oauth-protected-resource/elsewhere`, { signal: AbortSignal.timeout(WAIT_MS) });
    expect(other.status).toBe(404);
  });

  it('answers a request without a token 401 with a challenge pointing at the metadata and naming the scopes, and no error code', async () => {
    const answer = await initialize(mcp);
    expect(answer.status).toBe(401);
    const params = challenge(answer.headers.get('www-authenticate'));
    expect(params.resource_metadata).toBe(prmUrl);
    expect(params.scope).toBe(SCOPES.join(' '));
    expect(params.error).toBeUndefined();
  });

  it('accepts a valid token: initialize and a request in the session succeed', async () => {
    const token = valid();
    const init = await initialize(mcp, bearer(token));
    expect(init.status).toBe(200);
    const session = init.headers.get('mcp-session-id')!;
    expect(session).toBeTruthy();
    const headers = { ...bearer(token), 'mcp-session-id': session, 'mcp-protocol-version': '2025-11-25' };
    expect((await post(mcp, { jsonrpc: '2.0', method: 'notifications/initialized' }, headers)).status).toBe(202);
    const list = await post(mcp, { jsonrpc: '2.0', id: 2, method: 'tools/list' }, headers);
    expect(list.status).toBe(200);
    expect(JSON.parse(list.text)).toHaveProperty('result.tools');
  });

  it('answers an expired token 401 invalid_token', async () => {
    const now = Math.floor(Date.now() / 1000);
    const answer = await initialize(mcp, bearer(valid({ iat: now - 3600, exp: now - 600 })));
    expect(answer.status).toBe(401);
    const params = challenge(answer.headers.get('www-authenticate'));
    expect(params.error).toBe('invalid_token');
    expect(params.error_description).toMatch(/expired/);
    expect(params.resource_metadata).toBe(prmUrl);
  });

  it('never accepts a token issued for another resource, even another listener of the same server', async () => {
    for (const aud of [`${httpBase(served.targets.sse!)}/sse`, 'http://127.0.0.1:1/mcp', undefined]) {
      const answer = await initialize(mcp, bearer(valid({ aud })));
      expect(answer.status).toBe(401);
      expect(challenge(answer.headers.get('www-authenticate')).error).toBe('invalid_token');
    }
  });

  it('refuses tokens of another issuer, with a signature that does not verify, or with a key id the issuer never published', async () => {
    const tokens = [valid({ iss: 'http://127.0.0.1:1' }), as.mint({ aud: mcp, scope: SCOPES.join(' ') }, { foreignKey: true }), as.mint({ aud: mcp, scope: SCOPES.join(' ') }, { kid: 'nobody' })];
    for (const token of tokens) {
      const answer = await initialize(mcp, bearer(token));
      expect(answer.status).toBe(401);
      expect(challenge(answer.headers.get('www-authenticate')).error).toBe('invalid_token');
    }
  });

  it('answers a malformed token 401 invalid_token and a malformed Authorization header 400 invalid_request', async () => {
    const notJwt = await initialize(mcp, bearer('not-a-jwt'));
    expect(notJwt.status).toBe(401);
    expect(challenge(notJwt.headers.get('www-authenticate')).error).toBe('invalid_token');
    const malformed = await initialize(mcp, { authorization: 'Bearer two words' });
    expect(malformed.status).toBe(400);
    expect(challenge(malformed.headers.get('www-authenticate')).error).toBe('invalid_request');
  });

  it('answers a token without the needed scopes 403 insufficient_scope naming all of them', async () => {
    const answer = await initialize(mcp, bearer(valid({ scope: 'mcp:tools' })));
    expect(answer.status).toBe(403);
    const params = challenge(answer.headers.get('www-authenticate'));
    expect(params.error).toBe('insufficient_scope');
    expect(params.scope).toBe(SCOPES.join(' '));
    expect(params.resource_metadata).toBe(prmUrl);
  });

  it('lets a broader scope cover the narrower ones below it', async () => {
    expect((await initialize(mcp, bearer(valid({ scope: 'mcp' })))).status).toBe(200);
  });

  it('ignores a token in the query string', async () => {
    const answer = await initialize(`${mcp}?access_token=${encodeURIComponent(valid())}`);
    expect(answer.status).toBe(401);
    expect(challenge(answer.headers.get('www-authenticate')).error).toBeUndefined();
  });

  it('never treats a session id as authentication, and binds the session to the principal that opened it', async () => {
    const alice = valid();
    const init = await initialize(mcp, bearer(alice));
    const session = init.headers.get('mcp-session-id')!;
    const list = { jsonrpc: '2.0', id: 2, method: 'tools/list' };
    const sessionHeaders = { 'mcp-session-id': session, 'mcp-protocol-version': '2025-11-25' };
    expect((await post(mcp, list, sessionHeaders)).status).toBe(401);
    expect((await post(mcp, list, { ...sessionHeaders, ...bearer(valid({ sub: 'bob' })) })).status).toBe(403);
    const deleted = await fetch(mcp, { method: 'DELETE', headers: { ...sessionHeaders, ...bearer(valid({ sub: 'bob' })) }, signal: AbortSignal.timeout(WAIT_MS) });
    expect(deleted.status).toBe(403);
    // A fresh token of the same principal may go on using it.
    expect((await post(mcp, list, { ...sessionHeaders, ...bearer(valid()) })).status).toBe(200);
  });

  it('protects the legacy SSE endpoints: the GET stream, and every POST of the session', async () => {
    const sseResource = `${httpBase(served.targets.sse!)}/sse`;
    const missing = await refusal(connectSse(served.targets.sse!, { connectTimeoutMs: WAIT_MS }));
    expect(missing.status).toBe(401);
    expect(challenge(missing.headers?.['www-authenticate'] ?? null).resource_metadata).toBe(`${httpBase(served.targets.sse!)}/.well-known/oauth-protected-resource/sse`);
    const forHttp = await refusal(connectSse(served.targets.sse!, { headers: bearer(valid()), connectTimeoutMs: WAIT_MS }));
    expect(forHttp.status).toBe(401);

    const alice = as.mint({ aud: sseResource, scope: SCOPES.join(' ') });
    const connection = await connectSse(served.targets.sse!, { headers: bearer(alice), connectTimeoutMs: WAIT_MS });
    try {
      const peer = new RpcPeer(connection, { timeoutMs: WAIT_MS });
      expect(await peer.request('initialize', { ...INIT, protocolVersion: '2024-11-05' })).toHaveProperty('protocolVersion', '2024-11-05');
      const endpoint = connection.endpoint!.href;
      const ping = { jsonrpc: '2.0', id: 9, method: 'ping' };
      expect((await post(endpoint, ping)).status).toBe(401);
      expect((await post(endpoint, ping, bearer(as.mint({ aud: sseResource, scope: SCOPES.join(' '), sub: 'bob' })))).status).toBe(403);
      expect(await peer.request('ping')).toEqual({});
    } finally {
      await connection.close();
    }
  });

  it('protects the WebSocket upgrade', async () => {
    const ws = served.targets.ws!;
    const missing = await refusal(connectWs(ws, { handshakeTimeoutMs: WAIT_MS }));
    expect(missing.status).toBe(401);
    expect(challenge(missing.headers?.['www-authenticate'] ?? null).resource_metadata).toBe(`${httpBase(ws.replace(/^ws/, 'http'))}/.well-known/oauth-protected-resource/mcp`);
    const forHttp = await refusal(connectWs(ws, { headers: bearer(valid()), handshakeTimeoutMs: WAIT_MS }));
    expect(forHttp.status).toBe(401);
    const short = await refusal(connectWs(ws, { headers: bearer(as.mint({ aud: ws, scope: 'mcp:tools' })), handshakeTimeoutMs: WAIT_MS }));
    expect(short.status).toBe(403);

    const connection = await connectWs(ws, { headers: bearer(as.mint({ aud: ws, scope: SCOPES.join(' ') })), handshakeTimeoutMs: WAIT_MS });
    try {
      const peer = new RpcPeer(connection, { timeoutMs: WAIT_MS });
      expect(await peer.request('initialize', INIT)).toHaveProperty('protocolVersion', '2025-11-25');
    } finally {
      await connection.close();
    }
  });

  it('closes a WebSocket or SSE stream once the token that opened it expires, since its frames are not re-checked', async () => {
    // Expired 5 s ago: still inside the 30 s clock skew of the check, past the expiry of the connection.
    const exp = Math.floor(Date.now() / 1000) - 5;
    // Each close is awaited from the moment its connection exists, so an early one is not missed.
    const closedBy = (connection: Connection): Promise<string> =>
      new Promise<string>((resolve, reject) => {
        // Closed already, and not by us: the server did it.
        if (connection.closed) return resolve(`${connection.transport} remote`);
        const timer = setTimeout(() => reject(new Error(`${connection.transport} stayed open`)), WAIT_MS);
        connection.once('close', (info) => {
          clearTimeout(timer);
          resolve(`${connection.transport} ${info.by}`);
        });
      });
    const ws = await connectWs(served.targets.ws!, { headers: bearer(as.mint({ aud: served.targets.ws!, scope: SCOPES.join(' '), exp })), handshakeTimeoutMs: WAIT_MS });
    const closed = [closedBy(ws)];
    const sse = await connectSse(served.targets.sse!, { headers: bearer(as.mint({ aud: `${httpBase(served.targets.sse!)}/sse`, scope: SCOPES.join(' '), exp })), connectTimeoutMs: WAIT_MS });
    closed.push(closedBy(sse));
    try {
      expect(await Promise.all(closed)).toEqual(['ws remote', 'sse remote']);
    } finally {
      await Promise.all([ws.close(), sse.close()]);
    }
  });

  it('ends a Streamable HTTP GET stream once the token that opened it expires', async () => {
    const valid = bearer(as.mint({ aud: mcp, scope: SCOPES.join(' ') }));
    const init = await fetch(mcp, {
      method: 'POST',
      headers: { ...valid, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'expiry', version: '1' } } }),
      signal: AbortSignal.timeout(WAIT_MS),
    });
    await init.text();
    const session = init.headers.get('mcp-session-id')!;
    // Expired 5 s ago: accepted within the clock skew, but the stream must not outlive the token.
    const expiring = bearer(as.mint({ aud: mcp, scope: SCOPES.join(' '), exp: Math.floor(Date.now() / 1000) - 5 }));
    const get = await fetch(mcp, { headers: { ...expiring, accept: 'text/event-stream', 'mcp-session-id': session, 'mcp-protocol-version': '2025-11-25' }, signal: AbortSignal.timeout(WAIT_MS) });
    expect(get.status).toBe(200);
    await get.text(); // resolves only when the server ends the stream
  });

  it("completes the official SDK client's authorization-code flow (PRM → AS metadata → DCR → PKCE → token for this resource) and lists tools", async () => {
    const provider = new InMemoryProvider(as.issuer);
    const first = new StreamableHTTPClientTransport(new URL(mcp), { authProvider: provider });
    const client = new Client({ name: 'auth-test', version: '1' });
    await expect(client.connect(first)).rejects.toBeInstanceOf(UnauthorizedError);
    expect(provider.code).toBeDefined();
    await first.finishAuth(provider.code!);
    await client.close();

    const authorize = as.requests.authorize.at(-1)!;
    expect(authorize.get('code_challenge_method')).toBe('S256');
    expect(authorize.get('resource')).toBe(mcp);
    expect(authorize.get('scope')).toBe(SCOPES.join(' '));
    expect(as.requests.token.at(-1)!.get('resource')).toBe(mcp);
    const payload = JSON.parse(Buffer.from(provider.tokens()!.access_token.split('.')[1]!, 'base64url').toString('utf8')) as { aud: string };
    expect(payload.aud).toBe(mcp);

    const second = new StreamableHTTPClientTransport(new URL(mcp), { authProvider: provider });
    const authorized = new Client({ name: 'auth-test', version: '1' });
    await authorized.connect(second);
    try {
      const { tools } = await authorized.listTools();
      expect(tools.length).toBeGreaterThan(0);
    } finally {
      await authorized.close();
    }
  });

  it("completes the official SDK client's client_credentials flow with a pre-registered client", async () => {
    const registered = as.register({ grant_types: ['client_credentials'], token_endpoint_auth_method: 'client_secret_basic' });
    const provider = new ClientCredentialsProvider({ clientId: registered.client_id, clientSecret: registered.client_secret!, scope: SCOPES.join(' '), expectedIssuer: as.issuer });
    const client = new Client({ name: 'auth-test', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(mcp), { authProvider: provider }));
    try {
      expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    } finally {
      await client.close();
    }
  });

  it('exits 0 on SIGTERM, leaving no connection to the issuer open', async () => {
    expect(as.requests.jwks).toBeGreaterThan(0);
    expect(await served.stop()).toBe(0);
  });
});

/**
 * An OAuthClientProvider kept in memory. Its "browser" follows the authorization URL with a
 * plain fetch (the local AS approves at once), checks `state` and `iss` (RFC 9207), and keeps
 * the code for finishAuth.
 */
class InMemoryProvider implements OAuthClientProvider {
  readonly redirectUrl = 'http://127.0.0.1:9/callback';
  readonly #issuer: string;
  #client: OAuthClientInformationMixed | undefined;
  #tokens: OAuthTokens | undefined;
  #verifier = '';
  #state = '';
  code: string | undefined;

  constructor(issuer: string) {
    this.#issuer = issuer;
  }

  get clientMetadata(): OAuthClientMetadata {
    return { client_name: 'mcpcert auth test', redirect_uris: [this.redirectUrl], grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'none' };
  }

  state(): string {
    this.#state = randomUUID();
    return this.#state;
  }

  clientInformation(): OAuthClientInformationMixed | undefined {
    return this.#client;
  }

  saveClientInformation(info: OAuthClientInformationMixed): void {
    this.#client = info;
  }

  tokens(): OAuthTokens | undefined {
    return this.#tokens;
  }

  saveTokens(tokens: OAuthTokens): void {
    this.#tokens = tokens;
  }

  saveCodeVerifier(verifier: string): void {
    this.#verifier = verifier;
  }

  codeVerifier(): string {
    return this.#verifier;
  }

  async redirectToAuthorization(url: URL): Promise<void> {
    const response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(WAIT_MS) });
    await response.body?.cancel();
    const back = new URL(response.headers.get('location') ?? 'about:blank');
    if (back.searchParams.get('state') !== this.#state || back.searchParams.get('iss') !== this.#issuer) throw new Error(`unexpected authorization response ${back.href}`);
    this.code = back.searchParams.get('code') ?? undefined;
  }
}

describe('mcpcert serve --auth-token T (static bearer token)', () => {
  let served: Served;
  beforeAll(async () => {
    served = await startServe(['--transport', 'all', '--port', '0', '--auth-token', 's3cret-Token'], 3);
  });
  afterAll(async () => {
    await served?.stop();
  });

  it('answers no token 401 with a Bearer challenge, a wrong one 401 invalid_token, and the right one 200', async () => {
    const mcp = served.targets.http!;
    const none = await initialize(mcp);
    expect(none.status).toBe(401);
    expect(challenge(none.headers.get('www-authenticate'))).toEqual({ realm: 'mcpcert' });
    const wrong = await initialize(mcp, bearer('s3cret-Tokem'));
    expect(wrong.status).toBe(401);
    expect(challenge(wrong.headers.get('www-authenticate')).error).toBe('invalid_token');
    expect((await initialize(mcp, bearer('s3cret-Token'))).status).toBe(200);
  });

  it('serves no protected resource metadata, having no authorization server to name', async () => {
    const response = await fetch(`${httpBase(served.targets.http!)}/.well-known/oauth-protected-resource/mcp`, { signal: AbortSignal.timeout(WAIT_MS) });
    expect(response.status).toBe(404);
  });

  it('protects the SSE and WebSocket endpoints as well', async () => {
    expect((await refusal(connectSse(served.targets.sse!, { connectTimeoutMs: WAIT_MS }))).status).toBe(401);
    expect((await refusal(connectWs(served.targets.ws!, { handshakeTimeoutMs: WAIT_MS }))).status).toBe(401);
    const ws = await connectWs(served.targets.ws!, { headers: bearer('s3cret-Token'), handshakeTimeoutMs: WAIT_MS });
    const sse = await connectSse(served.targets.sse!, { headers: bearer('s3cret-Token'), connectTimeoutMs: WAIT_MS });
    try {
      expect(await new RpcPeer(ws, { timeoutMs: WAIT_MS }).request('initialize', INIT)).toHaveProperty('protocolVersion');
      expect(await new RpcPeer(sse, { timeoutMs: WAIT_MS }).request('initialize', { ...INIT, protocolVersion: '2024-11-05' })).toHaveProperty('protocolVersion');
    } finally {
      await ws.close();
      await sse.close();
    }
  });
});

describe('mcpcert serve authorization usage errors', () => {
  it('exits 2 for auth on stdio or tcp, both modes at once, or an issuer reached over plain http off loopback', async () => {
    const cases = [
      ['--transport', 'stdio', '--auth-token', 't'],
      ['--transport', 'tcp', '--auth-token', 't'],
      ['--auth-token', 't', '--auth', 'issuer=http://127.0.0.1:9'],
      ['--auth', 'issuer=http://auth.example.com'],
    ];
    for (const args of cases) {
      const result = await runCli(['serve', ...args]);
      expect({ args, code: result.code }).toEqual({ args, code: 2 });
      expect(result.stderr).toMatch(/serve: /);
    }
  });
});

function request(authorization?: string): IncomingMessage {
  return { headers: authorization === undefined ? {} : { authorization } } as IncomingMessage;
}

describe('createAuthPolicy', () => {
  let as: LocalAs;
  let resource: string;
  beforeAll(async () => {
    as = await startLocalAs({ alg: 'ES256' });
    resource = 'http://127.0.0.1:4321/mcp';
  });
  afterAll(async () => {
    await as?.close();
  });

  it('verifies ES256 tokens and gives the principal issuer, subject, client, scopes and expiry', async () => {
    const policy = createAuthPolicy(parseOAuthSpec(`issuer=${as.issuer}`), { resource });
    const exp = Math.floor(Date.now() / 1000) + 120;
    const decision = await policy.authorize(request(`Bearer ${as.mint({ aud: resource, exp, client_id: 'c1', scope: 'x y' })}`));
    expect(decision).toEqual({ ok: true, principal: { id: `${as.issuer} alice`, subject: 'alice', clientId: 'c1', scopes: ['x', 'y'], expiresAt: exp * 1000 } });
  });

  it('accepts an audience list that names this resource, with an upper-case scheme and host', async () => {
    const policy = createAuthPolicy(parseOAuthSpec(`issuer=${as.issuer}`), { resource });
    const decision = await policy.authorize(request(`Bearer ${as.mint({ aud: ['https://other.example/api', 'HTTP://127.0.0.1:4321/mcp'] })}`));
    expect(decision.ok).toBe(true);
  });

  it('allows a small clock skew on exp and nbf, and no more', async () => {
    const now = Date.now();
    const sec = Math.floor(now / 1000);
    const policy = createAuthPolicy(parseOAuthSpec(`issuer=${as.issuer}`), { resource }, { now: () => now });
    const verdict = async (claims: Record<string, unknown>): Promise<number> => {
      const decision = await policy.authorize(request(`Bearer ${as.mint({ aud: resource, ...claims })}`));
      return decision.ok ? 200 : decision.status;
    };
    expect(await verdict({ exp: sec - 10 })).toBe(200);
    expect(await verdict({ exp: sec - 60 })).toBe(401);
    expect(await verdict({ nbf: sec + 10 })).toBe(200);
    expect(await verdict({ nbf: sec + 60 })).toBe(401);
    expect(await verdict({ exp: undefined })).toBe(401);
    expect(await verdict({ sub: undefined })).toBe(401);
  });

  it('refuses unsigned, HMAC and non-access-token JWTs', async () => {
    const policy = createAuthPolicy(parseOAuthSpec(`issuer=${as.issuer}`), { resource });
    const header = (h: object): string => Buffer.from(JSON.stringify(h)).toString('base64url');
    const body = Buffer.from(JSON.stringify({ iss: as.issuer, sub: 'alice', aud: resource, exp: Math.floor(Date.now() / 1000) + 60 })).toString('base64url');
    const tokens = [`${header({ alg: 'none' })}.${body}.`, `${header({ alg: 'HS256' })}.${body}.c2ln`, as.mint({ aud: resource }, { typ: 'id_token+jwt' })];
    for (const token of tokens) {
      const decision = await policy.authorize(request(`Bearer ${token}`));
      expect(decision).toMatchObject({ ok: false, status: 401 });
    }
  });

  it('fetches the key set again for a rotated key, but at most once per interval for unknown key ids', async () => {
    const config = parseOAuthSpec(`issuer=${as.issuer}`);
    const eager = createAuthPolicy(config, { resource }, { keys: new IssuerKeys({ issuer: as.issuer, minRefreshIntervalMs: 0 }) });
    expect((await eager.authorize(request(`Bearer ${as.mint({ aud: resource })}`))).ok).toBe(true);
    as.rotateKey();
    expect((await eager.authorize(request(`Bearer ${as.mint({ aud: resource })}`))).ok).toBe(true);

    const keys = new IssuerKeys({ issuer: as.issuer, minRefreshIntervalMs: 60_000 });
    const patient = createAuthPolicy(config, { resource }, { keys });
    expect((await patient.authorize(request(`Bearer ${as.mint({ aud: resource })}`))).ok).toBe(true);
    const before = as.requests.jwks;
    const decisions = await Promise.all(Array.from({ length: 5 }, (_, i) => patient.authorize(request(`Bearer ${as.mint({ aud: resource }, { kid: `made-up-${i}` })}`))));
    expect(decisions.map((d) => (d.ok ? 200 : d.status))).toEqual([401, 401, 401, 401, 401]);
    expect(as.requests.jwks).toBe(before);
  });

  it('answers 503 when the issuer cannot be reached, rather than calling the token invalid', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', () => resolve()));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const issuer = `http://127.0.0.1:${port}`;
    const policy = createAuthPolicy(parseOAuthSpec(`issuer=${issuer}`), { resource }, { keys: new IssuerKeys({ issuer, fetchTimeoutMs: 2000 }) });
    const decision = await policy.authorize(request(`Bearer ${as.mint({ iss: issuer, aud: resource })}`));
    expect(decision).toMatchObject({ ok: false, status: 503, headers: { 'retry-after': '10' } });
  });

  it('static token mode: compares the whole token, and names one fixed principal', async () => {
    const policy = createAuthPolicy(staticTokenAuth('abc'), { resource });
    expect(policy.metadata).toBeUndefined();
    expect(await policy.authorize(request('Bearer abc'))).toEqual({ ok: true, principal: { id: 'static-token', subject: 'static-token', scopes: [] } });
    for (const wrong of ['Bearer ab', 'Bearer abcd', 'Bearer ABC']) expect(await policy.authorize(request(wrong))).toMatchObject({ ok: false, status: 401 });
    expect(await policy.authorize(request('Basic YWJjOmFiYw=='))).toMatchObject({ ok: false, status: 401, headers: { 'www-authenticate': 'Bearer realm="mcpcert"' } });
  });

  it('parses --auth and refuses what cannot work', () => {
    expect(parseOAuthSpec('issuer=https://auth.example.com/tenant,audience=https://mcp.example.com/mcp,scopes=a b:c')).toEqual({
      mode: 'oauth',
      issuer: 'https://auth.example.com/tenant',
      audience: 'https://mcp.example.com/mcp',
      scopes: ['a', 'b:c'],
    });
    for (const bad of ['', 'audience=http://127.0.0.1:9/mcp', 'issuer=http://127.0.0.1:9,scopes=a "b"', 'issuer=ftp//x', 'issuer=http://auth.example.com', 'issuer=https://a.example?x=1', 'issuer=https://a.example,issuer=https://b.example', 'issuer=https://a.example,colour=blue']) {
      expect(() => parseOAuthSpec(bad)).toThrow(AuthConfigError);
    }
    for (const bad of ['', 'has space', 'a=b']) expect(() => staticTokenAuth(bad)).toThrow(AuthConfigError);
  });
});
