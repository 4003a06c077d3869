/**
 * Builds, constructively, a fast-check arbitrary of values a schema accepts. It covers the
 * keywords tool schemas use; whatever it does not model (`not`, `if`, `patternProperties`,
 * overlapping `oneOf` branches...) is caught by the ajv check schema-arbitrary.ts puts on
 * every value, so this module may err towards generating too much, never too little.
 */
import fc from 'fast-check';
import type { JsonObject, JsonValue } from '../../transport/jsonrpc.js';
import type { Dialect } from '../json-schema.js';
import { formatArbitrary } from './formats.js';
import { merge, normalize } from './normalize.js';
import { built, canonical, isObject, jsonTypeOf, numberOf, typesOf, unsat, type Built, type JsonType } from './schema-node.js';

export type Arb = fc.Arbitrary<JsonValue>;

export interface Limits {
  /** Nesting (objects, arrays, combinators) past which only what is required is generated. */
  maxDepth: number;
  /** Items generated beyond `minItems`. */
  maxItems: number;
  /** Characters generated beyond `minLength`. */
  maxStringLength: number;
}

// Past maxDepth, required parts still have to be built; this many more levels, then give up.
const DEPTH_GRACE = 6;
// Unbounded numbers stay small: tool arguments such as `steps` or `delayMs` are used as counts.
const NUMBER_SPAN = 1000;

const extraKey = fc.stringMatching(/^x[A-Za-z0-9_]{0,6}$/);
const scalar: Arb = fc.oneof(fc.constant(null), fc.boolean(), fc.integer({ min: -100, max: 100 }), fc.string({ maxLength: 8 }));
const anything: Arb = fc.oneof(
  { weight: 3, arbitrary: scalar },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(extraKey, scalar, { maxKeys: 3, noNullPrototype: true }) },
);

export class ValidBuilder {
  private readonly memo = new WeakMap<JsonObject, Map<number, Built<Arb>>>();

  constructor(
    readonly root: JsonValue,
    readonly dialect: Dialect,
    readonly limits: Limits,
  ) {}

  /** An arbitrary for the subschema `node` found `depth` levels below the root. */
  build(node: JsonValue | undefined, depth: number): Built<Arb> {
    if (depth > this.limits.maxDepth + DEPTH_GRACE) return unsat(`the schema requires nesting deeper than ${this.limits.maxDepth + DEPTH_GRACE} levels`);
    if (!isObject(node)) {
      const flat = normalize(node, this.root);
      return flat.ok ? this.buildFlat(flat.value, depth) : flat;
    }
    let byDepth = this.memo.get(node);
    if (!byDepth) this.memo.set(node, (byDepth = new Map()));
    const cached = byDepth.get(depth);
    if (cached) return cached;
    const flat = normalize(node, this.root);
    const result = flat.ok ? this.buildFlat(flat.value, depth) : flat;
    byDepth.set(depth, result);
    return result;
  }

  /** Like build, for a node already normalized (no `$ref`, no `allOf`). */
  buildFlat(schema: JsonObject, depth: number): Built<Arb> {
    for (const key of ['anyOf', 'oneOf'] as const) {
      const branches = schema[key];
      if (Array.isArray(branches)) return this.buildBranches(schema, key, branches, depth);
    }
    const arb = this.buildPlain(schema, depth);
    if (!arb.ok) return arb;
    // A schema's own default and examples are likely values: offer them now and then.
    const hints = [...('default' in schema ? [schema.default!] : []), ...(Array.isArray(schema.examples) ? schema.examples : [])];
    if (hints.length === 0) return arb;
    return built(fc.oneof({ weight: 1, arbitrary: fc.constantFrom(...hints) }, { weight: 4, arbitrary: arb.value }));
  }

  /** Each branch merged with the rest of its node, so shared `properties` or `type` apply to it. */
  branches(schema: JsonObject, key: 'anyOf' | 'oneOf', branches: JsonValue[]): Built<JsonObject>[] {
    const { [key]: _drop, ...base } = schema;
    return branches.map((branch) => {
      const b = normalize(branch, this.root);
      return b.ok ? merge(base, b.value) : b;
    });
  }

