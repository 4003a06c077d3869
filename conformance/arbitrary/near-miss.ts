/**
 * Near misses: values built valid except at one place, where exactly one constraint is broken
 * (a required property dropped, a bound passed by one step, a wrong type...). Each kind is
 * its own arbitrary, so a caller sees every kind the schema allows; schema-arbitrary.ts keeps
 * only the values ajv rejects, since a break can be undone by another keyword (an `anyOf`
 * branch the broken value happens to match, say).
 */
import fc from 'fast-check';
import type { JsonObject, JsonValue } from '../../transport/jsonrpc.js';
import { invalidFormatSample } from './formats.js';
import { normalize } from './normalize.js';
import { canonical, isObject, numberOf, pointer, typesOf, type JsonType } from './schema-node.js';
import { admitsType, integerRange, itemSchemas, multiple, numberBounds, requiredOf, type ValidBuilder } from './valid.js';

export type NearMissKind =
  | 'required'
  | 'additional-property'
  | 'type'
  | 'integer'
  | 'enum'
  | 'const'
  | 'minimum'
  | 'maximum'
  | 'exclusive-minimum'
  | 'exclusive-maximum'
  | 'multiple-of'
  | 'min-length'
  | 'max-length'
  | 'pattern'
  | 'format'
  | 'min-items'
  | 'max-items'
  | 'unique-items';

export interface NearMiss {
  value: JsonValue;
  /** What was broken and where, e.g. "maximum 10 exceeded at /count". */
  broken: string;
  kind: NearMissKind;
  /** JSON pointer of the broken value ('' for the root). */
  path: string;
}

export type NearMissArb = fc.Arbitrary<NearMiss>;

// Past this many items, building a full array to overflow costs more than it tells.
const MAX_OVERFLOW_ITEMS = 64;
const EXTRA_NAME = 'mcpcertExtra';
const WRONG_TYPE_VALUES: readonly JsonValue[] = ['mcpcert', 7, true, null, {}, [], 1.5];
const PATTERN_MISSES = ['', ' ', '!', '~', '0', 'A b', 'mcpcert', '\u00e9', 'x'.repeat(40)];

const at = (path: string): string => (path === '' ? '' : ` at ${path}`);

export class NearMissBuilder {
  constructor(private readonly valid: ValidBuilder) {}

  /** One arbitrary per kind of break reachable in `node` and below it. */
  misses(node: JsonValue | undefined, path: string, depth: number): NearMissArb[] {
    if (depth > this.valid.limits.maxDepth) return [];
    const flat = normalize(node, this.valid.root);
    return flat.ok ? this.missesFlat(flat.value, path, depth) : [];
  }

  private missesFlat(schema: JsonObject, path: string, depth: number): NearMissArb[] {
    const out: NearMissArb[] = [];
    const { types, isDeclared } = typesOf(schema);
    if (isDeclared) {
      const wrong = WRONG_TYPE_VALUES.find((v) => !admitsType(types, v));
      if (wrong !== undefined) out.push(fixed(wrong, 'type', path, `type ${types.join('|')} expected${at(path)}`));
    }
    for (const key of ['anyOf', 'oneOf'] as const) {
      const branches = schema[key];
      if (!Array.isArray(branches)) continue;
      for (const merged of this.valid.branches(schema, key, branches)) if (merged.ok) out.push(...this.missesFlat(merged.value, path, depth + 1));
      return out;
    }
    if ('const' in schema || Array.isArray(schema.enum)) return [...out, ...valueMisses(schema, types, path)];
    // A node that names no type and hints at none constrains nothing a value could break.
    if (!isDeclared && types.length > 1) return out;
    for (const type of types) {
      if (type === 'integer' || type === 'number') out.push(...numberMisses(schema, type === 'integer', path));
      else if (type === 'string') out.push(...this.stringMisses(schema, path, depth));
      else if (type === 'array') out.push(...this.arrayMisses(schema, path, depth));
      else if (type === 'object') out.push(...this.objectMisses(schema, path, depth));
    }
    return out;
  }

  private base(type: JsonType, schema: JsonObject, depth: number): fc.Arbitrary<JsonValue> | undefined {
    const arb = this.valid.buildType(type, schema, depth);
    return arb.ok ? arb.value : undefined;
  }

