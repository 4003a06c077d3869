/**
 * Arguments for a tool, made from its `inputSchema` alone (checks never rely on fixture names):
 * the smallest value that satisfies the schema, taking the schema's own examples, defaults and
 * enums first. The result is validated against the schema, so a check never sends arguments it
 * believes valid but are not.
 */
import type { JsonObject, JsonValue } from '../transport/jsonrpc.js';
import type { ProtocolVersion } from '../spec/versions.js';
import { compileSchema, conforms } from './json-schema.js';

export type Sample = { ok: true; value: JsonValue } | { ok: false; reason: string };

const MAX_DEPTH = 8;

const FORMAT_SAMPLES: Readonly<Record<string, string>> = {
  uri: 'https://example.com/mcpcert',
  'uri-reference': 'https://example.com/mcpcert',
  iri: 'https://example.com/mcpcert',
  url: 'https://example.com/mcpcert',
  email: 'mcpcert@example.com',
  'date-time': '2025-01-01T00:00:00Z',
  date: '2025-01-01',
  time: '00:00:00Z',
  uuid: '00000000-0000-4000-8000-000000000000',
  hostname: 'example.com',
  ipv4: '127.0.0.1',
  ipv6: '::1',
  duration: 'PT1S',
};

const STRING_CANDIDATES = ['mcpcert', 'a', 'A', '0', '1', 'abc', 'a1', 'test', 'x-1', 'mcpcert://example'];

type Schema = JsonObject | boolean;

function isObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function resolveRef(ref: string, root: JsonValue): JsonValue | undefined {
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

function pickType(type: JsonValue | undefined, schema: JsonObject): string {
  const order = ['string', 'integer', 'number', 'boolean', 'object', 'array', 'null'];
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) return order.find((t) => type.includes(t)) ?? 'string';
  if (isObject(schema.properties) || Array.isArray(schema.required)) return 'object';
  if (schema.items !== undefined || schema.prefixItems !== undefined) return 'array';
  if (schema.minimum !== undefined || schema.maximum !== undefined) return 'number';
  return 'string';
}

function sampleNumber(schema: JsonObject, integer: boolean): Sample {
  const num = (v: JsonValue | undefined): number | undefined => (typeof v === 'number' ? v : undefined);
  // draft-04 style boolean exclusives are read as draft-07 numbers would be.
  const lo = num(schema.exclusiveMinimum) !== undefined ? num(schema.exclusiveMinimum)! + (integer ? 1 : 0.5) : num(schema.minimum);
  const hi = num(schema.exclusiveMaximum) !== undefined ? num(schema.exclusiveMaximum)! - (integer ? 1 : 0.5) : num(schema.maximum);
  const step = num(schema.multipleOf);
  const fits = (n: number): boolean => (lo === undefined || n >= lo) && (hi === undefined || n <= hi) && (!integer || Number.isInteger(n)) && (step === undefined || Math.abs(n / step - Math.round(n / step)) < 1e-9);
  // Small values first: a count of 1 is likelier to be harmless than the maximum.
  const candidates = [1, 0, lo, lo === undefined ? undefined : Math.ceil(lo), step === undefined || lo === undefined ? undefined : Math.ceil(lo / step) * step, step, hi];
  for (const c of candidates) if (c !== undefined && fits(c)) return { ok: true, value: c };
  return { ok: false, reason: `no ${integer ? 'integer' : 'number'} fits minimum ${String(lo)}, maximum ${String(hi)}, multipleOf ${String(step)}` };
}

function sampleString(schema: JsonObject): Sample {
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity;
  const fit = (s: string): string => {
    let v = s.length < min ? s + 'x'.repeat(min - s.length) : s;
    if (v.length > max) v = v.slice(0, max);
    return v;
  };
  const format = typeof schema.format === 'string' ? FORMAT_SAMPLES[schema.format] : undefined;
  const candidates = format === undefined ? STRING_CANDIDATES : [format, ...STRING_CANDIDATES];
  if (typeof schema.pattern !== 'string') return { ok: true, value: fit(candidates[0]!) };
  let pattern: RegExp;
  try {
    pattern = new RegExp(schema.pattern, 'u');
  } catch {
    return { ok: false, reason: `cannot read the pattern ${schema.pattern}` };
  }
  for (const c of candidates.map(fit)) if (pattern.test(c) && c.length >= min && c.length <= max) return { ok: true, value: c };
  return { ok: false, reason: `no sample string matches the pattern ${schema.pattern}` };
}

