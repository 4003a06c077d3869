/** Arguments made from an inputSchema alone, and the judging of published schemas. */
import { describe, expect, it } from 'vitest';
import { compileSchema, dialectOf } from '../../conformance/json-schema.js';
import { argumentsFor } from '../../conformance/schema-args.js';
import type { JsonObject } from '../../transport/jsonrpc.js';

function args(schema: JsonObject, version: '2025-11-25' | '2025-06-18' = '2025-11-25'): JsonObject {
  const made = argumentsFor(schema, version);
  if (!made.ok) throw new Error(made.reason);
  return made.value;
}

describe('arguments from an inputSchema', () => {
  it('fills only the required properties, preferring examples, const, enum and default', () => {
    expect(args({ type: 'object', properties: { a: { type: 'string', examples: ['ex'] }, b: { const: 7 }, c: { enum: ['x', 'y'] }, d: { type: 'integer', default: 4 }, e: { type: 'string' } }, required: ['a', 'b', 'c', 'd'] })).toEqual({ a: 'ex', b: 7, c: 'x', d: 4 });
  });

  it('meets numeric bounds, string lengths, formats and patterns', () => {
    expect(args({ type: 'object', properties: { n: { type: 'integer', minimum: 5, maximum: 9, multipleOf: 3 }, f: { type: 'number', exclusiveMinimum: 1, maximum: 1.5 }, s: { type: 'string', minLength: 10 }, t: { type: 'string', maxLength: 2 }, u: { type: 'string', format: 'uri' }, p: { type: 'string', pattern: '^[0-9]+$' } }, required: ['n', 'f', 's', 't', 'u', 'p'] })).toEqual({ n: 6, f: 1.5, s: 'mcpcertxxx', t: 'mc', u: 'https://example.com/mcpcert', p: '0' });
  });

  it('follows local $refs, allOf, anyOf and arrays with minItems', () => {
    const schema: JsonObject = {
      type: 'object',
      $defs: { point: { type: 'object', properties: { x: { type: 'number' } }, required: ['x'] } },
      properties: { at: { $ref: '#/$defs/point' }, both: { allOf: [{ type: 'object', properties: { k: { type: 'boolean' } }, required: ['k'] }] }, either: { anyOf: [{ type: 'null' }, { type: 'string' }] }, list: { type: 'array', items: { type: 'integer', minimum: 2 }, minItems: 2 } },
      required: ['at', 'both', 'either', 'list'],
    };
    expect(args(schema)).toEqual({ at: { x: 1 }, both: { k: false }, either: null, list: [2, 2] });
  });

  it('says why when no valid arguments can be made, instead of guessing', () => {
    expect(argumentsFor({ type: 'object', properties: { n: { type: 'integer', minimum: 5, maximum: 4 } }, required: ['n'] }, '2025-11-25')).toMatchObject({ ok: false, reason: expect.stringMatching(/property n: no integer fits/) });
    expect(argumentsFor({ type: 'object', properties: { s: { type: 'string', pattern: '^zz[0-9]{5}$' } }, required: ['s'] }, '2025-11-25')).toMatchObject({ ok: false, reason: expect.stringMatching(/no sample string matches/) });
    expect(argumentsFor({ type: 'object', properties: { r: { $ref: 'https://example.com/s.json' } }, required: ['r'] }, '2025-11-25')).toMatchObject({ ok: false, reason: expect.stringMatching(/cannot resolve \$ref/) });
    expect(argumentsFor(null, '2025-11-25')).toMatchObject({ ok: false });
  });
});

describe('published schemas', () => {
  it('takes the dialect from $schema, else 2020-12 from 2025-11-25 and draft-07 before', () => {
    expect(dialectOf({}, '2025-11-25')).toEqual({ ok: true, dialect: '2020-12' });
    expect(dialectOf({}, '2025-06-18')).toEqual({ ok: true, dialect: 'draft-07' });
    expect(dialectOf({ $schema: 'http://json-schema.org/draft-07/schema#' }, '2025-11-25')).toEqual({ ok: true, dialect: 'draft-07' });
    expect(dialectOf({ $schema: 'http://json-schema.org/draft-04/schema#' }, '2025-11-25')).toMatchObject({ ok: false });
  });

  it('refuses schemas invalid in their dialect, and marks unknown dialects as unjudgeable', () => {
    expect(compileSchema({ type: 'object', properties: { a: { type: 'string' } } }, '2025-11-25').ok).toBe(true);
    expect(compileSchema({ type: 'objekt' }, '2025-11-25')).toMatchObject({ ok: false, reason: expect.stringMatching(/not a valid 2020-12 schema/) });
    expect(compileSchema({ type: 'object', properties: { a: { $ref: '#/$defs/missing' } } }, '2025-11-25')).toMatchObject({ ok: false, reason: expect.stringMatching(/cannot be compiled/) });
    expect(compileSchema(null, '2025-11-25')).toMatchObject({ ok: false, reason: expect.stringMatching(/must be an object/) });
    expect(compileSchema({ $schema: 'http://json-schema.org/draft-04/schema#' }, '2025-11-25')).toMatchObject({ ok: false, unjudgeable: true });
  });
});
