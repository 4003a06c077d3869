/**
 * The signing keys of one authorization server: found through its metadata (RFC 8414, or
 * OpenID Connect Discovery), fetched from its `jwks_uri`, cached, and fetched again when a
 * token names a key id we do not know (key rotation) — at most once per `minRefreshIntervalMs`,
 * so a stream of tokens with made-up key ids cannot make us hammer the issuer.
 */
import type { JsonWebKey, KeyObject } from 'node:crypto';
import { fetchJson } from './fetch-json.js';
import { keyFits, publicKeyFromJwk, type JwtAlgorithm } from './jwt.js';
import { authorizationServerMetadataUrls, isSecureOrLoopback } from './urls.js';

export interface IssuerKeysOptions {
  issuer: string;
  /** Bound on each metadata or JWKS fetch (default 5000 ms). */
  fetchTimeoutMs?: number;
  /** Least time between two fetches (default 10 s). */
  minRefreshIntervalMs?: number;
  /** Keys older than this are fetched again before use; stale keys still serve if that fails (default 10 min). */
  maxAgeMs?: number;
  /** Largest metadata or JWKS document accepted (default 256 KiB). */
  maxBytes?: number;
}

export type KeyLookup =
  | { ok: true; keys: KeyObject[] }
  /** The issuer's key set is known and has no key for this token: the token is invalid. */
  | { ok: false; reason: 'unknown-key'; message: string }
  /** The key set could not be obtained: the token cannot be judged right now. */
  | { ok: false; reason: 'unavailable'; message: string };

interface CachedKey {
  kid: string | undefined;
  jwk: JsonWebKey;
  key: KeyObject;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export class IssuerKeys {
  readonly issuer: string;
  readonly #timeoutMs: number;
  readonly #minRefreshIntervalMs: number;
  readonly #maxAgeMs: number;
  readonly #maxBytes: number;
  #keys: CachedKey[] | undefined;
  #jwksUri: string | undefined;
  #fetchedAt = 0;
  #attemptedAt = Number.NEGATIVE_INFINITY;
  #lastError = 'the key set was never fetched';
  #inFlight: Promise<void> | undefined;

  constructor(options: IssuerKeysOptions) {
    this.issuer = options.issuer;
    this.#timeoutMs = options.fetchTimeoutMs ?? 5000;
    this.#minRefreshIntervalMs = options.minRefreshIntervalMs ?? 10_000;
    this.#maxAgeMs = options.maxAgeMs ?? 600_000;
    this.#maxBytes = options.maxBytes ?? 256 * 1024;
  }

  /** The keys that may have signed a token with this `kid` and `alg` (several only when the token names no kid). */
  async keysFor(kid: string | undefined, alg: JwtAlgorithm): Promise<KeyLookup> {
    const now = Date.now();
    const stale = this.#keys === undefined || now - this.#fetchedAt > this.#maxAgeMs;
    let found = this.#find(kid, alg);
    if ((stale || found.length === 0) && now - this.#attemptedAt >= this.#minRefreshIntervalMs) {
      await this.#refresh();
      found = this.#find(kid, alg);
    }
    if (found.length > 0) return { ok: true, keys: found };
    if (this.#keys === undefined) return { ok: false, reason: 'unavailable', message: `the signing keys of ${this.issuer} are unavailable: ${this.#lastError}` };
    return { ok: false, reason: 'unknown-key', message: kid === undefined ? `no ${alg} key of the issuer fits the access token` : `the issuer has no ${alg} key with kid ${JSON.stringify(kid)}` };
  }

  #find(kid: string | undefined, alg: JwtAlgorithm): KeyObject[] {
    return (this.#keys ?? []).filter((k) => keyFits(k.jwk, alg) && (kid === undefined || k.kid === kid)).map((k) => k.key);
  }

  /** Concurrent callers share one fetch. */
  #refresh(): Promise<void> {
    this.#inFlight ??= this.#fetchKeys().finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }

  async #fetchKeys(): Promise<void> {
    this.#attemptedAt = Date.now();
    const options = { timeoutMs: this.#timeoutMs, maxBytes: this.#maxBytes };
    this.#jwksUri ??= await this.#discover();
    if (this.#jwksUri === undefined) return;
    const result = await fetchJson(this.#jwksUri, options);
    if (!result.ok) {
      this.#lastError = result.reason;
      // The metadata may have moved the key set; look again next time.
      this.#jwksUri = undefined;
      return;
    }
    const set = result.value;
    if (!isObject(set) || !Array.isArray(set.keys)) {
      this.#lastError = `${this.#jwksUri} is not a JWK Set (RFC 7517 §5)`;
      return;
    }
    const keys: CachedKey[] = [];
    for (const entry of set.keys) {
      if (!isObject(entry)) continue;
      const jwk = entry as JsonWebKey;
      const key = publicKeyFromJwk(jwk);
      if (key) keys.push({ kid: typeof entry.kid === 'string' ? entry.kid : undefined, jwk, key });
    }
    this.#keys = keys;
    this.#fetchedAt = Date.now();
  }

  /** The issuer's `jwks_uri`, from the first metadata document that names this exact issuer. */
  async #discover(): Promise<string | undefined> {
    const reasons: string[] = [];
    for (const url of authorizationServerMetadataUrls(this.issuer)) {
      const result = await fetchJson(url, { timeoutMs: this.#timeoutMs, maxBytes: this.#maxBytes });
      if (!result.ok) {
        reasons.push(result.reason);
        continue;
      }
      const metadata = result.value;
      // RFC 8414 §3.3 (and M-AUTH-051 for clients): a document for another issuer must not be used.
      if (!isObject(metadata) || metadata.issuer !== this.issuer) {
        reasons.push(`${url} does not describe the issuer ${this.issuer}`);
        continue;
      }
      const jwksUri = metadata.jwks_uri;
      let parsed: URL | undefined;
      try {
        parsed = typeof jwksUri === 'string' ? new URL(jwksUri) : undefined;
      } catch {
        parsed = undefined;
      }
      if (parsed === undefined || !isSecureOrLoopback(parsed)) {
        reasons.push(`${url} names no usable jwks_uri (an https URL, or http on loopback)`);
        continue;
      }
      return parsed.href;
    }
    this.#lastError = reasons.join('; ');
    return undefined;
  }
}