function sample(schemaValue: JsonValue | undefined, root: JsonValue, depth: number): Sample {
  if (depth > MAX_DEPTH) return { ok: false, reason: 'the schema nests too deeply to sample' };
  if (schemaValue === undefined || schemaValue === true) return { ok: true, value: 'mcpcert' };
  if (schemaValue === false) return { ok: false, reason: 'a property schema is false' };
  if (!isObject(schemaValue)) return { ok: false, reason: 'a subschema is not an object' };
  const schema: Schema = schemaValue;
  if (typeof schema.$ref === 'string') {
    const target = resolveRef(schema.$ref, root);
    if (target === undefined) return { ok: false, reason: `cannot resolve $ref ${schema.$ref}` };
    return sample(target, root, depth + 1);
  }
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return { ok: true, value: schema.examples[0]! };
  if ('const' in schema) return { ok: true, value: schema.const! };
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return { ok: true, value: schema.enum[0]! };
  if ('default' in schema) return { ok: true, value: schema.default! };
  if (Array.isArray(schema.allOf)) return sampleAllOf(schema, root, depth);
  for (const key of ['anyOf', 'oneOf'] as const) {
    const branches = schema[key];
    if (Array.isArray(branches)) {
      for (const branch of branches) {
        const s = sample(branch, root, depth + 1);
        if (s.ok) return s;
      }
      return { ok: false, reason: `no branch of ${key} could be sampled` };
    }
  }
  switch (pickType(schema.type, schema)) {
    case 'string':
      return sampleString(schema);
    case 'integer':
      return sampleNumber(schema, true);
    case 'number':
      return sampleNumber(schema, false);
    case 'boolean':
      return { ok: true, value: false };
    case 'null':
      return { ok: true, value: null };
    case 'array':
      return sampleArray(schema, root, depth);
    default:
      return sampleObject(schema, root, depth);
  }
}

function sampleArray(schema: JsonObject, root: JsonValue, depth: number): Sample {
  const min = typeof schema.minItems === 'number' ? schema.minItems : 0;
  const prefix = Array.isArray(schema.prefixItems) ? schema.prefixItems : Array.isArray(schema.items) ? schema.items : [];
  const items: JsonValue[] = [];
  for (let i = 0; i < min; i++) {
    const s = sample(i < prefix.length ? prefix[i] : Array.isArray(schema.items) ? undefined : schema.items, root, depth + 1);
    if (!s.ok) return s;
    items.push(s.value);
  }
  return { ok: true, value: items };
}

function sampleObject(schema: JsonObject, root: JsonValue, depth: number): Sample {
  const properties = isObject(schema.properties) ? schema.properties : {};
  const required = Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === 'string') : [];
  const value: JsonObject = {};
  for (const name of required) {
    const s = sample(properties[name], root, depth + 1);
    if (!s.ok) return { ok: false, reason: `property ${name}: ${s.reason}` };
    value[name] = s.value;
  }
  return { ok: true, value };
}

function sampleAllOf(schema: JsonObject, root: JsonValue, depth: number): Sample {
  // Merge the object parts; other keywords of the branches are checked by the final validation.
  const merged: JsonObject = { ...schema, properties: { ...(isObject(schema.properties) ? schema.properties : {}) }, required: [...(Array.isArray(schema.required) ? schema.required : [])] };
  delete merged.allOf;
  for (const branchValue of schema.allOf as JsonValue[]) {
    const branch = isObject(branchValue) && typeof branchValue.$ref === 'string' ? resolveRef(branchValue.$ref, root) : branchValue;
    if (!isObject(branch)) continue;
    if (isObject(branch.properties)) Object.assign(merged.properties as JsonObject, branch.properties);
    if (Array.isArray(branch.required)) (merged.required as JsonValue[]).push(...branch.required);
    if (merged.type === undefined && branch.type !== undefined) merged.type = branch.type;
  }
  return sample(merged, root, depth + 1);
}

/**
 * Schema-valid arguments for a tool, or why none could be made (then the tool is left out of
 * checks that need arguments, with a note, rather than called with guesses).
 */
export function argumentsFor(inputSchema: JsonValue | undefined, version: ProtocolVersion): { ok: true; value: JsonObject } | { ok: false; reason: string } {
  if (!isObject(inputSchema)) return { ok: false, reason: 'the inputSchema is not an object' };
  const s = sample(inputSchema, inputSchema, 0);
  if (!s.ok) return s;
  if (!isObject(s.value)) return { ok: false, reason: 'the inputSchema does not describe an object' };
  const compiled = compileSchema(inputSchema, version);
  if (!compiled.ok) return { ok: false, reason: compiled.reason };
  const check = conforms(compiled.validate, s.value);
  return check.ok ? { ok: true, value: s.value } : { ok: false, reason: `the generated arguments ${JSON.stringify(s.value)} do not validate: ${check.summary}` };
}