  private stringMisses(schema: JsonObject, path: string, depth: number): NearMissArb[] {
    const out: NearMissArb[] = [];
    const min = numberOf(schema.minLength) ?? 0;
    const max = numberOf(schema.maxLength);
    const strings = this.base('string', schema, depth);
    if (strings && max !== undefined && max < MAX_OVERFLOW_ITEMS) {
      out.push(strings.map((s) => miss(withLength(String(s), max + 1), 'max-length', path, `maxLength ${max} exceeded${at(path)}`)));
    }
    if (strings && min > 0) out.push(strings.map((s) => miss(withLength(String(s), min - 1), 'min-length', path, `minLength ${min} not reached${at(path)}`)));
    if (typeof schema.pattern === 'string') {
      let regex: RegExp | undefined;
      try {
        regex = new RegExp(schema.pattern, 'u');
      } catch {
        regex = undefined;
      }
      const fits = (s: string): boolean => [...s].length >= min && (max === undefined || [...s].length <= max);
      const candidates = regex ? PATTERN_MISSES.map((s) => withLength(s, Math.max(min, [...s].length))).filter((s) => fits(s) && !regex.test(s)) : [];
      if (candidates.length > 0) out.push(fc.constantFrom(...candidates).map((s) => miss(s, 'pattern', path, `pattern ${String(schema.pattern)} not matched${at(path)}`)));
    }
    const badFormat = typeof schema.format === 'string' ? invalidFormatSample(schema.format) : undefined;
    if (badFormat !== undefined) out.push(fixed(badFormat, 'format', path, `format ${String(schema.format)} broken${at(path)}`));
    return out;
  }

  private arrayMisses(schema: JsonObject, path: string, depth: number): NearMissArb[] {
    const out: NearMissArb[] = [];
    const min = numberOf(schema.minItems) ?? 0;
    const max = numberOf(schema.maxItems);
    const { prefix, rest } = itemSchemas(schema, this.valid.dialect);
    const arrays = (lo: number, hi: number | undefined): fc.Arbitrary<JsonValue[]> | undefined => {
      const arb = this.base('array', { ...schema, minItems: lo, ...(hi === undefined ? {} : { maxItems: hi }) }, depth);
      return arb?.map((v) => (Array.isArray(v) ? v : []));
    };
    if (max !== undefined && max < MAX_OVERFLOW_ITEMS) {
      const full = arrays(max, max);
      const next = max < prefix.length ? this.valid.build(prefix[max], depth + 1) : rest === false ? undefined : this.valid.build(rest, depth + 1);
      if (full && next?.ok) out.push(fc.tuple(full, next.value).map(([a, item]) => miss([...a, item], 'max-items', path, `maxItems ${max} exceeded${at(path)}`)));
    }
    if (min > 0) {
      const short = arrays(min - 1, min - 1);
      if (short) out.push(short.map((a) => miss(a, 'min-items', path, `minItems ${min} not reached${at(path)}`)));
    }
    if (schema.uniqueItems === true && (max === undefined || max >= 2)) {
      const lo = Math.max(1, min - 1);
      const some = arrays(lo, max === undefined ? undefined : max - 1);
      if (some) out.push(some.map((a) => miss(a.length === 0 ? a : [...a, a[0]!], 'unique-items', path, `uniqueItems broken${at(path)}`)));
    }
    // One break inside an item: the first item for a list, each position for a tuple.
    const positions = prefix.length > 0 ? prefix.map((item, i) => ({ item, i })) : rest === undefined || rest === false ? [] : [{ item: rest, i: 0 }];
    for (const { item, i } of positions) {
      if (max !== undefined && i >= max) break;
      const host = arrays(Math.max(min, i + 1), max);
      if (!host) continue;
      for (const child of this.misses(item, pointer(path, i), depth + 1)) {
        out.push(fc.tuple(host, child).map(([a, m]) => ({ ...m, value: a.map((v, j) => (j === i ? m.value : v)) })));
      }
    }
    return out;
  }

  private objectMisses(schema: JsonObject, path: string, depth: number): NearMissArb[] {
    const objects = this.base('object', schema, depth)?.map((v) => (isObject(v) ? v : {}));
    if (!objects) return [];
    const out: NearMissArb[] = [];
    const properties = isObject(schema.properties) ? schema.properties : {};
    for (const name of requiredOf(schema)) {
      out.push(
        objects.map((o) => {
          const { [name]: _dropped, ...rest } = o;
          return miss(rest, 'required', path, `required property '${name}' missing${at(path)}`);
        }),
      );
    }
    if (schema.additionalProperties === false && !(EXTRA_NAME in properties)) {
      out.push(objects.map((o) => miss({ ...o, [EXTRA_NAME]: 'x' }, 'additional-property', path, `additional property '${EXTRA_NAME}' not allowed${at(path)}`)));
    }
    const children: [string, JsonValue][] = Object.entries(properties);
    if (isObject(schema.additionalProperties) && !(EXTRA_NAME in properties)) children.push([EXTRA_NAME, schema.additionalProperties]);
    for (const [name, sub] of children) {
      for (const child of this.misses(sub, pointer(path, name), depth + 1)) {
        out.push(fc.tuple(objects, child).map(([o, m]) => ({ ...m, value: { ...o, [name]: m.value } })));
      }
    }
    return out;
  }
}

