/**
 * Hostile input for the reference server: fast-check arbitraries producing raw frames (the
 * bytes exactly as a peer would write them) paired with the outcome the spec demands, or,
 * where the spec is silent, the engine's documented choice (said so at each place).
 *
 * The expectations are transport-neutral: a frame never contains a newline byte, so it is one
 * message on every framing, and each harness maps an expectation onto its own wire (a reply
 * on a stream, an HTTP status and body, a closed socket).
 *
 * Ids: a generated case is a template; `at(serial)` fills in ids derived from `serial`, so
 * cases drawn with distinct serials never share an id while they are in flight.
 */
import fc from 'fast-check';
import { methodInfo, methodTable } from '../../spec/methods.js';
import type { ProtocolVersion } from '../../spec/versions.js';
import type { RequestId } from '../../transport/jsonrpc.js';
import type { ToolDefinition } from '../../reference/types.js';

/** JSON-RPC codes the expectations use (spec digest §A.5). */
export const PARSE_ERROR = -32700;
export const INVALID_REQUEST = -32600;
export const METHOD_NOT_FOUND = -32601;
export const INVALID_PARAMS = -32602;
export const RESOURCE_NOT_FOUND = -32002;

export type Expectation =
  /** The frame is not a usable message: -32700 or -32600, with the id if one could be read, else null. */
  | { kind: 'frame-error'; code: typeof PARSE_ERROR | typeof INVALID_REQUEST; id: RequestId | null }
  /** Nothing but whitespace: newline framings skip it; elsewhere it is a parse error. */
  | { kind: 'blank' }
  /** A request the engine refuses with this code. */
  | { kind: 'error'; code: number; id: RequestId }
  /** A request the engine answers with a result. */
  | { kind: 'result'; id: RequestId }
  /** A notification or a response from the client: nothing comes back. */
  | { kind: 'silent' }
  /**
   * A JSON array in a session whose version has no batches (every version but 2025-03-26).
   * `faults` are the members that are not messages at all (id if readable); `members` counts
   * the usable ones. See `batchReplies` for what the engine answers.
   */
  | { kind: 'batch'; faults: Array<RequestId | null>; members: number };

export interface HostileInput {
  /** The family and shape, for failure messages: `invalid-params tools/call (name not a string) id=max-safe`. */
  label: string;
  bytes: Buffer;
  /** False when `bytes` are not valid UTF-8. */
  utf8: boolean;
  expect: Expectation;
}

export interface HostileCase {
  readonly label: string;
  at(serial: number): HostileInput;
}

/**
 * `operating`: the session is initialized. `uninitialized`: nothing but hostile input has
 * been sent yet (no successful initialize).
 */
export type Phase = 'operating' | 'uninitialized';

export interface HostileOptions {
  /** The version the session negotiated (or will): it decides which methods exist. */
  version: ProtocolVersion;
  phase: Phase;
}

/** Ids of one case are `serial * ID_STRIDE + k`, k < ID_STRIDE (batches carry several). */
const ID_STRIDE = 8;
const MAX_SAFE = Number.MAX_SAFE_INTEGER;
/** RFC 5424 levels, as the spec's LoggingLevel lists them. */
const LOG_LEVELS = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'];
/** Nesting depths well past where recursive code (JSON.stringify, String(array)) overflows the stack. */
const DEEP = fc.integer({ min: 6_000, max: 12_000 });

const J = (value: unknown): string => JSON.stringify(value);

/** `{"k":v,…}` from JSON texts, so that ids and deep values can be written verbatim. */
function objectText(fields: ReadonlyArray<readonly [string, string | undefined]>, reversed = false): string {
  const present = fields.filter((f): f is readonly [string, string] => f[1] !== undefined);
  const ordered = reversed ? [...present].reverse() : present;
  return `{${ordered.map(([k, v]) => `${J(k)}:${v}`).join(',')}}`;
}

function utf8Input(label: string, text: string, expect: Expectation): HostileInput {
  return { label, bytes: Buffer.from(text, 'utf8'), utf8: true, expect };
}

function fixed(label: string, build: (serial: number) => HostileInput): HostileCase {
  return { label, at: build };
}

// ---- ids ------------------------------------------------------------------------------------

interface IdShape {
  name: string;
  /** JSON text of the id for this number (unique per number). */
  token(n: number): string;
}

/**
 * Every id shape the spec allows (string or integer), including the extremes: ±(2^53 − 1),
 * integers written as `5.0` or `5e0` (the same JSON value), long and odd Unicode strings
 * (lone surrogates are escaped by JSON.stringify, so they stay valid UTF-8 on the wire).
 */
function idShape(): fc.Arbitrary<IdShape> {
  return fc.oneof(
    fc.constant<IdShape>({ name: 'small', token: (n) => String(n) }),
    fc.constant<IdShape>({ name: 'negative', token: (n) => String(-n - 1) }),
    fc.constant<IdShape>({ name: 'max-safe', token: (n) => String(MAX_SAFE - n) }),
    fc.constant<IdShape>({ name: 'min-safe', token: (n) => String(-MAX_SAFE + n) }),
    fc.constantFrom('.0', 'e0', 'E+0', '.000').map((suffix): IdShape => ({ name: `number-text(${suffix})`, token: (n) => `${n}${suffix}` })),
    fc.constant<IdShape>({ name: 'numeric-string', token: (n) => J(String(n)) }),
    // '#' separates the random part from the number, so two strings never collide.
    fc.string({ unit: 'binary', maxLength: 24 }).filter((s) => !s.includes('#')).map((s): IdShape => ({ name: 'string', token: (n) => J(`${s}#${n}`) })),
    fc.string({ unit: 'grapheme', minLength: 300, maxLength: 3000 }).filter((s) => !s.includes('#')).map((s): IdShape => ({ name: 'long-unicode', token: (n) => J(`${s}#${n}`) })),
  );
}

