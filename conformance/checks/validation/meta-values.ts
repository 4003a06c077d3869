import { isPlainObject } from '../../../transport/codec.js';
import { isResult, type JsonObject, type JsonRpcMessage, type JsonValue } from '../../../transport/jsonrpc.js';
import { MODERN_VERSIONS, defineCheck, type CheckContext } from '../../check.js';
import { capabilitiesOf, declaration } from '../../kit/client-requests.js';
import { exerciseTarget } from '../../kit/exercise-requests.js';
import { capabilityMeta } from '../../kit/mrtr.js';
import { fence, settle } from '../../kit/replies.js';

/** Valid W3C values sent with every exercising request, so that a server propagating them has some to echo. */
const TRACE_META: JsonObject = {
  traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
  tracestate: 'mcpcert=00f067aa0ba902b7',
  baggage: 'mcpcert.run=observed',
};

const HEX = '[0-9a-f]';
/** W3C Trace Context §3.2: version 00 has exactly four fields; later versions may append more after a dash. */
const TRACEPARENT = new RegExp(`^(${HEX}{2})-(${HEX}{32})-(${HEX}{16})-(${HEX}{2})(-.*)?$`);
/** W3C Trace Context §3.3.1: simple-key / multi-tenant-key, and the value's printable ASCII without `,` and `=`. */
const TRACESTATE_KEY = /^(?:[a-z][_0-9a-z\-*/]{0,255}|[a-z0-9][_0-9a-z\-*/]{0,240}@[a-z][_0-9a-z\-*/]{0,13})$/;
const TRACESTATE_VALUE = /^[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;
/** W3C Baggage §3.3.1: key is an RFC 7230 token, value baggage-octets (percent-encoding stays within them). */
const TOKEN = "[!#$%&'*+\\-.^_`|~0-9A-Za-z]+";
const BAGGAGE_OCTETS = '[\\x21\\x23-\\x2b\\x2d-\\x3a\\x3c-\\x5b\\x5d-\\x7e]*';
const BAGGAGE_MEMBER = new RegExp(`^[ \\t]*${TOKEN}[ \\t]*=[ \\t]*${BAGGAGE_OCTETS}[ \\t]*(?:;[ \\t]*${TOKEN}(?:[ \\t]*=[ \\t]*${BAGGAGE_OCTETS})?[ \\t]*)*$`);

/** `_meta` key rules (basic/index § `_meta`) with the prefix made mandatory (basic/versioning § Extension Negotiation). */
const LABEL = '[A-Za-z](?:[A-Za-z0-9-]*[A-Za-z0-9])?';
const EXTENSION_ID = new RegExp(`^${LABEL}(?:\\.${LABEL})*/(?:[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)?$`);

const CORE_RESULT_TYPES = new Set(['complete', 'input_required']);
/** resultType values of the extensions mcpcert knows; an advertised unknown extension may add any. */
const EXTENSION_RESULT_TYPES: Readonly<Record<string, readonly string[]>> = { 'io.modelcontextprotocol/tasks': ['task'] };

/** Subtrees holding the target's or its users' data, where `_meta` is just a property name. */
const OPAQUE = new Set(['inputSchema', 'outputSchema', 'requestedSchema', 'structuredContent', 'data', 'arguments']);

function traceparentProblem(value: string): string | undefined {
  const m = TRACEPARENT.exec(value);
  if (m === null) return 'not version-traceid-parentid-flags in lowercase hex';
  if (m[1] === 'ff') return 'version ff is invalid';
  if (m[1] === '00' && m[5] !== undefined) return 'version 00 has exactly four fields';
  if (/^0+$/.test(m[2]!)) return 'the trace-id is all zeros';
  if (/^0+$/.test(m[3]!)) return 'the parent-id is all zeros';
  return undefined;
}

function tracestateProblem(value: string): string | undefined {
  const members = value.split(',').map((m) => m.replace(/^[ \t]+|[ \t]+$/g, '')).filter((m) => m !== '');
  if (members.length > 32) return `${members.length} list-members (at most 32)`;
  for (const member of members) {
    const eq = member.indexOf('=');
    if (eq < 0) return `list-member ${JSON.stringify(member)} has no "="`;
    if (!TRACESTATE_KEY.test(member.slice(0, eq))) return `key ${JSON.stringify(member.slice(0, eq))} is not a tracestate key`;
    if (!TRACESTATE_VALUE.test(member.slice(eq + 1))) return `value ${JSON.stringify(member.slice(eq + 1))} is not a tracestate value`;
  }
  return undefined;
}

function baggageProblem(value: string): string | undefined {
  for (const member of value.split(',')) if (!BAGGAGE_MEMBER.test(member)) return `list-member ${JSON.stringify(member)} is not key=value[;property]`;
  return undefined;
}

const TRACE_RULES: Readonly<Record<string, (value: string) => string | undefined>> = { traceparent: traceparentProblem, tracestate: tracestateProblem, baggage: baggageProblem };

/** Every `_meta` object in `value`, with its path, outside opaque subtrees. */
function metaObjects(value: JsonValue | undefined, path: string, out: Array<[string, JsonObject]>): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => metaObjects(v, `${path}[${i}]`, out));
    return;
  }
  if (!isPlainObject(value)) return;
  for (const [key, child] of Object.entries(value)) {
    if (key === '_meta' && isPlainObject(child)) out.push([`${path}._meta`, child]);
    else if (!OPAQUE.has(key)) metaObjects(child, `${path}.${key}`, out);
  }
}