function miss(value: JsonValue, kind: NearMissKind, path: string, broken: string): NearMiss {
  return { value, kind, path, broken };
}

function fixed(value: JsonValue, kind: NearMissKind, path: string, broken: string): NearMissArb {
  return fc.constant(miss(value, kind, path, broken));
}

/** Pads with 'x' or cuts to exactly `length` code points, the unit JSON Schema lengths count. */
function withLength(s: string, length: number): string {
  const points = [...s];
  while (points.length < length) points.push('x');
  return points.slice(0, length).join('');
}

/** A value of an allowed type that the enum or const leaves out. */
function valueMisses(schema: JsonObject, types: readonly JsonType[], path: string): NearMissArb[] {
  const isConst = 'const' in schema;
  const allowed = isConst ? [schema.const!] : (schema.enum as JsonValue[]);
  const taken = new Set(allowed.map(canonical));
  const candidates: JsonValue[] = [];
  for (const v of allowed) {
    if (typeof v === 'string') candidates.push(`${v}-x`, `${v}x`.toUpperCase());
    else if (typeof v === 'number') candidates.push(v + 1, v - 1);
    else if (typeof v === 'boolean') candidates.push(!v);
    else if (Array.isArray(v)) candidates.push([...v, 0]);
    else if (isObject(v)) candidates.push({ ...v, [EXTRA_NAME]: 0 });
  }
  candidates.push('mcpcert-not-listed', 0, false, null);
  const pick = candidates.find((c) => !taken.has(canonical(c)) && admitsType(types, c));
  if (pick === undefined) return [];
  const broken = isConst ? `const ${JSON.stringify(schema.const)} not matched${at(path)}` : `value not in enum${at(path)}`;
  return [fixed(pick, isConst ? 'const' : 'enum', path, broken)];
}

function numberMisses(schema: JsonObject, isInteger: boolean, path: string): NearMissArb[] {
  const out: NearMissArb[] = [];
  const b = numberBounds(schema);
  const step = b.step;
  // The closest value past a bound that still meets integer and multipleOf.
  const upFrom = (x: number, isStrict: boolean): number => {
    if (step !== undefined) return multiple(isStrict ? Math.floor(x / step) + 1 : Math.ceil(x / step), step);
    if (isInteger) return isStrict ? Math.floor(x) + 1 : Math.ceil(x);
    return isStrict ? x + 1 : x;
  };
  const downFrom = (x: number, isStrict: boolean): number => -upFrom(-x, isStrict);
  if (b.hi !== undefined) {
    const kind = b.isHiExclusive ? 'exclusive-maximum' : 'maximum';
    const broken = b.isHiExclusive ? `exclusiveMaximum ${b.hi} reached${at(path)}` : `maximum ${b.hi} exceeded${at(path)}`;
    out.push(fixed(upFrom(b.hi, !b.isHiExclusive), kind, path, broken));
  }
  if (b.lo !== undefined) {
    const kind = b.isLoExclusive ? 'exclusive-minimum' : 'minimum';
    const broken = b.isLoExclusive ? `exclusiveMinimum ${b.lo} reached${at(path)}` : `minimum ${b.lo} undercut${at(path)}`;
    out.push(fixed(downFrom(b.lo, !b.isLoExclusive), kind, path, broken));
  }
  const inRange = (v: number): boolean => (b.lo === undefined || (b.isLoExclusive ? v > b.lo : v >= b.lo)) && (b.hi === undefined || (b.isHiExclusive ? v < b.hi : v <= b.hi));
  const ints = integerRange(b);
  if (isInteger && step === undefined && inRange(ints.lo + 0.5)) out.push(fixed(ints.lo + 0.5, 'integer', path, `integer expected${at(path)}`));
  if (step !== undefined) {
    const k = Math.ceil((b.lo ?? 0) / step);
    const offset = isInteger ? 1 : step / 2;
    const v = multiple(k, step) + offset;
    if (inRange(v) && !Number.isInteger(v / step) && (!isInteger || Number.isInteger(v))) out.push(fixed(v, 'multiple-of', path, `multipleOf ${step} broken${at(path)}`));
  }
  return out;
}