/** Ids the flood never uses, for notifications/cancelled: cancelling nothing must change nothing. */
const foreignRequestId: fc.Arbitrary<unknown> = fc.oneof(
  fc.string().filter((s) => !s.includes('#')).map((s) => `no-such-request:${s}`),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Number.isSafeInteger(d)),
  fc.jsonValue({ maxDepth: 2 }).filter((v) => typeof v !== 'string' && typeof v !== 'number'),
);

// ---- JSON values ----------------------------------------------------------------------------

/** JSON values as they survive the wire (-0 becomes 0, and so on). */
const json = (maxDepth = 2): fc.Arbitrary<unknown> => fc.jsonValue({ maxDepth }).map((v) => JSON.parse(J(v)) as unknown);
const notString = json().filter((v) => typeof v !== 'string');
const notObject = json().filter((v) => v === null || typeof v !== 'object' || Array.isArray(v));
const notRequestId = json().filter((v) => !(typeof v === 'string' || Number.isInteger(v)));
/** Any params object, with the keys that trip naive object handling mixed in. */
const anyParams: fc.Arbitrary<string> = fc
  .tuple(fc.dictionary(fc.string({ maxLength: 12 }), json(), { maxKeys: 5 }), fc.subarray(['__proto__', 'constructor', 'toString', '_meta']), json())
  .map(([dict, extraKeys, value]) => objectText([...Object.entries(dict).map(([k, v]) => [k, J(v)] as const), ...extraKeys.map((k) => [k, J(value)] as const)]));
const uriSegment = fc.stringMatching(/^[a-z0-9]{1,12}$/);
const missingUri = uriSegment.map((s) => `mcpcert-robustness-missing://nowhere/${s}`);
const missingName = fc.string({ maxLength: 20 }).map((s) => `mcpcert-robustness-missing-${s}`);

function deepObject(depth: number): string {
  return `${'{"a":'.repeat(depth)}0${'}'.repeat(depth)}`;
}

function deepArray(depth: number): string {
  return `${'['.repeat(depth)}${']'.repeat(depth)}`;
}

// ---- requests -------------------------------------------------------------------------------

type Outcome = number | 'result';

/** Whether the session's version has `method` as a request a client may send. */
export function isClientRequest(version: ProtocolVersion, method: string): boolean {
  const info = methodInfo(version, method);
  return info !== undefined && info.kind === 'request' && info.direction !== 'server-to-client';
}

interface RequestFamily {
  label: string;
  method: fc.Arbitrary<string>;
  /** Params as JSON text, or undefined to leave them out. */
  params: fc.Arbitrary<string | undefined>;
  /** What an initialized session answers, when the method exists in the version. */
  operating: Outcome;
}

/** Methods only the stateless revision (2026-07-28) has. */
const MODERN_ONLY = ['server/discover', 'subscriptions/listen'];

function outcomeOf(options: HostileOptions, method: string, operating: Outcome): Outcome {
  if (method === 'ping') return 'result';
  // Before initialize, the era follows how the client opens (2026-07-28 versioning page): the
  // engine takes a 2026-07-28-only method as a stateless request, and one without the _meta
  // that era requires is -32602 (2026-07-28 basic/index). Once initialized, the connection is
  // legacy and these methods simply do not exist.
  if (options.phase === 'uninitialized' && MODERN_ONLY.includes(method)) return INVALID_PARAMS;
  // The spec does not say how to refuse requests before initialization; the engine answers
  // -32600 (Invalid Request), before even looking the method up.
  if (options.phase === 'uninitialized' && method !== 'initialize') return INVALID_REQUEST;
  if (method === 'initialize') return options.phase === 'operating' ? INVALID_REQUEST : operating;
  return isClientRequest(options.version, method) ? operating : METHOD_NOT_FOUND;
}

function requestCases(options: HostileOptions, family: RequestFamily): fc.Arbitrary<HostileCase> {
  return fc.record({ method: family.method, params: family.params, shape: idShape(), reversed: fc.boolean() }).map(({ method, params, shape, reversed }) => {
    const outcome = outcomeOf(options, method, family.operating);
    const label = `${family.label} ${method} id=${shape.name}`;
    return fixed(label, (serial) => {
      const token = shape.token(serial * ID_STRIDE);
      const id = JSON.parse(token) as RequestId;
      const text = objectText([['jsonrpc', '"2.0"'], ['id', token], ['method', J(method)], ['params', params]], reversed);
      return utf8Input(label, text, outcome === 'result' ? { kind: 'result', id } : { kind: 'error', code: outcome, id });
    });
  });
}

