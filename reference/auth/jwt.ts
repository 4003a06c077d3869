/**
 * JWS compact serialization of JWT access tokens (RFC 7515, RFC 7519, RFC 9068), decoded and
 * verified with node:crypto. Only the asymmetric algorithms an authorization server signs
 * access tokens with are accepted: RS256 and ES256. `none` and the HMAC family are refused,
 * because a resource server holding only public keys must never accept a token it could
 * have forged itself.
 */
import { createPublicKey, verify, type JsonWebKey, type KeyObject } from 'node:crypto';

export const SUPPORTED_ALGORITHMS = ['RS256', 'ES256'] as const;
export type JwtAlgorithm = (typeof SUPPORTED_ALGORITHMS)[number];

export interface DecodedJwt {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  alg: JwtAlgorithm;
  kid: string | undefined;
  /** `base64url(header) "." base64url(payload)`: the bytes the signature covers. */
  signingInput: string;
  signature: Buffer;
}

export type DecodeResult = { ok: true; jwt: DecodedJwt } | { ok: false; reason: string };

const BASE64URL = /^[A-Za-z0-9_-]*$/;
/** RFC 9068 §4: `at+jwt`; plain `JWT` and no `typ` are common enough to accept as well. */
const ACCEPTED_TYP = new Set(['at+jwt', 'application/at+jwt', 'jwt', 'application/jwt']);

function jsonObject(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Splits and parses a compact JWS; says why when the text is not a usable access token. */
export function decodeJwt(token: string): DecodeResult {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'the access token is not a JWS compact serialization (three dot-separated parts)' };
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  if (!parts.every((p) => BASE64URL.test(p))) return { ok: false, reason: 'the access token is not base64url' };
  const header = jsonObject(headerPart);
  const claims = jsonObject(payloadPart);
  if (!header || !claims) return { ok: false, reason: 'the access token header or payload is not a JSON object' };
  const alg = header.alg;
  if (typeof alg !== 'string' || !(SUPPORTED_ALGORITHMS as readonly string[]).includes(alg)) {
    return { ok: false, reason: `the access token algorithm ${JSON.stringify(alg)} is not accepted (only ${SUPPORTED_ALGORITHMS.join(', ')})` };
  }
  // RFC 7515 §4.1.11: extensions we do not understand must make the token invalid.
  if (header.crit !== undefined) return { ok: false, reason: 'the access token has critical header extensions' };
  const typ = header.typ;
  if (typ !== undefined && (typeof typ !== 'string' || !ACCEPTED_TYP.has(typ.toLowerCase()))) {
    return { ok: false, reason: `the token type ${JSON.stringify(typ)} is not an access token` };
  }
  const kid = header.kid;
  if (kid !== undefined && typeof kid !== 'string') return { ok: false, reason: 'the access token kid is not a string' };
  return {
    ok: true,
    jwt: { header, claims, alg: alg as JwtAlgorithm, kid, signingInput: `${headerPart}.${payloadPart}`, signature: Buffer.from(signaturePart, 'base64url') },
  };
}

/** True when a JWK may verify tokens signed with `alg` (type, curve and the optional use/alg hints agree). */
export function keyFits(jwk: JsonWebKey, alg: JwtAlgorithm): boolean {
  if (jwk.use !== undefined && jwk.use !== 'sig') return false;
  if (jwk.alg !== undefined && jwk.alg !== alg) return false;
  if (alg === 'RS256') return jwk.kty === 'RSA';
  return jwk.kty === 'EC' && jwk.crv === 'P-256';
}

/** A public KeyObject from a JWK, or undefined when the JWK is unusable (or carries a private part). */
export function publicKeyFromJwk(jwk: JsonWebKey): KeyObject | undefined {
  if (jwk.d !== undefined) return undefined;
  try {
    const key = createPublicKey({ key: jwk, format: 'jwk' });
    // RFC 7518 §3.3: RS256 keys are at least 2048 bits.
    if (key.asymmetricKeyType === 'rsa' && (key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) return undefined;
    return key;
  } catch {
    return undefined;
  }
}

/** Checks the signature of a decoded token with one public key. */
export function verifySignature(jwt: DecodedJwt, key: KeyObject): boolean {
  const data = Buffer.from(jwt.signingInput, 'ascii');
  try {
    if (jwt.alg === 'RS256') return key.asymmetricKeyType === 'rsa' && verify('sha256', data, key, jwt.signature);
    // RFC 7518 §3.4: ES256 signatures are R || S, 64 bytes, not DER.
    if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1' || jwt.signature.length !== 64) return false;
    return verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, jwt.signature);
  } catch {
    return false;
  }
}