  private buildBranches(schema: JsonObject, key: 'anyOf' | 'oneOf', branches: JsonValue[], depth: number): Built<Arb> {
    const arbs: Arb[] = [];
    let reason = `${key} is empty`;
    for (const merged of this.branches(schema, key, branches)) {
      const arb = merged.ok ? this.buildFlat(merged.value, depth + 1) : merged;
      if (arb.ok) arbs.push(arb.value);
      else reason = arb.reason;
    }
    return arbs.length === 0 ? unsat(`no branch of ${key} can be generated: ${reason}`) : built(fc.oneof(...arbs));
  }

  private buildPlain(schema: JsonObject, depth: number): Built<Arb> {
    const { types, isDeclared } = typesOf(schema);
    if (types.length === 0) return unsat(`unknown type ${JSON.stringify(schema.type)}`);
    const fixed = 'const' in schema ? [schema.const!] : Array.isArray(schema.enum) ? schema.enum : undefined;
    if (fixed !== undefined) {
      const fitting = fixed.filter((v) => !isDeclared || admitsType(types, v));
      return fitting.length === 0 ? unsat('no enum/const value has an allowed type') : built(fc.constantFrom(...fitting));
    }
    if (!isDeclared && types.length > 1) return built(anything);
    const arbs: Arb[] = [];
    let reason = '';
    for (const type of types) {
      const arb = this.buildType(type, schema, depth);
      if (arb.ok) arbs.push(arb.value);
      else reason = arb.reason;
    }
    return arbs.length === 0 ? unsat(reason) : built(arbs.length === 1 ? arbs[0]! : fc.oneof(...arbs));
  }

  /** Values of one type of a node, ignoring its enum, const, defaults and combinators. */
  buildType(type: JsonType, schema: JsonObject, depth: number): Built<Arb> {
    switch (type) {
      case 'null':
        return built(fc.constant(null));
      case 'boolean':
        return built(fc.boolean());
      case 'integer':
      case 'number':
        return numberArbitrary(schema, type === 'integer');
      case 'string':
        return this.stringArbitrary(schema);
      case 'array':
        return this.arrayArbitrary(schema, depth);
      case 'object':
        return this.objectArbitrary(schema, depth);
    }
  }

  private stringArbitrary(schema: JsonObject): Built<Arb> {
    const min = numberOf(schema.minLength) ?? 0;
    const max = numberOf(schema.maxLength) ?? Infinity;
    if (min > max) return unsat(`minLength ${min} exceeds maxLength ${max}`);
    const hi = Math.min(max, min + this.limits.maxStringLength);
    const format = typeof schema.format === 'string' ? formatArbitrary(schema.format) : undefined;
    if (format) return built(format);
    if (typeof schema.pattern === 'string') {
      let regex: RegExp;
      try {
        regex = new RegExp(schema.pattern, 'u');
      } catch {
        return unsat(`cannot read the pattern ${schema.pattern}`);
      }
      try {
        return built(fc.stringMatching(regex, { size: 'xsmall', maxLength: Number.isFinite(max) ? max : hi + 16 }));
      } catch {
        // fast-check reads only part of the regex syntax; plain strings may still match.
      }
    }
    return built(fc.string({ minLength: min, maxLength: hi }));
  }