const text = (value: fc.Arbitrary<unknown>): fc.Arbitrary<string> => value.map(J);
const obj = (fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<string> => fc.record(fields).map(J);
const absent = fc.constant(undefined);

const listMethods = ['tools/list', 'resources/list', 'resources/templates/list', 'prompts/list', 'tasks/list'];
const taskMethods = ['tasks/get', 'tasks/result', 'tasks/cancel'];

/** Known methods with params of the wrong shape, or naming things that do not exist: -32602. */
function invalidParamsFamilies(): RequestFamily[] {
  const family = (label: string, method: string | string[], params: fc.Arbitrary<string | undefined>): RequestFamily => ({
    label: `invalid-params (${label})`,
    method: typeof method === 'string' ? fc.constant(method) : fc.constantFrom(...method),
    params,
    operating: INVALID_PARAMS,
  });
  const goodRef = fc.constant({ type: 'ref/prompt', name: 'mcpcert-robustness-missing' });
  const goodArgument = fc.constant({ name: 'a', value: 'b' });
  return [
    family('params missing', ['tools/call', 'resources/read', 'prompts/get', 'logging/setLevel', 'completion/complete', 'resources/subscribe', ...taskMethods], absent),
    family('required member missing', ['tools/call', 'resources/read', 'prompts/get', 'logging/setLevel', 'completion/complete', 'resources/subscribe', 'resources/unsubscribe', ...taskMethods], fc.constant('{}')),
    family('name not a string', ['tools/call', 'prompts/get'], obj({ name: notString })),
    family('unknown tool', 'tools/call', fc.oneof(obj({ name: missingName }), obj({ name: missingName, arguments: fc.dictionary(fc.string(), json()) }))),
    family('arguments not an object', ['tools/call', 'prompts/get'], obj({ name: missingName, arguments: notObject })),
    family('unknown prompt', 'prompts/get', obj({ name: missingName })),
    family('prompt argument not a string', 'prompts/get', obj({ name: missingName, arguments: fc.dictionary(fc.string({ minLength: 1 }), notString, { minKeys: 1 }) })),
    family('uri not a string', ['resources/read', 'resources/subscribe', 'resources/unsubscribe'], obj({ uri: notString })),
    family('bad log level', 'logging/setLevel', obj({ level: fc.oneof(notString, fc.string().filter((s) => !LOG_LEVELS.includes(s))) })),
    family('ref not an object', 'completion/complete', obj({ ref: notObject, argument: goodArgument })),
    family('unknown ref type', 'completion/complete', obj({ ref: fc.record({ type: fc.string().filter((s) => s !== 'ref/prompt' && s !== 'ref/resource'), name: fc.string() }), argument: goodArgument })),
    family('unknown prompt ref', 'completion/complete', obj({ ref: fc.record({ type: fc.constant('ref/prompt'), name: missingName }), argument: goodArgument })),
    family('unknown resource ref', 'completion/complete', obj({ ref: fc.record({ type: fc.constant('ref/resource'), uri: missingUri }), argument: goodArgument })),
    family('argument malformed', 'completion/complete', obj({ ref: goodRef, argument: fc.oneof(notObject, fc.record({ name: fc.string(), value: notString })) })),
    family('cursor not a string', listMethods, obj({ cursor: notString })),
    // Cursors are opaque and this server signs them: a made-up one SHOULD be -32602 (pagination).
    family('forged cursor', listMethods, obj({ cursor: fc.string() })),
    family('taskId malformed or unknown', taskMethods, obj({ taskId: fc.oneof(notString, fc.string()) })),
  ];
}

/**
 * Method names no client request of the version has: random text, server-to-client requests,
 * notifications sent with an id, methods of other versions, near-misses and the names that
 * trip a lookup in a plain object.
 */
function unknownMethod(version: ProtocolVersion): fc.Arbitrary<string> {
  const known = new Set(methodTable(version).map((m) => m.method));
  const otherVersions = [...MODERN_ONLY, ...taskMethods, 'tasks/list', 'elicitation/create'];
  const nearMisses = ['Ping', 'PING', 'ping ', ' ping', 'tools/list/', '/tools/list', 'tools//list', 'TOOLS/LIST', 'tools.list', 'tools/list\u0000', 'tools/\u200blist'];
  const prototypeNames = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'prototype'];
  const notifications = methodTable(version).filter((m) => m.kind === 'notification').map((m) => m.method);
  const serverRequests = methodTable(version).filter((m) => m.kind === 'request' && m.direction === 'server-to-client').map((m) => m.method);
  return fc
    .oneof(
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.constantFrom(...nearMisses, ...prototypeNames, ...notifications, ...serverRequests, ...otherVersions, ''),
      fc.string({ maxLength: 3000 }).map((s) => `x/${s}`),
    )
    .filter((m) => m !== 'initialize' && m !== 'ping' && !(known.has(m) && isClientRequest(version, m)));
}

function initializeParams(protocolVersion: fc.Arbitrary<unknown>): fc.Arbitrary<string> {
  return obj({ protocolVersion, capabilities: fc.constant({}), clientInfo: fc.constant({ name: 'hostile', version: '0' }) });
}

