/**
 * What a 2026-07-28 client adds to each request: the `_meta` fields (spec digest §C.3) and, on
 * Streamable HTTP, the mirrored request-metadata headers (§B.5).
 */
import { isPlainObject } from '../transport/codec.js';
import type { JsonObject, JsonRpcPayload, JsonValue } from '../transport/jsonrpc.js';

export const META_KEYS = {
  protocolVersion: 'io.modelcontextprotocol/protocolVersion',
  clientCapabilities: 'io.modelcontextprotocol/clientCapabilities',
  clientInfo: 'io.modelcontextprotocol/clientInfo',
  logLevel: 'io.modelcontextprotocol/logLevel',
  serverInfo: 'io.modelcontextprotocol/serverInfo',
} as const;

export const MODERN_VERSION = '2026-07-28';

/** The `_meta` a 2026-07-28 request carries; `extra` entries win. */
export function modernMeta(version: string, clientInfo: { name: string; version: string }, extra: JsonObject = {}): JsonObject {
  return {
    [META_KEYS.protocolVersion]: version,
    [META_KEYS.clientCapabilities]: {},
    [META_KEYS.clientInfo]: { ...clientInfo },
    ...extra,
  };
}

/** `params` with the modern `_meta` merged in (fields the caller already set are kept). */
export function withModernMeta(params: JsonObject | undefined, meta: JsonObject): JsonObject {
  const given = params?._meta;
  return { ...(params ?? {}), _meta: { ...meta, ...(isPlainObject(given) ? given : {}) } };
}

const SENTINEL_LIKE = /^=\?base64\?.*\?=$/;

/**
 * A header value as 2026-07-28 wants it: plain when it is visible ASCII (spaces inside allowed),
 * else `=?base64?…?=` of its UTF-8 (M-HTTP-035). Values that look like the sentinel are encoded too.
 */
export function headerValue(value: string): string {
  const plain = /^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/.test(value) && !SENTINEL_LIKE.test(value);
  return plain ? value : `=?base64?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

const NAMED: Readonly<Record<string, 'name' | 'uri'>> = { 'tools/call': 'name', 'prompts/get': 'name', 'resources/read': 'uri' };

/** Tool parameters annotated with `x-mcp-header` (reachable through `properties` only). */
function headerParameters(inputSchema: JsonValue | undefined): Array<{ property: string; header: string }> {
  if (!isPlainObject(inputSchema) || !isPlainObject(inputSchema.properties)) return [];
  const out: Array<{ property: string; header: string }> = [];
  for (const [property, schema] of Object.entries(inputSchema.properties)) {
    if (isPlainObject(schema) && typeof schema['x-mcp-header'] === 'string') out.push({ property, header: schema['x-mcp-header'] });
  }
  return out;
}

/**
 * The mirrored headers for one POST body: MCP-Protocol-Version from the body's `_meta`,
 * Mcp-Method, Mcp-Name, and Mcp-Param-* for `x-mcp-header` arguments of known tools.
 * Returns nothing for a body without modern `_meta` (a handshake-era message).
 */
export function mirroredHeaders(payload: JsonRpcPayload, inputSchemaOf: (tool: string) => JsonValue | undefined): Record<string, string> {
  if (Array.isArray(payload) || !('method' in payload)) return {};
  const params = payload.params ?? {};
  const meta = isPlainObject(params._meta) ? params._meta : undefined;
  const version = meta?.[META_KEYS.protocolVersion];
  if (typeof version !== 'string') return {};
  const headers: Record<string, string> = { 'mcp-protocol-version': version, 'mcp-method': headerValue(payload.method) };
  const field = NAMED[payload.method];
  const named = field === undefined ? undefined : params[field];
  if (typeof named === 'string') headers['mcp-name'] = headerValue(named);
  if (payload.method === 'tools/call' && typeof params.name === 'string') {
    const args = isPlainObject(params.arguments) ? params.arguments : {};
    for (const { property, header } of headerParameters(inputSchemaOf(params.name))) {
      const value = args[property];
      if (typeof value === 'string') headers[`mcp-param-${header.toLowerCase()}`] = headerValue(value);
      else if (typeof value === 'number' || typeof value === 'boolean') headers[`mcp-param-${header.toLowerCase()}`] = String(value);
    }
  }
  return headers;
}
