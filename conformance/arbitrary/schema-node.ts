/**
 * Reading JSON Schema nodes the way the generators need them: local `$ref`s, the JSON types a
 * node admits, and value equality as ajv judges it (`enum`, `const`, `uniqueItems`).
 */
import type { JsonObject, JsonValue } from '../../transport/jsonrpc.js';

export type JsonType = 'null' | 'boolean' | 'integer' | 'number' | 'string' | 'array' | 'object';

export const JSON_TYPES: readonly JsonType[] = ['string', 'integer', 'number', 'boolean', 'object', 'array', 'null'];

/** Why a (sub)schema yields nothing: the generators report it instead of throwing. */
export type Built<T> = { ok: true; value: T } | { ok: false; reason: string };

export function built<T>(value: T): Built<T> {
  return { ok: true, value };
}

export function unsat<T>(reason: string): Built<T> {
  return { ok: false, reason };
}

export function isObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function numberOf(v: JsonValue | undefined): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** Only document-local references (`#/$defs/x`, `#/definitions/x`): tool schemas travel alone. */
export function resolveRef(ref: string, root: JsonValue): JsonValue | undefined {
  if (!ref.startsWith('#')) return undefined;
  let node: JsonValue | undefined = root;
  for (const raw of ref.slice(1).split('/').filter((p) => p !== '')) {
    const part = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) node = node[Number(part)];
    else if (isObject(node)) node = node[part];
    else return undefined;
  }
  return node;
}

/** A key that is equal for values ajv deems equal: object key order does not matter. */
export function canonical(v: JsonValue): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isObject(v)) {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(v[k]!)}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

export function jsonTypeOf(v: JsonValue): JsonType {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v as 'boolean' | 'string' | 'object';
}

const OBJECT_KEYWORDS = ['properties', 'required', 'additionalProperties', 'patternProperties', 'minProperties', 'maxProperties', 'propertyNames'];
const ARRAY_KEYWORDS = ['items', 'prefixItems', 'minItems', 'maxItems', 'uniqueItems', 'contains', 'additionalItems'];
const NUMBER_KEYWORDS = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'];
const STRING_KEYWORDS = ['minLength', 'maxLength', 'pattern', 'format'];

/**
 * The types a node lets through. Without `type`, keywords of one type only constrain values of
 * that type, so any type is valid; we still generate the hinted one, since a schema that says
 * `properties` wants objects.
 */
export function typesOf(schema: JsonObject): { types: JsonType[]; isDeclared: boolean } {
  const t = schema.type;
  if (typeof t === 'string') return { types: normalizeTypes([t]), isDeclared: true };
  if (Array.isArray(t)) return { types: normalizeTypes(t.filter((x): x is string => typeof x === 'string')), isDeclared: true };
  const has = (keys: string[]): boolean => keys.some((k) => k in schema);
  if (has(OBJECT_KEYWORDS)) return { types: ['object'], isDeclared: false };
  if (has(ARRAY_KEYWORDS)) return { types: ['array'], isDeclared: false };
  if (has(NUMBER_KEYWORDS)) return { types: ['number'], isDeclared: false };
  if (has(STRING_KEYWORDS)) return { types: ['string'], isDeclared: false };
  return { types: [...JSON_TYPES], isDeclared: false };
}

function normalizeTypes(names: string[]): JsonType[] {
  const known = names.filter((n): n is JsonType => (JSON_TYPES as readonly string[]).includes(n));
  // `number` already admits every integer; generating both would only skew the mix.
  return known.includes('number') ? known.filter((n) => n !== 'integer') : known;
}

/** Escapes a property name for a JSON pointer (RFC 6901). */
export function pointer(base: string, key: string | number): string {
  return `${base}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}