function requestFamilies(options: HostileOptions): Array<{ weight: number; arbitrary: fc.Arbitrary<HostileCase> }> {
  const { version } = options;
  const families: Array<[number, RequestFamily]> = [
    // Valid requests, so hostile ids meet the success path too.
    [10, { label: 'valid', method: fc.constant('ping'), params: fc.oneof(absent, fc.constant('{}'), anyParams), operating: 'result' }],
    [6, { label: 'valid', method: fc.constantFrom(...listMethods.filter((m) => isClientRequest(version, m))), params: fc.oneof(absent, fc.constant('{}')), operating: 'result' }],
    [2, { label: 'valid', method: fc.constant('logging/setLevel'), params: obj({ level: fc.constantFrom(...LOG_LEVELS) }), operating: 'result' }],
    [12, { label: 'unknown-method', method: unknownMethod(version), params: fc.oneof(absent, anyParams), operating: METHOD_NOT_FOUND }],
    // Not found is -32002 up to 2025-11-25 (resources "Error Handling").
    [2, { label: 'unknown-resource', method: fc.constantFrom('resources/read', 'resources/subscribe'), params: obj({ uri: missingUri }), operating: RESOURCE_NOT_FOUND }],
  ];
  if (options.phase === 'operating') {
    // A second initialize: the spec names no code; the engine answers -32600 (Invalid Request).
    families.push([2, { label: 'initialize-again', method: fc.constant('initialize'), params: initializeParams(fc.constantFrom(version, '2025-11-25', 'banana')), operating: INVALID_REQUEST }]);
  } else {
    // A broken initialize is refused with -32602 and leaves the session uninitialized. Only
    // shapes that cannot pass: a non-string protocolVersion, or no clientInfo.
    families.push([4, { label: 'initialize-broken', method: fc.constant('initialize'), params: fc.oneof(absent, initializeParams(notString), obj({ protocolVersion: fc.constant(version), capabilities: fc.constant({}) })), operating: INVALID_PARAMS }]);
  }
  const invalid = invalidParamsFamilies();
  return [
    ...families.map(([weight, f]) => ({ weight, arbitrary: requestCases(options, f) })),
    // 15 in all, spread over the families.
    ...invalid.map((f) => ({ weight: 15 / invalid.length, arbitrary: requestCases(options, f) })),
  ].map(({ weight, arbitrary }) => ({ weight: Math.max(1, Math.round(weight * 10)), arbitrary }));
}

// ---- frames that are not messages -----------------------------------------------------------

function isValidJson(t: string): boolean {
  try {
    JSON.parse(t);
    return true;
  } catch {
    return false;
  }
}

/** Text a peer could write on one line that JSON.parse refuses. */
function invalidJsonText(): fc.Arbitrary<string> {
  const valid = '{"jsonrpc":"2.0","id":1,"method":"ping","params":{"s":"é€😀"}}';
  const classics = [
    "{'jsonrpc':'2.0','id':1,'method':'ping'}",
    '{"jsonrpc":"2.0","id":1,"method":"ping",}',
    '{"jsonrpc":"2.0","id":1,"method":"ping"}}',
    '{"jsonrpc":"2.0","id":NaN,"method":"ping"}',
    '{"jsonrpc":"2.0","id":Infinity,"method":"ping"}',
    '{"jsonrpc":"2.0","id":0x10,"method":"ping"}',
    '{"jsonrpc":"2.0","id":012,"method":"ping"}',
    '{"jsonrpc":"2.0","id":+1,"method":"ping"}',
    '{"jsonrpc":"2.0","id":.5,"method":"ping"}',
    '{"jsonrpc":"2.0","id":1.,"method":"ping"}',
    '{jsonrpc:"2.0",id:1,method:"ping"}',
    '{"jsonrpc":"2.0",/*c*/"id":1,"method":"ping"}',
    '{"jsonrpc":"2.0","id":1,"method":"ping"} // trailing comment',
    '{"jsonrpc":"2.0","id":1,"method":"pi\tng"}',
    '{"jsonrpc":"2.0","id":1,"method":"pi\u0000ng"}',
    '{"jsonrpc":"2.0","id":1,"method":"\\x41"}',
    '{"jsonrpc":"2.0","id":1,"method":"\\u12"}',
    '{"jsonrpc":"2.0","id":undefined,"method":"ping"}',
    '{"jsonrpc":"2.0","id":1,"method":"ping"}{"jsonrpc":"2.0","id":2,"method":"ping"}',
    '[{"jsonrpc":"2.0","id":1,"method":"ping"},]',
    '{"jsonrpc" "2.0"}',
    '{',
    '}',
    '"unterminated',
    'nul',
    'true false',
  ];
  return fc
    .oneof(
      fc.constantFrom(...classics),
      fc.integer({ min: 1, max: valid.length - 1 }).map((k) => valid.slice(0, k)),
      fc.string({ minLength: 1, maxLength: 20 }).map((s) => `${valid}${s}`),
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.string({ unit: 'grapheme-ascii', maxLength: 200 }),
    )
    .map((t) => Buffer.from(t, 'utf8').toString('utf8'))
    // A leading byte order mark MAY be ignored (RFC 8259 §8.1), which can make the rest valid.
    .filter((t) => !t.includes('\n') && t.trim() !== '' && !t.startsWith('\ufeff') && !isValidJson(t));
}

const utf8Strict = new TextDecoder('utf-8', { fatal: true });

