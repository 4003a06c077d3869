/**
 * The resource-server policy of one protected endpoint: what a transport asks, per HTTP
 * request, before doing anything else. Two modes:
 * - a static bearer token (`--auth-token T`), for local use (SEC-016, M-SEC-010), compared in
 *   constant time;
 * - OAuth 2.1 (`--auth issuer=…`): JWT access tokens of one authorization server, with
 *   Protected Resource Metadata (RFC 9728) for discovery.
 * Status codes follow AUTH-034/038 and M-AUTH-030/038: 400 for a malformed Authorization
 * header, 401 for a missing, invalid or expired token, 403 for missing scopes.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { AuthDecision, AuthPrincipal, Authorizer } from '../../transport/http-common.js';
import type { JsonObject } from '../../transport/jsonrpc.js';
import { verifyAccessToken } from './access-token.js';
import { bearerToken } from './bearer.js';
import { formatChallenge, type Challenge } from './challenge.js';
import type { AuthConfig, OAuthResourceAuth, StaticTokenAuth } from './config.js';
import { IssuerKeys } from './issuer-keys.js';
import { metadataPaths, metadataUrl, protectedResourceMetadata } from './resource.js';
import { missingScopes } from './scopes.js';

export interface AuthEndpoint {
  /** The canonical URI clients use for the endpoint, e.g. `http://127.0.0.1:4000/mcp`. */
  resource: string;
}

export interface AuthPolicyOptions {
  /** Share one key cache between the endpoints of one issuer (default: a cache of its own). */
  keys?: IssuerKeys;
  /** The clock, in epoch ms (tests). */
  now?: () => number;
}

export interface AuthPolicy {
  /** The resource tokens must be issued for. */
  readonly resource: string;
  /** The Protected Resource Metadata document; undefined in static-token mode, which has no authorization server to name. */
  readonly metadata: JsonObject | undefined;
  /** Where the document is announced (`resource_metadata`). */
  readonly metadataUrl: string | undefined;
  /** Paths on the endpoint's origin that serve the document. */
  readonly metadataPaths: readonly string[];
  readonly authorize: Authorizer;
}

const REALM = 'mcpcert';
const STATIC_PRINCIPAL: AuthPrincipal = { id: 'static-token', subject: 'static-token', scopes: [] };

function refuse(status: number, challenge: Challenge | undefined, message: string): AuthDecision {
  return { ok: false, status, headers: challenge ? { 'www-authenticate': formatChallenge(challenge) } : {}, message };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

function staticPolicy(config: StaticTokenAuth, endpoint: AuthEndpoint): AuthPolicy {
  // Hashing both sides gives equal-length buffers, so the comparison time says nothing about the token.
  const expected = digest(config.token);
  return {
    resource: endpoint.resource,
    metadata: undefined,
    metadataUrl: undefined,
    metadataPaths: [],
    authorize: (request: IncomingMessage): AuthDecision => {
      const bearer = bearerToken(request);
      if (bearer.kind === 'none') return refuse(401, { realm: REALM }, 'Unauthorized: this server needs Authorization: Bearer <token>');
      if (bearer.kind === 'malformed') return refuse(400, { realm: REALM, error: 'invalid_request', description: bearer.reason }, `Bad Request: ${bearer.reason}`);
      if (!timingSafeEqual(digest(bearer.token), expected)) return refuse(401, { realm: REALM, error: 'invalid_token', description: 'the token is not accepted' }, 'Unauthorized: the token is not accepted');
      return { ok: true, principal: STATIC_PRINCIPAL };
    },
  };
}

function oauthPolicy(config: OAuthResourceAuth, endpoint: AuthEndpoint, options: AuthPolicyOptions): AuthPolicy {
  const resource = config.audience ?? endpoint.resource;
  const keys = options.keys ?? new IssuerKeys({ issuer: config.issuer });
  if (keys.issuer !== config.issuer) throw new Error(`createAuthPolicy: the key cache is for ${keys.issuer}, not ${config.issuer}`);
  const now = options.now ?? Date.now;
  const announced = metadataUrl(resource);
  const paths = [...new Set([...metadataPaths(resource), ...metadataPaths(endpoint.resource)])];
  // AUTH-011, M-AUTH-010: the scopes go into every challenge; M-AUTH-040: all of them at once.
  const base: Challenge = { resourceMetadata: announced, scope: config.scopes };
  return {
    resource,
    metadata: protectedResourceMetadata({ resource, authorizationServers: [config.issuer], scopesSupported: config.scopes, resourceName: 'mcpcert reference server' }),
    metadataUrl: announced,
    metadataPaths: paths,
    authorize: async (request: IncomingMessage): Promise<AuthDecision> => {
      const bearer = bearerToken(request);
      // RFC 6750 §3.1: a request with no credentials gets a challenge without an error code.
      if (bearer.kind === 'none') return refuse(401, base, 'Unauthorized: this server needs an OAuth access token (see the resource_metadata of the WWW-Authenticate header)');
      if (bearer.kind === 'malformed') return refuse(400, { ...base, error: 'invalid_request', description: bearer.reason }, `Bad Request: ${bearer.reason}`);
      const verdict = await verifyAccessToken(bearer.token, keys, { issuer: config.issuer, resource, clockSkewSec: config.clockSkewSec ?? 30, now: now() });
      if (!verdict.ok) {
        if (verdict.unavailable) return { ok: false, status: 503, headers: { 'retry-after': '10' }, message: `Service Unavailable: ${verdict.message}` };
        return refuse(401, { ...base, error: 'invalid_token', description: verdict.message }, `Unauthorized: ${verdict.message}`);
      }
      const missing = missingScopes(verdict.principal.scopes, config.scopes);
      if (missing.length > 0) {
        const description = `the access token lacks the scope ${missing.join(' ')}`;
        return refuse(403, { ...base, error: 'insufficient_scope', description }, `Forbidden: ${description}`);
      }
      return verdict;
    },
  };
}

/** The policy of one endpoint. Throws when `options.keys` belongs to another issuer. */
export function createAuthPolicy(config: AuthConfig, endpoint: AuthEndpoint, options: AuthPolicyOptions = {}): AuthPolicy {
  return config.mode === 'token' ? staticPolicy(config, endpoint) : oauthPolicy(config, endpoint, options);
}
