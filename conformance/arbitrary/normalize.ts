/**
 * Flattens a schema node before generation: a local `$ref` is replaced by its target (merged
 * with its siblings, as 2020-12 reads them) and `allOf` branches are merged into one node, so
 * the generators see the constraints that apply together. The merge is exact for the keywords
 * tool schemas use (types, properties, bounds, enums); for the rest it keeps one side and the
 * final ajv check of every value rules out what it got wrong.
 */
import type { JsonObject, JsonValue } from '../../transport/jsonrpc.js';
import { built, canonical, isObject, resolveRef, typesOf, unsat, type Built, type JsonType } from './schema-node.js';

// allOf/$ref chains that only lead back to themselves never add a constraint we could use.
const MAX_CHAIN = 16;
const MAX_PAIRS = 16;

export function normalize(node: JsonValue | undefined, root: JsonValue, chain = 0): Built<JsonObject> {
  if (node === undefined || node === true) return built({});
  if (node === false) return unsat('the schema is false');
  if (!isObject(node)) return unsat('a subschema is not an object');
  if (chain > MAX_CHAIN) return unsat('$ref/allOf chain does not end');
  let schema: JsonObject = node;
  if (typeof schema.$ref === 'string') {
    const target = resolveRef(schema.$ref, root);
    if (target === undefined) return unsat(`cannot resolve $ref ${schema.$ref}`);
    const { $ref: _ref, ...siblings } = schema;
    const resolved = normalize(target, root, chain + 1);
    if (!resolved.ok) return resolved;
    const rest = normalize(siblings, root, chain + 1);
    if (!rest.ok) return rest;
    return merge(resolved.value, rest.value);
  }
  if (Array.isArray(schema.allOf)) {
    const { allOf, ...base } = schema;
    schema = base;
    for (const branch of allOf) {
      const b = normalize(branch, root, chain + 1);
      if (!b.ok) return b;
      const m = merge(schema, b.value);
      if (!m.ok) return m;
      schema = m.value;
    }
  }
  return built(schema);
}

function mergeTypes(a: JsonObject, b: JsonObject): Built<JsonValue | undefined> {
  if (a.type === undefined) return built(b.type);
  if (b.type === undefined) return built(a.type);
  const ta = typesOf(a).types;
  const tb = typesOf(b).types;
  const both = new Set<JsonType>();
  for (const t of ta) {
    if (tb.includes(t)) both.add(t);
    else if (t === 'integer' && tb.includes('number')) both.add('integer');
    else if (t === 'number' && tb.includes('integer')) both.add('integer');
  }
  if (both.size === 0) return unsat(`allOf requires types ${ta.join('|')} and ${tb.join('|')} at once`);
  return built([...both]);
}

function tighter(a: JsonValue | undefined, b: JsonValue | undefined, pick: (x: number, y: number) => number): JsonValue | undefined {
  if (typeof a !== 'number') return b;
  if (typeof b !== 'number') return a;
  return pick(a, b);
}

function gcd(x: number, y: number): number {
  return y === 0 ? x : gcd(y, x % y);
}

/** The node that admits what both `a` and `b` admit (see the module comment for its limits). */
export function merge(a: JsonObject, b: JsonObject): Built<JsonObject> {
  const out: JsonObject = { ...b, ...a };
  const type = mergeTypes(a, b);
  if (!type.ok) return type;
  if (type.value === undefined) delete out.type;
  else out.type = type.value;
  for (const k of ['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties'] as const) {
    const v = tighter(a[k], b[k], Math.max);
    if (v !== undefined) out[k] = v;
  }
  for (const k of ['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties'] as const) {
    const v = tighter(a[k], b[k], Math.min);
    if (v !== undefined) out[k] = v;
  }
  if (typeof a.multipleOf === 'number' && typeof b.multipleOf === 'number' && Number.isInteger(a.multipleOf) && Number.isInteger(b.multipleOf)) {
    out.multipleOf = (a.multipleOf * b.multipleOf) / gcd(a.multipleOf, b.multipleOf);
  }
  if (a.uniqueItems === true || b.uniqueItems === true) out.uniqueItems = true;
  const values = mergeValues(a, b);
  if (!values.ok) return values;
  if (values.value !== undefined) {
    delete out.const;
    out.enum = values.value;
  }
  const objects = mergeObjects(a, b);
  if (!objects.ok) return objects;
  Object.assign(out, objects.value);
  if (a.items !== undefined && b.items !== undefined && !Array.isArray(a.items) && !Array.isArray(b.items)) out.items = { allOf: [a.items, b.items] };
  // Two anyOf (or oneOf) lists must both hold: one list of the pairs says that; past a few
  // pairs we keep one list and leave the other to the final check.
  for (const k of ['anyOf', 'oneOf'] as const) {
    const la = a[k];
    const lb = b[k];
    if (Array.isArray(la) && Array.isArray(lb) && la.length * lb.length <= MAX_PAIRS) out[k] = la.flatMap((x) => lb.map((y) => ({ allOf: [x, y] })));
  }
  return built(out);
}

/** `enum`/`const` of both sides as one enum, or undefined when neither restricts values. */
function mergeValues(a: JsonObject, b: JsonObject): Built<JsonValue[] | undefined> {
  const listOf = (s: JsonObject): JsonValue[] | undefined => ('const' in s ? [s.const!] : Array.isArray(s.enum) ? s.enum : undefined);
  const la = listOf(a);
  const lb = listOf(b);
  if (la === undefined && lb === undefined) return built(undefined);
  if (la === undefined || lb === undefined) return built(la ?? lb);
  const keys = new Set(lb.map(canonical));
  const both = la.filter((v) => keys.has(canonical(v)));
  return both.length === 0 ? unsat('allOf branches admit no common enum/const value') : built(both);
}

function mergeObjects(a: JsonObject, b: JsonObject): Built<JsonObject> {
  const out: JsonObject = {};
  const pa = isObject(a.properties) ? a.properties : {};
  const pb = isObject(b.properties) ? b.properties : {};
  const required = new Set<string>();
  for (const s of [a, b]) if (Array.isArray(s.required)) for (const r of s.required) if (typeof r === 'string') required.add(r);
  const properties: JsonObject = {};
  for (const [name, sub] of Object.entries(pa)) properties[name] = name in pb ? { allOf: [sub, pb[name]!] } : sub;
  for (const [name, sub] of Object.entries(pb)) if (!(name in pa)) properties[name] = sub;
  // A side with additionalProperties: false forbids the other side's extra names.
  for (const [closed, own] of [
    [a, pa],
    [b, pb],
  ] as const) {
    if (closed.additionalProperties !== false || closed.patternProperties !== undefined) continue;
    for (const name of Object.keys(properties)) {
      if (name in own) continue;
      if (required.has(name)) return unsat(`allOf requires property '${name}' that another branch forbids`);
      delete properties[name];
    }
  }
  if (Object.keys(properties).length > 0 || a.properties !== undefined || b.properties !== undefined) out.properties = properties;
  if (required.size > 0) out.required = [...required];
  if (a.additionalProperties === false || b.additionalProperties === false) out.additionalProperties = false;
  else if (a.additionalProperties !== undefined && b.additionalProperties !== undefined) out.additionalProperties = { allOf: [a.additionalProperties, b.additionalProperties] };
  return built(out);
}
