/**
 * Validation of a JWT access token for this resource server (OAuth 2.1 §5.2, RFC 9068 §4):
 * signature by the configured issuer's key, `iss`, `aud` naming this resource (RFC 8707;
 * AUTH-033/036/058, M-AUTH-029/032/070: a token for another resource is never accepted),
 * `exp`/`nbf`/`iat` within a small clock skew, and a subject to bind sessions to.
 */
import type { AuthPrincipal } from '../../transport/http-common.js';
import type { IssuerKeys } from './issuer-keys.js';
import { decodeJwt, verifySignature } from './jwt.js';
import { comparableResource } from './resource.js';
import { grantedScopes } from './scopes.js';

export interface TokenExpectations {
  issuer: string;
  /** This resource's URI; compared after `comparableResource`. */
  resource: string;
  clockSkewSec: number;
  /** Epoch ms. */
  now: number;
}

export type TokenVerdict =
  | { ok: true; principal: AuthPrincipal }
  /** `unavailable`: the token could not be judged (the issuer's keys are out of reach), not found invalid. */
  | { ok: false; unavailable: boolean; message: string };

function invalid(message: string): TokenVerdict {
  return { ok: false, unavailable: false, message };
}

function audiences(claim: unknown): string[] {
  if (typeof claim === 'string') return [claim];
  if (Array.isArray(claim)) return claim.filter((a): a is string => typeof a === 'string');
  return [];
}

export async function verifyAccessToken(token: string, keys: IssuerKeys, expect: TokenExpectations): Promise<TokenVerdict> {
  const decoded = decodeJwt(token);
  if (!decoded.ok) return invalid(decoded.reason);
  const { jwt } = decoded;
  // Keys first, claims after: nothing about a token is judged before it is known to be genuine.
  const lookup = await keys.keysFor(jwt.kid, jwt.alg);
  if (!lookup.ok) return { ok: false, unavailable: lookup.reason === 'unavailable', message: lookup.message };
  if (!lookup.keys.some((key) => verifySignature(jwt, key))) return invalid('the access token signature does not verify with the issuer keys');
  const claims = jwt.claims;
  if (claims.iss !== expect.issuer) return invalid('the access token was issued by another authorization server');
  const wanted = comparableResource(expect.resource);
  if (!audiences(claims.aud).some((a) => comparableResource(a) === wanted)) return invalid('the access token was issued for another resource (aud)');
  const nowSec = expect.now / 1000;
  if (typeof claims.exp !== 'number') return invalid('the access token has no exp');
  if (nowSec > claims.exp + expect.clockSkewSec) return invalid('the access token expired');
  if (claims.nbf !== undefined && (typeof claims.nbf !== 'number' || claims.nbf > nowSec + expect.clockSkewSec)) return invalid('the access token is not valid yet (nbf)');
  if (claims.iat !== undefined && (typeof claims.iat !== 'number' || claims.iat > nowSec + expect.clockSkewSec)) return invalid('the access token was issued in the future (iat)');
  if (typeof claims.sub !== 'string' || claims.sub === '') return invalid('the access token has no sub');
  const principal: AuthPrincipal = { id: `${expect.issuer} ${claims.sub}`, subject: claims.sub, scopes: grantedScopes(claims), expiresAt: claims.exp * 1000 };
  if (typeof claims.client_id === 'string') principal.clientId = claims.client_id;
  return { ok: true, principal };
}
