/**
 * Schemas a target publishes (`inputSchema`, `outputSchema`): is each valid in its dialect
 * (BASE-020), and does a value conform to it (TOOL-014). The dialect is the schema's own
 * `$schema`, else 2020-12 from 2025-11-25 on (BASE-016) and draft-07 before, which is what
 * those revisions' own schema.json uses.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { ProtocolVersion } from '../spec/versions.js';

export type Dialect = 'draft-07' | '2020-12';

const DIALECTS: Readonly<Record<string, Dialect>> = {
  'http://json-schema.org/draft-07/schema': 'draft-07',
  'https://json-schema.org/draft/2020-12/schema': '2020-12',
};

export type DialectOutcome = { ok: true; dialect: Dialect } | { ok: false; reason: string };

/** The dialect a schema is written in; an unknown `$schema` cannot be judged here. */
export function dialectOf(schema: unknown, version: ProtocolVersion): DialectOutcome {
  const declared = typeof schema === 'object' && schema !== null && !Array.isArray(schema) ? (schema as { $schema?: unknown }).$schema : undefined;
  if (declared === undefined) return { ok: true, dialect: version >= '2025-11-25' ? '2020-12' : 'draft-07' };
  if (typeof declared !== 'string') return { ok: false, reason: '$schema is not a string' };
  const dialect = DIALECTS[declared.replace(/#$/, '')];
  return dialect === undefined ? { ok: false, reason: `mcpcert cannot judge schemas of dialect ${declared}` } : { ok: true, dialect };
}

let instances: Record<Dialect, Ajv | Ajv2020> | undefined;

function ajvOf(dialect: Dialect): Ajv | Ajv2020 {
  instances ??= {
    'draft-07': configure(new Ajv({ strict: false, allErrors: true, addUsedSchema: false, validateSchema: false })),
    '2020-12': configure(new Ajv2020({ strict: false, allErrors: true, addUsedSchema: false, validateSchema: false })),
  };
  return instances[dialect];
}

function configure<T extends Ajv | Ajv2020>(ajv: T): T {
  addFormats.default(ajv);
  return ajv;
}

export type SchemaOutcome = { ok: true; validate: ValidateFunction; dialect: Dialect } | { ok: false; reason: string; unjudgeable?: boolean };

const compiled = new Map<string, SchemaOutcome>();
const CACHE_LIMIT = 500;

/**
 * Checks a published schema against its dialect's meta-schema and compiles it.
 * `unjudgeable` marks a dialect mcpcert does not know (not the target's fault).
 */
export function compileSchema(schema: unknown, version: ProtocolVersion): SchemaOutcome {
  const dialect = dialectOf(schema, version);
  if (!dialect.ok) return { ok: false, reason: dialect.reason, unjudgeable: true };
  const key = `${dialect.dialect}\n${JSON.stringify(schema)}`;
  const cached = compiled.get(key);
  if (cached) return cached;
  const outcome = compileFresh(schema, dialect.dialect);
  if (compiled.size >= CACHE_LIMIT) compiled.clear();
  compiled.set(key, outcome);
  return outcome;
}

function compileFresh(schema: unknown, dialect: Dialect): SchemaOutcome {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return { ok: false, reason: `a schema must be an object, got ${schema === null ? 'null' : Array.isArray(schema) ? 'an array' : typeof schema}` };
  const ajv = ajvOf(dialect);
  const metaValid = ajv.validateSchema(schema);
  if (!metaValid) return { ok: false, reason: `not a valid ${dialect} schema: ${ajv.errorsText(ajv.errors, { dataVar: 'schema' })}` };
  try {
    return { ok: true, validate: ajv.compile(schema), dialect };
  } catch (err) {
    // An unresolvable $ref, for instance: the schema cannot be used to validate anything.
    return { ok: false, reason: `cannot be compiled as ${dialect}: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/** Validates a value with a compiled schema; the summary names the first few errors. */
export function conforms(fn: ValidateFunction, value: unknown): { ok: true } | { ok: false; summary: string } {
  if (fn(value)) return { ok: true };
  const errors = (fn.errors ?? []).slice(0, 3).map((e) => `${e.instancePath === '' ? '(root)' : e.instancePath} ${e.message ?? 'is invalid'}`);
  return { ok: false, summary: errors.join('; ') };
}
