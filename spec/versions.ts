/**
 * The MCP protocol revisions mcpcert knows, and the facts about each that other modules
 * branch on (spec digest §A.1).
 */

/** Every revision with an official schema, oldest first. */
export const PROTOCOL_VERSIONS = ['2024-11-05', '2025-03-26', '2025-06-18', '2025-11-25', '2026-07-28'] as const;

export type ProtocolVersion = (typeof PROTOCOL_VERSIONS)[number];

/** The current revision (the stateless one, without `initialize`). */
export const LATEST_PROTOCOL_VERSION: ProtocolVersion = '2026-07-28';

/** The newest revision that still negotiates with `initialize`; the primary profile of the suite. */
export const LATEST_HANDSHAKE_VERSION: ProtocolVersion = '2025-11-25';

export type Era = 'legacy' | 'modern';
export type SchemaDialect = 'draft-07' | '2020-12';
export type DefinitionsKey = 'definitions' | '$defs';

const KNOWN: ReadonlySet<string> = new Set(PROTOCOL_VERSIONS);

export function isProtocolVersion(s: unknown): s is ProtocolVersion {
  return typeof s === 'string' && KNOWN.has(s);
}

/**
 * The spec's own split (2026-07-28 `basic/versioning`): "modern" revisions are stateless
 * and carry the version in every request's `_meta`; "legacy" ones negotiate it once.
 */
export function era(v: ProtocolVersion): Era {
  return v === '2026-07-28' ? 'modern' : 'legacy';
}

/** The JSON Schema dialect of that revision's `schema.json` (2025-11-25 moved to 2020-12). */
export function schemaDialect(v: ProtocolVersion): SchemaDialect {
  return v < '2025-11-25' ? 'draft-07' : '2020-12';
}

/** Where the type definitions sit in that revision's `schema.json`. */
export function definitionsKey(v: ProtocolVersion): DefinitionsKey {
  return schemaDialect(v) === 'draft-07' ? 'definitions' : '$defs';
}
