/**
 * What every 2026-07-28 result carries besides its payload: `resultType` (M-BASE-008), the
 * server's identity in `_meta` (M-BASE-050) and, on the six cacheable results, `ttlMs` and
 * `cacheScope` (M-CACHE-001/008/014).
 */
import type { JsonObject } from '../../transport/jsonrpc.js';
import { isPlainObject } from '../../transport/codec.js';
import { META } from './meta.js';

/** Freshness hints per cacheable method; every page of a list gets the same scope. */
const CACHE_TTL_MS: Record<string, number> = {
  'server/discover': 60_000,
  'resources/templates/list': 60_000,
  'tools/list': 5_000,
  'prompts/list': 5_000,
  'resources/list': 5_000,
  'resources/read': 5_000,
};

/**
 * `private`: results may depend on the caller's authorization, so shared caches must not
 * serve them across authorization contexts. The safe choice for a server with optional auth.
 */
const CACHE_SCOPE = 'private';

export function decorateResult(method: string, result: JsonObject, serverInfo: JsonObject): JsonObject {
  const out: JsonObject = { ...result };
  if (out.resultType === undefined) out.resultType = 'complete';
  const meta = isPlainObject(out._meta) ? out._meta : {};
  out._meta = { ...meta, [META.serverInfo]: serverInfo };
  const ttl = CACHE_TTL_MS[method];
  // MRTR answers are never cacheable: only complete results get hints.
  if (ttl !== undefined && out.resultType === 'complete') {
    out.ttlMs ??= ttl;
    out.cacheScope ??= CACHE_SCOPE;
  }
  return out;
}