function judgeTraceValues(ctx: CheckContext, message: JsonRpcMessage): number {
  const metas: Array<[string, JsonObject]> = [];
  metaObjects(message as unknown as JsonValue, '', metas);
  let judged = 0;
  for (const [path, meta] of metas) {
    for (const [key, rule] of Object.entries(TRACE_RULES)) {
      if (!(key in meta)) continue;
      judged++;
      const value = meta[key];
      const problem = typeof value === 'string' ? rule(value) : `a ${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value}, not a string`;
      if (problem !== undefined) ctx.fail(`${path}.${key} is ${JSON.stringify(value)}: ${problem} (M-BASE-053)`, { expected: `a ${key} value in the W3C ${key === 'baggage' ? 'Baggage' : 'Trace Context'} format`, observed: JSON.stringify(message).slice(0, 500) });
    }
  }
  return judged;
}

/**
 * Values the target writes that 2026-07-28 gives a syntax: W3C trace context and baggage in any
 * `_meta` it sends (the client sends valid ones on every exercising request, for a target that
 * propagates them), the extension ids it advertises, and every resultType it answers with —
 * core, or of an extension it advertised.
 */
export default defineCheck({
  id: 'validation/meta-values',
  title: 'Trace context in _meta, extension ids and resultType values follow their 2026-07-28 syntax',
  requirements: ['M-BASE-053', 'M-VER-005', 'M-BASE-009'],
  level: 'MUST',
  versions: MODERN_VERSIONS,
  transports: 'all',
  timeoutFactor: 3,
  async run(ctx) {
    const session = await ctx.session({ fresh: true });
    const received: JsonRpcMessage[] = [];
    const collect = (message: JsonRpcMessage): void => {
      received.push(message);
    };
    session.connection.on('message', collect);
    const meta = { ...capabilityMeta(capabilitiesOf(declaration(ctx.version, 'full'), ctx.version)), ...TRACE_META };
    let discovered: JsonObject | undefined;
    try {
      const discover = await session.call('server/discover', {}, { meta: TRACE_META });
      if (discover.kind === 'result' && isPlainObject(discover.result.capabilities)) discovered = discover.result.capabilities;
      await exerciseTarget(ctx, session, { meta, perCallTimeoutMs: Math.min(ctx.timeoutMs, 3000) });
      await fence(ctx, session);
      await settle(100);
    } finally {
      session.connection.off('message', collect);
    }

    const advertised = new Set<string>();
    for (const capabilities of [ctx.serverCapabilities, discovered]) {
      const extensions = capabilities?.extensions;
      if (!isPlainObject(extensions)) continue;
      for (const id of Object.keys(extensions)) {
        if (advertised.has(id)) continue;
        advertised.add(id);
        ctx.expect(EXTENSION_ID.test(id), `the target advertises the extension ${JSON.stringify(id)}, which is not a prefixed _meta key (M-VER-005)`, {
          expected: 'prefix/name: dot-separated labels starting with a letter and ending alphanumeric, then "/", then a name with alphanumeric ends',
          observed: JSON.stringify({ extensions }).slice(0, 500),
        });
      }
    }
    ctx.note(advertised.size === 0 ? 'the target advertises no extensions' : `advertised extensions: ${[...advertised].join(', ')}`);

    // Values of an extension mcpcert does not know cannot be told apart from made-up ones.
    const anyResultType = [...advertised].some((id) => EXTENSION_RESULT_TYPES[id] === undefined);
    const allowed = new Set([...CORE_RESULT_TYPES, ...[...advertised].flatMap((id) => EXTENSION_RESULT_TYPES[id] ?? [])]);
    let traced = 0;
    let typed = 0;
    for (const message of received) {
      traced += judgeTraceValues(ctx, message);
      if (!isResult(message) || typeof message.result.resultType !== 'string') continue;
      typed++;
      const type = message.result.resultType;
      if (anyResultType || allowed.has(type)) continue;
      ctx.fail(`the result for id ${JSON.stringify(message.id)} has resultType ${JSON.stringify(type)}, neither core nor of an advertised extension (M-BASE-009)`, {
        expected: `one of ${[...allowed].map((t) => JSON.stringify(t)).join(', ')}`,
        observed: JSON.stringify(message.result).slice(0, 300),
      });
    }
    ctx.note(`judged ${traced} trace-context value(s) and ${typed} resultType value(s) in ${received.length} message(s)`);
    if (typed === 0 && traced === 0 && advertised.size === 0) ctx.skip('the target sent no resultType, trace-context _meta value or extension id to judge');
  },
});