  private arrayArbitrary(schema: JsonObject, depth: number): Built<Arb> {
    const min = numberOf(schema.minItems) ?? 0;
    const max = numberOf(schema.maxItems) ?? Infinity;
    if (min > max) return unsat(`minItems ${min} exceeds maxItems ${max}`);
    const isMinimal = depth >= this.limits.maxDepth;
    let hi = isMinimal ? min : Math.min(max, Math.max(min, this.limits.maxItems));
    const { prefix, rest } = itemSchemas(schema, this.dialect);
    const prefixArbs: Arb[] = [];
    for (const item of prefix) {
      if (prefixArbs.length >= hi) break;
      const arb = this.build(item, depth + 1);
      if (!arb.ok) break;
      prefixArbs.push(arb.value);
    }
    if (prefixArbs.length < Math.min(prefix.length, hi)) hi = prefixArbs.length;
    const restArb = hi > prefixArbs.length && rest !== false ? this.build(rest, depth + 1) : undefined;
    if (!restArb?.ok) hi = Math.min(hi, prefixArbs.length);
    if (min > hi) return unsat(`cannot build ${min} items: ${restArb && !restArb.ok ? restArb.reason : 'items are not allowed'}`);
    const isUnique = schema.uniqueItems === true;
    if (prefixArbs.length === 0) {
      if (!restArb?.ok) return built(fc.constant([]));
      const arr = isUnique ? fc.uniqueArray(restArb.value, { minLength: min, maxLength: hi, selector: canonical }) : fc.array(restArb.value, { minLength: min, maxLength: hi });
      return built(arr);
    }
    const tail = restArb?.ok ? restArb.value : undefined;
    return built(
      fc.integer({ min, max: hi }).chain((length): fc.Arbitrary<JsonValue[]> => {
        const head = prefixArbs.slice(0, length);
        const more = tail === undefined ? [] : Array.from({ length: Math.max(0, length - head.length) }, () => tail);
        return fc.tuple(...head, ...more);
      }),
    );
  }

  private objectArbitrary(schema: JsonObject, depth: number): Built<Arb> {
    const properties = isObject(schema.properties) ? schema.properties : {};
    const required = requiredOf(schema);
    const extra = schema.additionalProperties;
    const isMinimal = depth >= this.limits.maxDepth;
    const model: Record<string, Arb> = {};
    for (const name of required) {
      const arb: Built<Arb> = name in properties ? this.build(properties[name], depth + 1) : extra === false ? unsat('it is not among the properties and additionalProperties is false') : this.build(extra, depth + 1);
      if (!arb.ok) return unsat(`required property '${name}': ${arb.reason}`);
      model[name] = arb.value;
    }
    if (!isMinimal) {
      for (const [name, sub] of Object.entries(properties)) {
        if (name in model) continue;
        const arb = this.build(sub, depth + 1);
        // A property that cannot be built is one that must stay absent (its schema is false).
        if (arb.ok) model[name] = arb.value;
      }
    }
    const record = fc.record(model, { requiredKeys: required, noNullPrototype: true });
    // Extra names only where the schema invites them; undeclared extras annoy strict servers.
    const canExtend = !isMinimal && (extra === true || isObject(extra)) && schema.patternProperties === undefined && schema.propertyNames === undefined;
    const extraArb = canExtend ? this.build(extra, depth + 1) : undefined;
    if (!extraArb?.ok) return built(record.map(compact));
    const extras = fc.array(fc.tuple(extraKey, extraArb.value), { maxLength: 2 });
    return built(
      fc.tuple(record, extras).map(([base, more]) => {
        const out = compact(base);
        for (const [k, v] of more) if (!(k in properties)) out[k] = v;
        return out;
      }),
    );
  }
}

export function requiredOf(schema: JsonObject): string[] {
  return Array.isArray(schema.required) ? [...new Set(schema.required.filter((r): r is string => typeof r === 'string'))] : [];
}

/** Tuple and rest item schemas in the node's dialect: `prefixItems`/`items` or `items[]`/`additionalItems`. */
export function itemSchemas(schema: JsonObject, dialect: Dialect): { prefix: JsonValue[]; rest: JsonValue | undefined } {
  if (dialect === '2020-12') return { prefix: Array.isArray(schema.prefixItems) ? schema.prefixItems : [], rest: schema.items };
  if (Array.isArray(schema.items)) return { prefix: schema.items, rest: schema.additionalItems };
  return { prefix: [], rest: schema.items };
}

function compact(record: Partial<Record<string, JsonValue>>): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(record)) if (v !== undefined) out[k] = v;
  return out;
}

export function admitsType(types: readonly JsonType[], v: JsonValue): boolean {
  const t = jsonTypeOf(v);
  return types.includes(t) || (t === 'integer' && types.includes('number'));
}

/** Inclusive integer bounds or open real bounds of a numeric node, or why none exist. */
export interface NumberBounds {
  lo: number | undefined;
  hi: number | undefined;
  isLoExclusive: boolean;
  isHiExclusive: boolean;
  step: number | undefined;
}