function isUtf8(bytes: Buffer): boolean {
  try {
    utf8Strict.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Byte sequences that are not UTF-8: stray bytes, overlong forms, surrogates, > U+10FFFF, truncations. */
const badUtf8: fc.Arbitrary<Buffer> = fc
  .oneof(
    fc.constantFrom([0xff], [0xfe], [0x80], [0xbf], [0xc0, 0x80], [0xc1, 0xbf], [0xe0, 0x80, 0x80], [0xed, 0xa0, 0x80], [0xed, 0xbf, 0xbf], [0xf4, 0x90, 0x80, 0x80], [0xf5, 0x80, 0x80, 0x80], [0xc3], [0xe2, 0x82], [0xf0, 0x9f, 0x98]),
    fc.array(fc.integer({ min: 0x80, max: 0xff }), { minLength: 1, maxLength: 8 }),
  )
  .map((bytes) => Buffer.from(bytes))
  .filter((bytes) => !isUtf8(bytes));

function frameErrorCases(): Array<{ weight: number; arbitrary: fc.Arbitrary<HostileCase> }> {
  const parseError: Expectation = { kind: 'frame-error', code: PARSE_ERROR, id: null };
  const invalidNoId: Expectation = { kind: 'frame-error', code: INVALID_REQUEST, id: null };
  const withId = (label: string, fields: (token: string) => Array<readonly [string, string | undefined]>): fc.Arbitrary<HostileCase> =>
    fc.tuple(idShape(), fc.boolean()).map(([shape, reversed]) =>
      fixed(`${label} id=${shape.name}`, (serial) => {
        const token = shape.token(serial * ID_STRIDE);
        return utf8Input(`${label} id=${shape.name}`, objectText(fields(token), reversed), { kind: 'frame-error', code: INVALID_REQUEST, id: JSON.parse(token) as RequestId });
      }),
    );
  const noId = (label: string, body: fc.Arbitrary<string>): fc.Arbitrary<HostileCase> => body.map((t) => fixed(label, () => utf8Input(label, t, invalidNoId)));
  const method = fc.constantFrom('ping', 'tools/list', 'tools/call', 'initialize');
  return [
    { weight: 10, arbitrary: invalidJsonText().map((t) => fixed('invalid-json', () => utf8Input('invalid-json', t, parseError))) },
    {
      weight: 5,
      arbitrary: fc.tuple(badUtf8, fc.string({ maxLength: 10 }), fc.boolean()).map(([bad, around, inString]) =>
        fixed('invalid-utf8', (serial) => {
          // The id is readable, but an undecodable frame is a parse error as a whole.
          const [head, tail] = inString
            ? [`{"jsonrpc":"2.0","id":${serial * ID_STRIDE},"method":"ping","params":{"s":${J(around).slice(0, -1)}`, '"}}']
            : [`{"jsonrpc":"2.0","id":${serial * ID_STRIDE},"method":"ping",`, '}'];
          return { label: 'invalid-utf8', bytes: Buffer.concat([Buffer.from(head), bad, Buffer.from(tail)]), utf8: false, expect: parseError };
        }),
      ),
    },
    { weight: 2, arbitrary: fc.array(fc.constantFrom(' ', '\t', '\r', '\u00a0', '\u2028', '\ufeff', '\u3000'), { maxLength: 6 }).map((ws) => fixed('blank', () => utf8Input('blank', ws.join(''), { kind: 'blank' }))) },
    // Envelopes that are JSON but not JSON-RPC: -32600, with the id when it can be read.
    { weight: 3, arbitrary: noId('not-an-object', fc.oneof(text(fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string(), fc.boolean(), fc.constant(null))), fc.constantFrom('{}', '[]'))) },
    { weight: 2, arbitrary: withId('bad-jsonrpc', (id) => [['jsonrpc', undefined], ['id', id], ['method', '"ping"']]) },
    { weight: 2, arbitrary: fc.tuple(text(fc.oneof(json(), fc.constantFrom('2', '2.00', '1.0', ' 2.0', 'JSON-RPC 2.0'))).filter((j) => j !== '"2.0"'), fc.boolean()).chain(([jsonrpc, hasId]) => (hasId ? withId('bad-jsonrpc', (id) => [['jsonrpc', jsonrpc], ['id', id], ['method', '"ping"']]) : noId('bad-jsonrpc notification', fc.constant(objectText([['jsonrpc', jsonrpc], ['method', '"notifications/initialized"']]))))) },
    { weight: 3, arbitrary: fc.tuple(text(notRequestId), method).chain(([id, m]) => noId('bad-id', fc.constant(objectText([['jsonrpc', '"2.0"'], ['id', id], ['method', J(m)]])))) },
    { weight: 2, arbitrary: text(notString).chain((m) => withId('method-not-a-string', (id) => [['jsonrpc', '"2.0"'], ['id', id], ['method', m]])) },
    { weight: 2, arbitrary: fc.tuple(text(notObject), method).chain(([p, m]) => withId('params-not-an-object', (id) => [['jsonrpc', '"2.0"'], ['id', id], ['method', J(m)], ['params', p]])) },
    { weight: 1, arbitrary: fc.tuple(text(notObject), fc.constantFrom('notifications/initialized', 'notifications/cancelled')).chain(([p, m]) => noId('notification-params-not-an-object', fc.constant(objectText([['jsonrpc', '"2.0"'], ['method', J(m)], ['params', p]])))) },
    { weight: 1, arbitrary: fc.constantFrom('result', 'error').chain((member) => withId(`request-with-${member}`, (id) => [['jsonrpc', '"2.0"'], ['id', id], ['method', '"ping"'], [member, member === 'result' ? '{}' : '{"code":1,"message":"m"}']])) },
    { weight: 1, arbitrary: withId('no-method-no-result', (id) => [['jsonrpc', '"2.0"'], ['id', id]]) },
    // A malformed *response*: its id names one of the server's own requests, never a client
    // request, so it must not come back as the id of an error (JSON-RPC 2.0 §5: the id of a
    // response is the id of the request it answers; undetectable → null).
    {
      weight: 3,
      arbitrary: fc
        .oneof(
          fc.tuple(text(notObject)).map(([r]) => ['result', r, undefined] as const),
          fc.constant(['result', '{}', '{"code":1,"message":"m"}'] as const),
          text(notObject).map((e) => ['error', undefined, e] as const),
          text(fc.oneof(fc.record({ code: fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Number.isInteger(d)), message: fc.string() }), fc.record({ code: fc.integer(), message: notString }), fc.record({ message: fc.string() }))).map((e) => ['error', undefined, e] as const),
        )
        .chain(([what, result, error]) =>
          idShape().map((shape) =>
            fixed(`malformed-response (${what}) id=${shape.name}`, (serial) => utf8Input(`malformed-response (${what}) id=${shape.name}`, objectText([['jsonrpc', '"2.0"'], ['id', shape.token(serial * ID_STRIDE)], ['result', result], ['error', error]]), invalidNoId)),
          ),
        ),
    },
  ];
}

