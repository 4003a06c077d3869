/**
 * The vendored official JSON Schemas (spec/schemas/<version>/schema.json), read once per
 * version. The files are data, never edited; see spec/schemas/SOURCE.md.
 */
import { readFileSync } from 'node:fs';
import { dataPath } from './paths.js';
import { definitionsKey, schemaDialect, type ProtocolVersion } from './versions.js';

/** A JSON Schema node as it appears in the files: keywords to values, nothing more assumed. */
export type SchemaNode = { readonly [keyword: string]: unknown };

export interface McpSchemaDocument {
  readonly $schema: string;
  readonly definitions?: Readonly<Record<string, SchemaNode>>;
  readonly $defs?: Readonly<Record<string, SchemaNode>>;
}

interface LoadedSchema {
  readonly document: McpSchemaDocument;
  readonly definitions: Readonly<Record<string, SchemaNode>>;
  readonly names: readonly string[];
}

const META_SCHEMA: Record<'draft-07' | '2020-12', string> = {
  'draft-07': 'http://json-schema.org/draft-07/schema#',
  '2020-12': 'https://json-schema.org/draft/2020-12/schema',
};

const cache = new Map<ProtocolVersion, LoadedSchema>();

/** A JSON object: not null, not an array. */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function load(version: ProtocolVersion): LoadedSchema {
  const file = schemaFile(version);
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  const key = definitionsKey(version);
  const dialect = schemaDialect(version);
  // A mismatch means the vendored file was replaced by the wrong revision: fail at once
  // rather than validate messages against the wrong rules.
  if (!isObject(parsed) || parsed.$schema !== META_SCHEMA[dialect] || !isObject(parsed[key])) {
    throw new Error(`${file} is not a ${dialect} MCP schema with "${key}"`);
  }
  const definitions = parsed[key] as Record<string, SchemaNode>;
  return { document: parsed as unknown as McpSchemaDocument, definitions, names: Object.keys(definitions) };
}

function loaded(version: ProtocolVersion): LoadedSchema {
  let entry = cache.get(version);
  if (entry === undefined) {
    entry = load(version);
    cache.set(version, entry);
  }
  return entry;
}

/** Absolute path of that revision's vendored schema.json. */
export function schemaFile(version: ProtocolVersion): string {
  return dataPath('spec', 'schemas', version, 'schema.json');
}

/** The parsed schema document (shared; do not mutate). */
export function schemaDocument(version: ProtocolVersion): McpSchemaDocument {
  return loaded(version).document;
}

/** All type definitions of that revision by name (shared; do not mutate). */
export function schemaDefinitions(version: ProtocolVersion): Readonly<Record<string, SchemaNode>> {
  return loaded(version).definitions;
}

/** Names of the type definitions, in file order. */
export function definitionNames(version: ProtocolVersion): readonly string[] {
  return loaded(version).names;
}

export function getDefinition(version: ProtocolVersion, name: string): SchemaNode | undefined {
  const defs = loaded(version).definitions;
  return Object.hasOwn(defs, name) ? defs[name] : undefined;
}

/** The definition name a local `$ref` points at (`#/$defs/Tool` → `Tool`), else undefined. */
export function refName(ref: unknown): string | undefined {
  if (typeof ref !== 'string') return undefined;
  const m = /^#\/(?:definitions|\$defs)\/([^/]+)$/.exec(ref);
  return m?.[1];
}
