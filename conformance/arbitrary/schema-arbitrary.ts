/**
 * fast-check arbitraries from a JSON Schema (a tool's `inputSchema`): values it accepts, and
 * near misses that break exactly one of its constraints. Generation is constructive (valid.ts,
 * near-miss.ts); ajv, through json-schema.ts, has the last word on every value, so a keyword
 * the generators do not model can cost speed but never lets a wrong value out.
 *
 * fast-check's `filter` retries until a value passes, forever if none ever does. So before a
 * filter is attached, each arbitrary is probed with a fixed seed: one that yields no passing
 * value in the probe is reported as unsupported (or, for a near-miss kind, dropped) instead.
 */
import fc from 'fast-check';
import type { ValidateFunction } from 'ajv';
import type { JsonValue } from '../../transport/jsonrpc.js';
import { LATEST_HANDSHAKE_VERSION, type ProtocolVersion } from '../../spec/versions.js';
import { compileSchema, conforms, type Dialect } from '../json-schema.js';
import { NearMissBuilder, type NearMiss, type NearMissKind } from './near-miss.js';
import { ValidBuilder, type Limits } from './valid.js';

export type { NearMiss, NearMissKind } from './near-miss.js';

export interface SchemaArbitraryOptions {
  /** Picks the dialect of a schema without `$schema` (json-schema.ts `dialectOf`); default 2025-11-25. */
  version?: ProtocolVersion;
  /** Nesting past which only required parts are generated; default 4. */
  maxDepth?: number;
  /** Array items generated beyond `minItems`; default 5. */
  maxItems?: number;
  /** String characters generated beyond `minLength`; default 12. */
  maxStringLength?: number;
}

export type SchemaArbitraries =
  | {
      ok: true;
      dialect: Dialect;
      /** Values the schema accepts. */
      valid: fc.Arbitrary<JsonValue>;
      /** Values it rejects for one named reason; undefined when none could be made (`{}` admits everything). */
      nearMiss: fc.Arbitrary<NearMiss> | undefined;
      /** The kinds `nearMiss` draws from, each seen rejected by ajv in the probe. */
      nearMissKinds: NearMissKind[];
    }
  | { ok: false; reason: string };

const PROBE_SEED = 20_250_618;
const PROBE_RUNS = 24;

/** The generators' own output, before ajv judges it; for tests of the generators themselves. */
export type RawArbitraries =
  | { ok: true; dialect: Dialect; validate: ValidateFunction; valid: fc.Arbitrary<JsonValue>; nearMisses: fc.Arbitrary<NearMiss>[] }
  | { ok: false; reason: string };

export function rawArbitraries(schema: JsonValue, options: SchemaArbitraryOptions = {}): RawArbitraries {
  const compiled = compileSchema(schema, options.version ?? LATEST_HANDSHAKE_VERSION);
  if (!compiled.ok) return { ok: false, reason: compiled.reason };
  const limits: Limits = { maxDepth: options.maxDepth ?? 4, maxItems: options.maxItems ?? 5, maxStringLength: options.maxStringLength ?? 12 };
  const builder = new ValidBuilder(schema, compiled.dialect, limits);
  const valid = builder.build(schema, 0);
  if (!valid.ok) return { ok: false, reason: valid.reason };
  const nearMisses = new NearMissBuilder(builder).misses(schema, '', 0);
  return { ok: true, dialect: compiled.dialect, validate: compiled.validate, valid: valid.value, nearMisses };
}

/** Both arbitraries for `schema`, or why valid values cannot be generated for it. */
export function schemaArbitraries(schema: JsonValue, options: SchemaArbitraryOptions = {}): SchemaArbitraries {
  const raw = rawArbitraries(schema, options);
  if (!raw.ok) return raw;
  const validate = raw.validate;
  const isValid = (v: JsonValue): boolean => validate(v) === true;
  const probe = fc.sample(raw.valid, { seed: PROBE_SEED, numRuns: PROBE_RUNS });
  if (!probe.some(isValid)) return { ok: false, reason: `no generated value validates (${firstError(validate, probe[0])}); the schema uses keywords the generator does not model` };
  const valid = raw.valid.filter(isValid);

  const kinds = new Set<NearMissKind>();
  const misses = raw.nearMisses.filter((arb) => {
    const rejected = fc.sample(arb, { seed: PROBE_SEED, numRuns: 8 }).filter((m) => !isValid(m.value));
    for (const m of rejected) kinds.add(m.kind);
    return rejected.length > 0;
  });
  const nearMiss = misses.length === 0 ? undefined : fc.oneof(...misses).filter((m) => !isValid(m.value));
  return { ok: true, dialect: raw.dialect, valid, nearMiss, nearMissKinds: [...kinds].sort() };
}

function firstError(validate: ValidateFunction, value: JsonValue | undefined): string {
  const check = conforms(validate, value);
  return check.ok ? 'no sample' : `e.g. ${JSON.stringify(value)?.slice(0, 120)}: ${check.summary}`;
}