// ---- notifications and client responses (never answered) -----------------------------------

function silentCases(options: HostileOptions): Array<{ weight: number; arbitrary: fc.Arbitrary<HostileCase> }> {
  const silent: Expectation = { kind: 'silent' };
  const known = methodTable(options.version).map((m) => m.method);
  const notificationParams = (m: string): fc.Arbitrary<string | undefined> =>
    m === 'notifications/cancelled' ? fc.oneof(obj({ requestId: foreignRequestId, reason: json() }), fc.constant('{}')) : fc.oneof(absent, anyParams);
  const notification = fc
    .oneof(fc.constantFrom(...known), fc.string({ unit: 'binary', maxLength: 40 }), fc.constant('notifications/cancelled'))
    .chain((m) => fc.tuple(fc.constant(m), notificationParams(m)))
    .map(([m, params]) => fixed(`notification ${m}`, () => utf8Input(`notification ${m}`, objectText([['jsonrpc', '"2.0"'], ['method', J(m)], ['params', params]]), silent)));
  const result = fc.tuple(idShape(), fc.dictionary(fc.string(), json(), { maxKeys: 4 })).map(([shape, r]) =>
    fixed(`client-result id=${shape.name}`, (serial) => utf8Input(`client-result id=${shape.name}`, objectText([['jsonrpc', '"2.0"'], ['id', shape.token(serial * ID_STRIDE)], ['result', J(r)]]), silent)),
  );
  const error = fc.tuple(fc.option(idShape()), fc.integer(), fc.string(), fc.option(json())).map(([shape, code, message, data]) =>
    fixed('client-error', (serial) =>
      utf8Input('client-error', objectText([['jsonrpc', '"2.0"'], ['id', shape ? shape.token(serial * ID_STRIDE) : 'null'], ['error', objectText([['code', J(code)], ['message', J(message)], ['data', data === null ? undefined : J(data)]])]]), silent),
    ),
  );
  return [
    { weight: 10, arbitrary: notification },
    { weight: 2, arbitrary: result },
    { weight: 2, arbitrary: error },
  ];
}

// ---- batches --------------------------------------------------------------------------------

type Member = { text: (id: number) => string; fault: 'none' | 'null' | 'id' };

const batchMember: fc.Arbitrary<Member> = fc.oneof(
  fc.constant<Member>({ text: (id) => J({ jsonrpc: '2.0', id, method: 'ping' }), fault: 'none' }),
  fc.constant<Member>({ text: () => J({ jsonrpc: '2.0', method: 'notifications/initialized' }), fault: 'none' }),
  fc.constant<Member>({ text: (id) => J({ jsonrpc: '2.0', id, result: {} }), fault: 'none' }),
  text(fc.oneof(fc.integer(), fc.string(), fc.boolean(), fc.constant(null), fc.constant([]))).map((t): Member => ({ text: () => t, fault: 'null' })),
  fc.constant<Member>({ text: (id) => J({ jsonrpc: '1.0', id, method: 'ping' }), fault: 'id' }),
  fc.constant<Member>({ text: (id) => J({ jsonrpc: '2.0', id, method: 7 }), fault: 'id' }),
);

