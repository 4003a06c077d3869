/**
 * JSON Schema → fast-check arbitraries: on real tool schemas and hand-made edge cases, every
 * valid value passes ajv and every near miss fails it.
 * Replay: MCPCERT_SEED=<seed> npx vitest run test/conformance/arbitrary.test.ts
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { compileSchema } from '../../conformance/json-schema.js';
import { rawArbitraries, schemaArbitraries, type NearMiss } from '../../conformance/arbitrary/schema-arbitrary.js';
import { populateDefault } from '../../reference/populate.js';
import { Registry } from '../../reference/registry.js';
import type { JsonObject, JsonValue } from '../../transport/jsonrpc.js';
import { EDGE_CASES, EVERY_KIND, EVERYTHING_TOOLS, SDK_EXAMPLE_TOOLS, type CorpusEntry } from './fixtures/schema-corpus.js';

const SEED = Number(process.env.MCPCERT_SEED ?? 20260901);
const RUNS = 100;

function referenceTools(): CorpusEntry[] {
  const registry = new Registry();
  populateDefault(registry);
  return registry.tools.map((t) => ({ name: t.name, schema: t.inputSchema }));
}

function validator(schema: JsonObject): (v: JsonValue) => boolean {
  const compiled = compileSchema(schema, '2025-11-25');
  if (!compiled.ok) throw new Error(compiled.reason);
  return (v) => compiled.validate(v) === true;
}

function arbitraries(schema: JsonObject): Extract<ReturnType<typeof schemaArbitraries>, { ok: true }> {
  const a = schemaArbitraries(schema);
  if (!a.ok) throw new Error(a.reason);
  return a;
}

const CORPUS: [string, readonly CorpusEntry[]][] = [
  ['reference server', referenceTools()],
  ['SDK simpleStreamableHttp', SDK_EXAMPLE_TOOLS],
  ['server-everything', EVERYTHING_TOOLS],
  ['edge case', EDGE_CASES],
];

for (const [source, entries] of CORPUS) {
  describe(`${source} schemas (seed ${SEED})`, () => {
    test.each(entries.map((e) => [e.name, e] as const))('%s: valid values pass ajv, near misses fail it', (_name, entry) => {
      const isValid = validator(entry.schema);
      const raw = rawArbitraries(entry.schema);
      if (!raw.ok) throw new Error(raw.reason);
      // The generators' raw output, not the ajv-filtered arbitraries, whose passing would prove nothing.
      const values = fc.sample(raw.valid, { seed: SEED, numRuns: RUNS });
      const accepted = values.filter(isValid).length / values.length;
      if (entry.needsFilter?.valid === undefined) {
        fc.assert(
          fc.property(raw.valid, (v) => isValid(v)),
          { seed: SEED, numRuns: RUNS },
        );
      } else expect(accepted).toBeGreaterThan(0.5);
      if (raw.nearMisses.length > 0 && entry.needsFilter?.nearMiss === undefined) {
        fc.assert(
          fc.property(fc.oneof(...raw.nearMisses), (m) => !isValid(m.value)),
          { seed: SEED, numRuns: RUNS },
        );
      }
      const a = arbitraries(entry.schema);
      for (const v of fc.sample(a.valid, { seed: SEED, numRuns: RUNS })) expect(isValid(v)).toBe(true);
      if (a.nearMiss) for (const m of fc.sample(a.nearMiss, { seed: SEED, numRuns: RUNS })) expect(isValid(m.value), m.broken).toBe(false);
      for (const kind of entry.kinds ?? []) expect(a.nearMissKinds).toContain(kind);
    });
  });
}

describe('what the generator produces', () => {
  test('tool schemas with a constraint yield near misses, and an empty schema yields none', () => {
    for (const entry of [...SDK_EXAMPLE_TOOLS, ...EVERYTHING_TOOLS].filter((e) => Array.isArray(e.schema.required))) {
      expect(arbitraries(entry.schema).nearMissKinds, entry.name).toContain('required');
    }
    expect(arbitraries({}).nearMiss).toBeUndefined();
    expect(arbitraries({ type: 'object', properties: {} }).nearMissKinds).toEqual(['type']);
  });

  test('every near-miss kind is produced for a schema designed to have them, each rejected by ajv', () => {
    const a = arbitraries(EVERY_KIND);
    const isValid = validator(EVERY_KIND);
    const all = ['required', 'additional-property', 'type', 'integer', 'enum', 'const', 'minimum', 'maximum', 'exclusive-minimum', 'exclusive-maximum', 'multiple-of', 'min-length', 'max-length', 'pattern', 'format', 'min-items', 'max-items', 'unique-items'];
    expect(a.nearMissKinds).toEqual([...all].sort());
    const seen = new Map<string, NearMiss>();
    for (const m of fc.sample(a.nearMiss!, { seed: SEED, numRuns: 2000 })) {
      expect(isValid(m.value), m.broken).toBe(false);
      seen.set(m.kind, m);
    }
    expect([...seen.keys()].sort()).toEqual([...all].sort());
    expect(seen.get('maximum')).toMatchObject({ broken: 'maximum 10 exceeded at /count', path: '/count', value: expect.objectContaining({ count: 11 }) });
    expect(seen.get('required')?.broken).toMatch(/^required property '(name|count)' missing$/);
    expect(seen.get('exclusive-maximum')).toMatchObject({ broken: 'exclusiveMaximum 1 reached at /ratio', value: expect.objectContaining({ ratio: 1 }) });
    expect(seen.get('type')?.broken).toMatch(/^type \w+(\|\w+)* expected( at (\/\w+)+)?$/);
  });

  test('uses examples and defaults as candidates, and reaches optional properties', () => {
    const a = arbitraries({ type: 'object', properties: { n: { type: 'integer', default: 777, minimum: 0, maximum: 1000 }, s: { type: 'string', examples: ['hello'] } } });
    const values = fc.sample(a.valid, { seed: SEED, numRuns: 300 }) as JsonObject[];
    expect(values.some((v) => v.n === 777)).toBe(true);
    expect(values.some((v) => v.s === 'hello')).toBe(true);
    expect(values.some((v) => !('n' in v))).toBe(true);
  });

  test('keeps values small: arrays, strings and recursion stay bounded', () => {
    const a = arbitraries(EDGE_CASES.find((e) => e.name.includes('tree'))!.schema);
    const depth = (v: JsonValue): number => (Array.isArray(v) ? 1 + Math.max(0, ...v.map(depth)) : typeof v === 'object' && v !== null ? 1 + Math.max(0, ...Object.values(v).map(depth)) : 0);
    for (const v of fc.sample(a.valid, { seed: SEED, numRuns: 200 })) expect(depth(v)).toBeLessThanOrEqual(12);
    const strings = arbitraries({ type: 'array', items: { type: 'string' } });
    for (const v of fc.sample(strings.valid, { seed: SEED, numRuns: 200 }) as string[][]) {
      expect(v.length).toBeLessThanOrEqual(5);
      for (const s of v) expect(s.length).toBeLessThanOrEqual(12);
    }
  });

  test('generates 100 values of a typical tool schema in milliseconds', () => {
    const schema = referenceTools().find((t) => t.name === 'long-running')!.schema;
    const a = arbitraries(schema);
    const started = performance.now();
    fc.sample(a.valid, { seed: SEED, numRuns: 100 });
    fc.sample(a.nearMiss!, { seed: SEED, numRuns: 100 });
    expect(performance.now() - started).toBeLessThan(200);
  });
});

describe('unsupported schemas and determinism', () => {
  test('says why when no value can be generated, instead of looping', () => {
    expect(schemaArbitraries({ type: 'integer', minimum: 5, maximum: 4 })).toMatchObject({ ok: false, reason: expect.stringMatching(/no integer lies within/) });
    expect(schemaArbitraries({ type: 'string', not: { type: 'string' } })).toMatchObject({ ok: false, reason: expect.stringMatching(/no generated value validates/) });
    expect(schemaArbitraries({ type: 'object', properties: { a: { $ref: '#/$defs/missing' } } })).toMatchObject({ ok: false, reason: expect.stringMatching(/cannot be compiled/) });
    expect(schemaArbitraries({ $defs: { loop: { type: 'object', properties: { next: { $ref: '#/$defs/loop' } }, required: ['next'] } }, $ref: '#/$defs/loop' })).toMatchObject({ ok: false, reason: expect.stringMatching(/nesting deeper/) });
  });

  test('the same seed gives the same values, another seed other values', () => {
    const a = arbitraries(EVERY_KIND);
    const draw = (seed: number): unknown[] => [fc.sample(a.valid, { seed, numRuns: 20 }), fc.sample(a.nearMiss!, { seed, numRuns: 20 })];
    expect(draw(SEED)).toEqual(draw(SEED));
    expect(arbitraries(EVERY_KIND).valid === a.valid).toBe(false);
    expect(draw(SEED)).toEqual([fc.sample(arbitraries(EVERY_KIND).valid, { seed: SEED, numRuns: 20 }), fc.sample(arbitraries(EVERY_KIND).nearMiss!, { seed: SEED, numRuns: 20 })]);
    expect(draw(SEED + 1)).not.toEqual(draw(SEED));
  });

  test('the property catches a generator paired with the wrong schema', () => {
    // Values for maximum 10, judged against maximum 5: the run must fail and name a counterexample.
    const loose = arbitraries({ type: 'integer', minimum: 0, maximum: 10 });
    const isStrictValid = validator({ type: 'integer', minimum: 0, maximum: 5 });
    const details = fc.check(
      fc.property(loose.valid, (v) => isStrictValid(v)),
      { seed: SEED, numRuns: RUNS },
    );
    expect(details.failed).toBe(true);
    expect(details.counterexample?.[0]).toBeGreaterThan(5);
    // And near misses judged as valid values fail at once.
    const isValid = validator(EVERY_KIND);
    expect(fc.check(fc.property(arbitraries(EVERY_KIND).nearMiss!, (m) => isValid(m.value)), { seed: SEED, numRuns: RUNS }).failed).toBe(true);
  });
});
