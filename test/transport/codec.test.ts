import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { decode, encode } from '../../transport/codec.js';
import type { JsonObject, JsonRpcMessage, JsonValue } from '../../transport/jsonrpc.js';

// JSON values as JSON.parse returns them: no -0 (it becomes 0), no undefined, plain objects.
const jsonValue: fc.Arbitrary<JsonValue> = fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.parse(JSON.stringify(v)) as JsonValue);
const jsonObject: fc.Arbitrary<JsonObject> = fc.dictionary(fc.string(), jsonValue, { maxKeys: 5 }).map((v) => JSON.parse(JSON.stringify(v)) as JsonObject);
const requestId = fc.oneof(fc.string({ unit: 'grapheme' }), fc.integer(), fc.maxSafeInteger(), fc.constant(''));
const method = fc.oneof(fc.constantFrom('initialize', 'tools/call', 'notifications/progress'), fc.string({ unit: 'binary' }));
const maybeParams = fc.option(jsonObject, { nil: undefined });

const message: fc.Arbitrary<JsonRpcMessage> = fc.oneof(
  fc.record({ id: requestId, method, params: maybeParams }).map(({ id, method, params }) => (params === undefined ? { jsonrpc: '2.0' as const, id, method } : { jsonrpc: '2.0' as const, id, method, params })),
  fc.record({ method, params: maybeParams }).map(({ method, params }) => (params === undefined ? { jsonrpc: '2.0' as const, method } : { jsonrpc: '2.0' as const, method, params })),
  fc.record({ id: requestId, result: jsonObject }).map(({ id, result }) => ({ jsonrpc: '2.0' as const, id, result })),
  fc.record({ id: fc.option(requestId, { nil: null }), code: fc.integer({ min: -32768, max: 32767 }), message: fc.string(), data: fc.option(jsonValue, { nil: undefined }) }).map(({ id, code, message, data }) => ({
    jsonrpc: '2.0' as const,
    id,
    error: data === undefined ? { code, message } : { code, message, data },
  })),
);

describe('codec', () => {
  test.prop([message])('decode(encode(m)) is m for any valid message', (m) => {
    const decoded = decode(encode(m));
    expect(decoded).toMatchObject({ ok: true, batch: false, faults: [] });
    if (decoded.ok) expect(decoded.messages).toEqual([m]);
  });

  test.prop([fc.array(message, { minLength: 1, maxLength: 5 })])('a batch round-trips member by member', (batch) => {
    const decoded = decode(encode(batch));
    expect(decoded.ok && decoded.batch && decoded.messages).toEqual(batch);
  });

  test.prop([fc.string({ unit: 'binary' })])('any text decodes to messages or a -32700/-32600 error, never a throw', (text) => {
    const decoded = decode(text);
    if (!decoded.ok) expect([-32700, -32600]).toContain(decoded.error.rpcCode);
  });

  test.prop([jsonValue])('any JSON value is either a message or an Invalid Request with its reason', (value) => {
    const decoded = decode(JSON.stringify(value));
    if (!decoded.ok) {
      expect(decoded.error.rpcCode).toBe(-32600);
      expect(decoded.error.message).toMatch(/^Invalid Request: /);
    }
  });

  it('names the rule a malformed message breaks, and keeps the id for the error response', () => {
    const cases: Array<[string, RegExp, string | number | null]> = [
      ['{"jsonrpc":"2.0","id":1,"method":"x","params":[1]}', /params/, 1],
      ['{"jsonrpc":"1.0","id":"a","method":"x"}', /jsonrpc/, 'a'],
      ['{"jsonrpc":"2.0","id":null,"method":"x"}', /id/, null],
      ['{"jsonrpc":"2.0","id":1.5,"method":"x"}', /id/, null],
      // A malformed response keeps no id: echoing it would answer our own request of that id.
      ['{"jsonrpc":"2.0","id":1,"result":{},"error":{"code":1,"message":"m"}}', /both/, null],
      ['{"jsonrpc":"2.0","id":1,"error":{"code":"x","message":"m"}}', /code/, null],
      ['{"jsonrpc":"2.0","id":1,"result":[]}', /result/, null],
      ['[]', /empty batch/, null],
      ['42', /object/, null],
    ];
    for (const [text, reason, id] of cases) {
      const decoded = decode(text);
      expect(decoded.ok, text).toBe(false);
      if (!decoded.ok) {
        expect(decoded.error.rpcCode, text).toBe(-32600);
        expect(decoded.error.message, text).toMatch(reason);
        expect(decoded.error.requestId, text).toBe(id);
        expect(decoded.error.raw, text).toBe(text);
      }
    }
    const parse = decode('{"jsonrpc":');
    expect(parse.ok === false && parse.error.rpcCode).toBe(-32700);
  });

  it('never throws on a batch member too deeply nested to print', () => {
    const deep = `[${'['.repeat(20_000)}${']'.repeat(20_000)}]`;
    const decoded = decode(deep);
    if (decoded.ok) expect(decoded.faults[0]!.rpcCode).toBe(-32600);
    else expect([-32700, -32600]).toContain(decoded.error.rpcCode);
  });

  it('keeps the valid members of a batch and reports the invalid ones', () => {
    const decoded = decode('[{"jsonrpc":"2.0","method":"a"},{"jsonrpc":"2.0"},{"jsonrpc":"2.0","id":7,"method":"b"}]');
    expect(decoded.ok).toBe(true);
    if (decoded.ok) {
      expect(decoded.messages.map((m) => ('method' in m ? m.method : ''))).toEqual(['a', 'b']);
      expect(decoded.faults).toHaveLength(1);
    }
  });
});