function batchCases(): fc.Arbitrary<HostileCase> {
  return fc.array(batchMember, { minLength: 1, maxLength: ID_STRIDE - 1 }).map((members) => {
    const label = `batch [${members.map((m) => m.fault).join(',')}]`;
    return fixed(label, (serial) => {
      const ids = members.map((_, k) => serial * ID_STRIDE + k);
      const faults = members.flatMap((m, k): Array<RequestId | null> => (m.fault === 'none' ? [] : [m.fault === 'id' ? ids[k]! : null]));
      return utf8Input(label, `[${members.map((m, k) => m.text(ids[k]!)).join(',')}]`, { kind: 'batch', faults, members: members.filter((m) => m.fault === 'none').length });
    });
  });
}

// ---- deep nesting ---------------------------------------------------------------------------

function deepCases(options: HostileOptions): fc.Arbitrary<HostileCase> {
  const operating = options.phase === 'operating';
  type Shape = [string, (depth: number, id: number) => string, (id: number) => Expectation];
  const shapes: Shape[] = [
    ['ping params', (d, id) => `{"jsonrpc":"2.0","id":${id},"method":"ping","params":${deepObject(d)}}`, (id) => ({ kind: 'result', id })],
    ['ping params array', (d, id) => `{"jsonrpc":"2.0","id":${id},"method":"ping","params":{"x":${deepArray(d)}}}`, (id) => ({ kind: 'result', id })],
    ['whole message array', (d) => deepArray(d), () => ({ kind: 'batch', faults: [null], members: 0 })],
    ['batch of one deep object', (d) => `[${deepObject(d)}]`, () => ({ kind: 'batch', faults: [null], members: 0 })],
    ['whole message object', (d) => deepObject(d), () => ({ kind: 'frame-error', code: INVALID_REQUEST, id: null })],
    ['id', (d) => `{"jsonrpc":"2.0","id":${deepArray(d)},"method":"ping"}`, () => ({ kind: 'frame-error', code: INVALID_REQUEST, id: null })],
    ['method', (d, id) => `{"jsonrpc":"2.0","id":${id},"method":${deepObject(d)}}`, (id) => ({ kind: 'frame-error', code: INVALID_REQUEST, id })],
    ['notification params', (d) => `{"jsonrpc":"2.0","method":"notifications/progress","params":${deepObject(d)}}`, () => ({ kind: 'silent' })],
    ['client result', (d, id) => `{"jsonrpc":"2.0","id":${id},"result":${deepObject(d)}}`, () => ({ kind: 'silent' })],
    ['tools/call name', (d, id) => `{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":{"name":${deepArray(d)}}}`, (id) => ({ kind: 'error', code: operating ? INVALID_PARAMS : INVALID_REQUEST, id })],
    ['tools/call arguments', (d, id) => `{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":{"name":"mcpcert-robustness-missing","arguments":{"x":${deepObject(d)}}}}`, (id) => ({ kind: 'error', code: operating ? INVALID_PARAMS : INVALID_REQUEST, id })],
    ['unknown method params', (d, id) => `{"jsonrpc":"2.0","id":${id},"method":"x/deep","params":${deepObject(d)}}`, (id) => ({ kind: 'error', code: operating ? METHOD_NOT_FOUND : INVALID_REQUEST, id })],
  ];
  return fc.tuple(fc.constantFrom(...shapes), DEEP).map(([[name, build, expect], depth]) => {
    const label = `deep ${name} depth=${depth}`;
    return fixed(label, (serial) => utf8Input(label, build(depth, serial * ID_STRIDE), expect(serial * ID_STRIDE)));
  });
}

// ---- the mix --------------------------------------------------------------------------------

/** One hostile case of any family, weighted so that each family shows up hundreds of times in 10,000. */
export function hostileCase(options: HostileOptions): fc.Arbitrary<HostileCase> {
  const weighted = [
    ...requestFamilies(options),
    ...frameErrorCases().map(({ weight, arbitrary }) => ({ weight: weight * 10, arbitrary })),
    ...silentCases(options).map(({ weight, arbitrary }) => ({ weight: weight * 10, arbitrary })),
    { weight: 50, arbitrary: batchCases() },
    // Deep frames are large (tens of KB) and each costs a full parse; 1 % keeps the run short.
    { weight: 12, arbitrary: deepCases(options) },
    { weight: 15, arbitrary: fc.constant(fixed('empty-batch', () => utf8Input('empty-batch', '[]', { kind: 'frame-error', code: INVALID_REQUEST, id: null }))) },
  ];
  return fc.oneof(...weighted);
}

/**
 * `count` inputs drawn with `seed` (the same seed gives the same inputs), with ids derived
 * from serials `firstSerial …`, so that different samples for one session never share an id.
 */
export function sampleHostile(options: HostileOptions & { seed: number; count: number; firstSerial: number }): HostileInput[] {
  return fc.sample(hostileCase(options), { seed: options.seed, numRuns: options.count }).map((c, i) => c.at(options.firstSerial + i));
}

/**
 * The replies the engine sends for a batch in a version without batches: each fault answered
 * alone (-32600, its id or null), plus one -32600 with id null for the array itself if it held
 * any usable message. The spec fixes none of this (batches are simply not part of these
 * versions); it is the engine's choice, and the usable members get no reply of their own.
 */
export function batchReplies(expect: Extract<Expectation, { kind: 'batch' }>): Array<RequestId | null> {
  return expect.members > 0 ? [...expect.faults, null] : expect.faults;
}

