/**
 * A small OAuth 2.1 authorization server for tests, in process on 127.0.0.1 port 0: RFC 8414
 * metadata, a JWKS, dynamic client registration (RFC 7591), an authorization endpoint that
 * approves at once (PKCE S256 required, `iss` in the response per RFC 9207), and a token
 * endpoint for `authorization_code` and `client_credentials` that puts the RFC 8707 `resource`
 * into `aud`. Access tokens are JWTs (`typ: at+jwt`) signed with node:crypto. `mint` makes any
 * token a test needs (expired, for another audience, without scopes, signed by a stranger).
 */
import { createHash, generateKeyPairSync, randomBytes, randomUUID, sign, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type SigningAlgorithm = 'RS256' | 'ES256';

export interface LocalAsOptions {
  alg?: SigningAlgorithm;
  /** The user every authorization is granted for (default `alice`). */
  subject?: string;
  /** Advertised as `scopes_supported`. */
  scopesSupported?: string[];
  /** Lifetime of issued access tokens in seconds (default 300). */
  tokenLifetimeSec?: number;
}

export interface MintOptions {
  /** Sign with a key the AS never published (the signature cannot verify). */
  foreignKey?: boolean;
  /** Override the `kid` header (default: the current key's). */
  kid?: string;
  /** Override the `alg` header (the signature is still made with the current key). */
  alg?: string;
  typ?: string;
}

export interface RegisteredClient {
  client_id: string;
  client_secret?: string;
  redirect_uris: string[];
  token_endpoint_auth_method: string;
  grant_types: string[];
}

export interface LocalAs {
  readonly issuer: string;
  /** A signed access token: `iss`, `sub`, `iat`, `exp` (+5 min), `jti`, then `claims` (an `undefined` value removes a claim). */
  mint(claims?: Record<string, unknown>, options?: MintOptions): string;
  /** Registers a client directly (a pre-registered client). */
  register(client: Partial<RegisteredClient> & { grant_types: string[] }): RegisteredClient;
  /** Replaces the signing key (new kid) and publishes only the new one. */
  rotateKey(): void;
  readonly requests: { metadata: number; jwks: number; register: number; authorize: URLSearchParams[]; token: URLSearchParams[] };
  close(): Promise<void>;
}

interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

interface PendingCode {
  clientId: string;
  redirectUri: string;
  challenge: string;
  scope: string | undefined;
  resource: string | undefined;
  expiresAt: number;
}

const MAX_BODY_BYTES = 64 * 1024;

function newKey(alg: SigningAlgorithm): SigningKey {
  const pair = alg === 'RS256' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { kid: randomUUID(), ...pair };
}

function b64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

function signJwt(header: Record<string, unknown>, claims: Record<string, unknown>, key: KeyObject, alg: SigningAlgorithm): string {
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  const signature = alg === 'RS256' ? sign('sha256', Buffer.from(input), key) : sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
  return `${input}.${b64url(signature)}`;
}

function readBody(request: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        request.destroy();
        resolve(undefined);
      } else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', () => resolve(undefined));
  });
}

function json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text), ...headers });
  response.end(text);
}

function oauthError(response: ServerResponse, status: number, error: string, description: string): void {
  json(response, status, { error, error_description: description });
}