export function numberBounds(schema: JsonObject): NumberBounds {
  const min = numberOf(schema.minimum);
  const exMin = numberOf(schema.exclusiveMinimum);
  const max = numberOf(schema.maximum);
  const exMax = numberOf(schema.exclusiveMaximum);
  const isLoExclusive = exMin !== undefined && (min === undefined || exMin >= min);
  const isHiExclusive = exMax !== undefined && (max === undefined || exMax <= max);
  const step = numberOf(schema.multipleOf);
  return { lo: isLoExclusive ? exMin : min, hi: isHiExclusive ? exMax : max, isLoExclusive, isHiExclusive, step: step !== undefined && step > 0 ? step : undefined };
}

/** Integer range after exclusivity, with the default span where a side is open. */
export function integerRange(b: NumberBounds): { lo: number; hi: number } {
  let lo = b.lo === undefined ? undefined : b.isLoExclusive ? Math.floor(b.lo) + 1 : Math.ceil(b.lo);
  let hi = b.hi === undefined ? undefined : b.isHiExclusive ? Math.ceil(b.hi) - 1 : Math.floor(b.hi);
  if (lo === undefined && hi === undefined) [lo, hi] = [-NUMBER_SPAN, NUMBER_SPAN];
  lo ??= hi! - NUMBER_SPAN;
  hi ??= lo + NUMBER_SPAN;
  return { lo, hi };
}

/** `k * step`, nudged to the decimal that ajv's `data / step` check reads as a whole number. */
export function multiple(k: number, step: number): number {
  const raw = k * step;
  if (Number.isInteger(raw / step)) return raw;
  const rounded = Number(raw.toPrecision(12));
  return Number.isInteger(rounded / step) ? rounded : raw;
}

/**
 * ajv reads 0.3 as no multiple of 0.1 (0.3 / 0.1 is 2.9999999999999996), so for a decimal
 * step some k have no value ajv accepts; a neighbouring k usually does.
 */
function nearestMultiple(k: number, step: number, lo: number, hi: number): number {
  for (let d = 0; d <= 8; d++) {
    for (const j of [k + d, k - d]) {
      if (j < lo || j > hi) continue;
      const v = multiple(j, step);
      if (Number.isInteger(v / step)) return v;
    }
  }
  return multiple(k, step);
}

function numberArbitrary(schema: JsonObject, isInteger: boolean): Built<Arb> {
  const b = numberBounds(schema);
  if (b.step !== undefined) {
    // Multiples are k * step; the integer bounds of k follow from the real bounds.
    const { lo, hi } = integerRange({ ...b, lo: b.lo === undefined ? undefined : b.lo / b.step, hi: b.hi === undefined ? undefined : b.hi / b.step });
    if (lo > hi) return unsat(`no multiple of ${b.step} lies within the bounds`);
    return built(fc.integer({ min: lo, max: hi }).map((k) => nearestMultiple(k, b.step!, lo, hi)));
  }
  const ints = integerRange(b);
  const intArb = ints.lo <= ints.hi ? fc.oneof({ weight: 1, arbitrary: fc.constantFrom(...edges(ints.lo, ints.hi)) }, { weight: 4, arbitrary: fc.integer({ min: ints.lo, max: ints.hi }) }) : undefined;
  if (isInteger) return intArb ? built(intArb) : unsat(`no integer lies within the bounds ${String(b.lo)}..${String(b.hi)}`);
  const lo = b.lo ?? (b.hi === undefined ? -NUMBER_SPAN : b.hi - NUMBER_SPAN);
  const hi = b.hi ?? lo + NUMBER_SPAN;
  if (lo > hi || (lo === hi && (b.isLoExclusive || b.isHiExclusive))) return unsat(`no number lies within the bounds ${lo}..${hi}`);
  const reals = fc.double({ min: lo, max: hi, minExcluded: b.isLoExclusive, maxExcluded: b.isHiExclusive, noNaN: true, noDefaultInfinity: true });
  return built(intArb ? fc.oneof(intArb, reals) : reals);
}

function edges(lo: number, hi: number): number[] {
  return [...new Set([lo, hi, ...(lo <= 0 && hi >= 0 ? [0] : [])])];
}