/** A short printable form of an input, for failure messages. */
export function preview(input: HostileInput, max = 160): string {
  const t = input.bytes.toString('utf8');
  const shown = t.length > max ? `${t.slice(0, max)}… (${input.bytes.length} bytes)` : t;
  return `${input.label}: ${JSON.stringify(shown)}`;
}

// ---- oversized ------------------------------------------------------------------------------

/**
 * Frames over `limitBytes` (the transports' 4 MiB default): a valid request carrying a huge
 * string, a huge line of garbage, and a huge batch of pings. A few per transport, not thousands.
 */
export function oversizedInputs(limitBytes: number): HostileInput[] {
  const pad = limitBytes + 1024;
  const rejected: Expectation = { kind: 'frame-error', code: INVALID_REQUEST, id: null };
  const ping = J({ jsonrpc: '2.0', id: 'oversized-0', method: 'ping' });
  const pings = Math.ceil(pad / ping.length);
  return [
    utf8Input('oversized request', `{"jsonrpc":"2.0","id":"oversized","method":"ping","params":{"s":"${'x'.repeat(pad)}"}}`, rejected),
    utf8Input('oversized garbage', 'é'.repeat(pad / 2), rejected),
    utf8Input('oversized batch', `[${Array.from({ length: pings }, (_, i) => J({ jsonrpc: '2.0', id: `oversized-${i}`, method: 'ping' })).join(',')}]`, rejected),
  ];
}

// ---- HTTP header faults ---------------------------------------------------------------------

export interface HeaderFault {
  label: string;
  /** Header to set (a value) or remove (null); everything else stays valid. */
  name: string;
  value: string | null;
  /** The status the spec (or the transport, where the spec is silent) gives it. */
  status: number;
}

const visibleAscii = (max: number): fc.Arbitrary<string> => fc.stringMatching(new RegExp(`^[\\x21-\\x7e]{1,${max}}$`));
const headerText = fc.stringMatching(/^[\x21-\x7e][\x20-\x7e]{0,40}$/);
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * One bad header on an otherwise valid Streamable HTTP POST of a request:
 * Accept without both types → 406; a body type other than JSON → 415; a foreign Origin or Host
 * → 403 (2025-11-25 "Security Warning"); an unknown session → 404; a protocol version that is
 * not supported → 400 (2025-06-18+ "Protocol Version Header"). A supported version other than
 * the negotiated one is only a client's SHOULD broken, which the engine tolerates; not here.
 */
export function headerFault(): fc.Arbitrary<HeaderFault> {
  const fault = (label: string, name: string, value: fc.Arbitrary<string | null>, status: number): fc.Arbitrary<HeaderFault> => value.map((v) => ({ label, name, value: v, status }));
  const noMediaTypes = headerText.filter((s) => !/json|event-stream/i.test(s));
  const supported = ['2024-11-05', '2025-03-26', '2025-06-18', '2025-11-25'];
  return fc.oneof(
    // The spec asks clients to list both types; the transport takes no wildcards for them.
    fault('accept', 'accept', fc.oneof(fc.constant(null), fc.constantFrom('application/json', 'text/event-stream', '*/*', 'application/*, text/*', 'application/json-seq, text/event-streams'), noMediaTypes), 406),
    fault('content-type', 'content-type', fc.oneof(fc.constant(null), fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data', 'application/jsonl', 'text/json'), noMediaTypes), 415),
    fault('origin', 'origin', fc.oneof(fc.constantFrom('null', 'http://example.com', 'https://evil.test:8443', 'http://127.0.0.1.evil.test', 'file://'), fc.domain().filter((d) => !LOOPBACK.has(d)).map((d) => `https://${d}`)), 403),
    // A rebound page's request carries the attacker's host name (DNS rebinding): 403 as for Origin.
    fault('host', 'host', fc.oneof(fc.constantFrom('evil.test', 'example.com:80', '127.0.0.1.evil.test'), fc.domain().filter((d) => !LOOPBACK.has(d))), 403),
    fault('session', 'mcp-session-id', visibleAscii(64), 404),
    fault('protocol-version', 'mcp-protocol-version', fc.oneof(fc.constantFrom('2025-11-25-draft', '2025-13-01', '11/25/2025', 'latest'), headerText.filter((s) => !supported.includes(s.trim()) && !/^\d{4}-\d{2}-\d{2}$/.test(s.trim()))), 400),
  );
}

// ---- a slow request -------------------------------------------------------------------------

export const SLOW_TOOL = 'mcpcert-robustness-slow';

/**
 * A tool that reports progress 0 as soon as it starts, then answers after `ms` (default 5 s)
 * or when cancelled: duplicate-id tests wait for that progress, so they know the first
 * request is in flight without guessing a delay.
 */
export function slowTool(): ToolDefinition {
  return {
    name: SLOW_TOOL,
    description: 'Reports progress 0, then answers after `ms` milliseconds or when cancelled.',
    inputSchema: { type: 'object', properties: { ms: { type: 'integer', minimum: 0, maximum: 60_000 } } },
    call: async (args, ctx) => {
      await ctx.progress(0, 1, 'started');
      const ms = typeof args.ms === 'number' ? args.ms : 5000;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        ctx.signal.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve();
        }, { once: true });
      });
      return { content: [{ type: 'text', text: 'slow done' }] };
    },
  };
}