export async function startLocalAs(options: LocalAsOptions = {}): Promise<LocalAs> {
  const alg = options.alg ?? 'RS256';
  const subject = options.subject ?? 'alice';
  const lifetime = options.tokenLifetimeSec ?? 300;
  let key = newKey(alg);
  const stranger = newKey(alg);
  const clients = new Map<string, RegisteredClient>();
  const codes = new Map<string, PendingCode>();
  const requests: LocalAs['requests'] = { metadata: 0, jwks: 0, register: 0, authorize: [], token: [] };
  let issuer = '';

  const mint = (claims: Record<string, unknown> = {}, mintOptions: MintOptions = {}): string => {
    const now = Math.floor(Date.now() / 1000);
    const payload: Record<string, unknown> = { iss: issuer, sub: subject, iat: now, exp: now + lifetime, jti: randomUUID() };
    for (const [name, value] of Object.entries(claims)) {
      if (value === undefined) delete payload[name];
      else payload[name] = value;
    }
    const signer = mintOptions.foreignKey ? stranger : key;
    const header = { alg: mintOptions.alg ?? alg, typ: mintOptions.typ ?? 'at+jwt', kid: mintOptions.kid ?? signer.kid };
    return signJwt(header, payload, signer.privateKey, alg);
  };

  const register = (client: Partial<RegisteredClient> & { grant_types: string[] }): RegisteredClient => {
    const method = client.token_endpoint_auth_method ?? 'client_secret_basic';
    const full: RegisteredClient = {
      client_id: client.client_id ?? `client-${randomUUID()}`,
      redirect_uris: client.redirect_uris ?? [],
      token_endpoint_auth_method: method,
      grant_types: client.grant_types,
    };
    if (method !== 'none') full.client_secret = client.client_secret ?? b64url(randomBytes(24));
    clients.set(full.client_id, full);
    return full;
  };

  const metadata = (): Record<string, unknown> => ({
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    registration_endpoint: `${issuer}/register`,
    jwks_uri: `${issuer}/jwks`,
    response_types_supported: ['code'],
    grant_types_supported: ['authorization_code', 'client_credentials'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['none', 'client_secret_basic', 'client_secret_post'],
    authorization_response_iss_parameter_supported: true,
    ...(options.scopesSupported ? { scopes_supported: options.scopesSupported } : {}),
  });

  const jwks = (): Record<string, unknown> => ({ keys: [{ ...key.publicKey.export({ format: 'jwk' }), kid: key.kid, alg, use: 'sig' }] });

  /** The client a token request authenticates as (RFC 6749 §2.3.1: Basic or body), or a reason it does not. */
  const authenticate = (request: IncomingMessage, form: URLSearchParams): RegisteredClient | string => {
    let id = form.get('client_id') ?? undefined;
    let secret = form.get('client_secret') ?? undefined;
    const basic = /^Basic\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    if (basic) {
      const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      id = decodeURIComponent(decoded.slice(0, colon));
      secret = decodeURIComponent(decoded.slice(colon + 1));
    }
    const client = id === undefined ? undefined : clients.get(id);
    if (!client) return 'unknown client';
    if (client.token_endpoint_auth_method !== 'none' && secret !== client.client_secret) return 'bad client credentials';
    return client;
  };

  const issue = (response: ServerResponse, client: RegisteredClient, scope: string | undefined, resource: string | undefined): void => {
    const claims: Record<string, unknown> = { client_id: client.client_id, scope };
    if (resource !== undefined) claims.aud = resource;
    if (client.grant_types.includes('client_credentials') && !client.grant_types.includes('authorization_code')) claims.sub = client.client_id;
    json(response, 200, { access_token: mint(claims), token_type: 'Bearer', expires_in: lifetime, ...(scope ? { scope } : {}) });
  };

  const handleAuthorize = (url: URL, response: ServerResponse): void => {
    const params = url.searchParams;
    requests.authorize.push(params);
    const client = clients.get(params.get('client_id') ?? '');
    const redirectUri = params.get('redirect_uri') ?? '';
    // OAuth 2.1 §7.12.2: never redirect to an unregistered URI; answer here instead.
    if (!client || !client.redirect_uris.includes(redirectUri)) return oauthError(response, 400, 'invalid_request', 'unknown client or unregistered redirect_uri');
    const back = new URL(redirectUri);
    const state = params.get('state');
    if (state !== null) back.searchParams.set('state', state);
    back.searchParams.set('iss', issuer);
    const challenge = params.get('code_challenge');
    if (params.get('response_type') !== 'code' || challenge === null || params.get('code_challenge_method') !== 'S256') {
      back.searchParams.set('error', 'invalid_request');
      back.searchParams.set('error_description', 'response_type=code with an S256 code_challenge is required');
    } else {
      const code = b64url(randomBytes(24));
      codes.set(code, { clientId: client.client_id, redirectUri, challenge, scope: params.get('scope') ?? undefined, resource: params.get('resource') ?? undefined, expiresAt: Date.now() + 60_000 });
      back.searchParams.set('code', code);
    }
    response.writeHead(302, { location: back.href, 'content-length': 0 });
    response.end();
  };

  const handleToken = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const body = await readBody(request);
    if (body === undefined) return oauthError(response, 400, 'invalid_request', 'unreadable body');
    const form = new URLSearchParams(body);
    requests.token.push(form);
    const client = authenticate(request, form);
    if (typeof client === 'string') return oauthError(response, 401, 'invalid_client', client);
    const grant = form.get('grant_type');
    const resource = form.get('resource') ?? undefined;
    if (grant === 'client_credentials') {
      if (!client.grant_types.includes('client_credentials') || client.token_endpoint_auth_method === 'none') return oauthError(response, 400, 'unauthorized_client', 'client_credentials needs a confidential client registered for it');
      return issue(response, client, form.get('scope') ?? undefined, resource);
    }
    if (grant !== 'authorization_code') return oauthError(response, 400, 'unsupported_grant_type', `grant_type ${grant ?? '(none)'} is not supported`);
    const code = codes.get(form.get('code') ?? '');
    codes.delete(form.get('code') ?? '');
    if (!code || code.expiresAt < Date.now() || code.clientId !== client.client_id) return oauthError(response, 400, 'invalid_grant', 'unknown, expired or foreign code');
    if (form.get('redirect_uri') !== code.redirectUri) return oauthError(response, 400, 'invalid_grant', 'redirect_uri differs from the authorization request');
    const verifier = form.get('code_verifier') ?? '';
    if (b64url(createHash('sha256').update(verifier).digest()) !== code.challenge) return oauthError(response, 400, 'invalid_grant', 'PKCE verification failed');
    // RFC 8707 §2.2: the token request may narrow, not change, the resource of the grant.
    if (resource !== undefined && code.resource !== undefined && resource !== code.resource) return oauthError(response, 400, 'invalid_target', 'resource differs from the authorization request');
    issue(response, client, code.scope, resource ?? code.resource);
  };

  const handleRegister = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    requests.register += 1;
    const body = await readBody(request);
    let value: unknown;
    try {
      value = JSON.parse(body ?? '');
    } catch {
      return oauthError(response, 400, 'invalid_client_metadata', 'the body is not JSON');
    }
    const metadataIn = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
    const redirectUris = Array.isArray(metadataIn.redirect_uris) ? metadataIn.redirect_uris.filter((u): u is string => typeof u === 'string') : [];
    const grantTypes = Array.isArray(metadataIn.grant_types) ? metadataIn.grant_types.filter((g): g is string => typeof g === 'string') : ['authorization_code'];
    if (grantTypes.includes('authorization_code') && redirectUris.length === 0) return oauthError(response, 400, 'invalid_redirect_uri', 'redirect_uris is required');
    const method = typeof metadataIn.token_endpoint_auth_method === 'string' ? metadataIn.token_endpoint_auth_method : 'client_secret_basic';
    const client = register({ redirect_uris: redirectUris, grant_types: grantTypes, token_endpoint_auth_method: method });
    json(response, 201, { ...metadataIn, ...client, client_id_issued_at: Math.floor(Date.now() / 1000) });
  };

  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://local-as.invalid');
    const route = `${request.method ?? ''} ${url.pathname}`;
    const done = (promise: Promise<void>): void => {
      promise.catch(() => {
        if (!response.headersSent) oauthError(response, 500, 'server_error', 'the test authorization server failed');
      });
    };
    switch (route) {
      case 'GET /.well-known/oauth-authorization-server':
        requests.metadata += 1;
        return json(response, 200, metadata());
      case 'GET /jwks':
        requests.jwks += 1;
        return json(response, 200, jwks());
      case 'GET /authorize':
        return handleAuthorize(url, response);
      case 'POST /token':
        return done(handleToken(request, response));
      case 'POST /register':
        return done(handleRegister(request, response));
      default:
        request.resume();
        return oauthError(response, 404, 'not_found', `${route} is not served here`);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    get issuer() {
      return issuer;
    },
    mint,
    register,
    rotateKey: () => {
      key = newKey(alg);
    },
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
