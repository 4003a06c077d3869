import { isPlainObject } from '../../../transport/codec.js';
import type { JsonObject } from '../../../transport/jsonrpc.js';
import { defineCheck, MODERN_VERSIONS, type CheckContext } from '../../check.js';
import { HarnessError } from '../../errors.js';
import { listAll, listOf } from '../../kit/lists.js';
import { toolArguments } from '../../kit/tools.js';
import type { Reply, Session } from '../../session.js';

/** Items tried per list: enough to catch a stale list, few enough for a large catalog. */
const MAX_EACH = 15;
const MISSING = /unknown|not found|no such|does not exist|doesn't exist|not exist|disabled|not available|unavailable/i;

interface Family {
  capability: 'tools' | 'prompts' | 'resources';
  method: string;
  /** The field naming an item. */
  idField: 'name' | 'uri';
  noun: string;
  requirement: string;
  /** The request that uses an item, or undefined when mcpcert cannot make one. */
  use(ctx: CheckContext, item: JsonObject): { method: string; params: JsonObject } | undefined;
  /** Whether `reply` says the item does not exist (rather than refusing what was asked of it). */
  missing(reply: Reply, id: string): boolean;
}

function textOf(result: JsonObject): string {
  const content = Array.isArray(result.content) ? result.content : [];
  return content.map((c) => (isPlainObject(c) && typeof c.text === 'string' ? c.text : '')).join(' ');
}

/** A -32602 (or, for resources before 2026-07-28 habits, -32002) whose message says the thing is missing and is not about arguments. */
function missingError(reply: Reply, noun: string, codes: readonly number[]): boolean {
  if (reply.kind !== 'error' || !codes.includes(reply.error.code)) return false;
  const message = reply.error.message;
  return MISSING.test(message) && !/argument|param/i.test(message.replace(/invalid params:?/i, '')) && (noun === 'resource' || new RegExp(noun, 'i').test(message));
}

const FAMILIES: readonly Family[] = [
  {
    capability: 'tools',
    method: 'tools/list',
    idField: 'name',
    noun: 'tool',
    requirement: 'M-TOOL-003',
    use(ctx, item) {
      const args = toolArguments(ctx, item);
      return args === undefined ? undefined : { method: 'tools/call', params: { name: item.name as string, arguments: args } };
    },
    missing(reply, id) {
      if (missingError(reply, 'tool', [-32602])) return true;
      // Some SDKs fold the unknown-tool error into an isError result; judged only when it names the tool.
      if (reply.kind !== 'result' || reply.result.isError !== true) return false;
      const text = textOf(reply.result);
      return text.includes(id) && /unknown tool|tool\b[^.]*\b(not found|does not exist|disabled)/i.test(text);
    },
  },
  {
    capability: 'prompts',
    method: 'prompts/list',
    idField: 'name',
    noun: 'prompt',
    requirement: 'M-PROMPT-002',
    use(_ctx, item) {
      const args: JsonObject = {};
      if (Array.isArray(item.arguments)) for (const a of item.arguments) if (isPlainObject(a) && a.required === true && typeof a.name === 'string') args[a.name] = 'mcpcert';
      return { method: 'prompts/get', params: { name: item.name as string, arguments: args } };
    },
    missing: (reply) => missingError(reply, 'prompt', [-32602]),
  },
  {
    capability: 'resources',
    method: 'resources/list',
    idField: 'uri',
    noun: 'resource',
    requirement: 'M-RES-002',
    use: (_ctx, item) => ({ method: 'resources/read', params: { uri: item.uri as string } }),
    missing: (reply) => missingError(reply, 'resource', [-32602, -32002]),
  },
];

async function listed(ctx: CheckContext, session: Session, family: Family): Promise<JsonObject[]> {
  return (await listAll(ctx, session, listOf(family.method), { maxPages: 5, validate: false })).items.filter((i) => typeof i[family.idField] === 'string');
}

async function attempt(ctx: CheckContext, session: Session, request: { method: string; params: JsonObject }): Promise<Reply | undefined> {
  try {
    return await session.call(request.method, request.params, { timeoutMs: Math.min(ctx.timeoutMs, 5000) });
  } catch (err) {
    if (!(err instanceof HarnessError)) throw err;
    ctx.note(`${request.method} ${JSON.stringify(request.params).slice(0, 120)}: ${err.message}; not judged`);
    return undefined;
  }
}

/**
 * Every listed tool, prompt and concrete resource can be used: a listed tool called with
 * schema-made arguments, a listed prompt got, a listed resource read, none answered "not
 * found". Lists return what is currently available (M-TOOL-003, M-RES-002, M-PROMPT-002); an
 * item another client withdrew meanwhile is forgiven when a fresh listing drops it too.
 */
export default defineCheck({
  id: 'lists/listed-available',
  title: 'Listed tools, prompts and resources are available when used',
  requirements: ['M-TOOL-003', 'M-RES-002', 'M-PROMPT-002'],
  level: 'MUST',
  versions: MODERN_VERSIONS,
  transports: 'all',
  timeoutFactor: 6,
  async run(ctx) {
    const session = await ctx.session();
    let tried = 0;
    for (const family of FAMILIES.filter((f) => ctx.hasCapability(f.capability))) {
      for (const item of (await listed(ctx, session, family)).slice(0, MAX_EACH)) {
        const id = item[family.idField] as string;
        const request = family.use(ctx, item);
        if (request === undefined) continue;
        const first = await attempt(ctx, session, request);
        if (first === undefined) continue;
        tried++;
        if (!family.missing(first, id)) continue;
        // Another client may have withdrawn it meanwhile: only an item still listed and still missing counts.
        const still = (await listed(ctx, session, family)).some((i) => i[family.idField] === id);
        if (!still) {
          ctx.note(`${family.noun} ${JSON.stringify(id)} was withdrawn between the listing and its use`);
          continue;
        }
        const second = await attempt(ctx, session, request);
        if (second === undefined || !family.missing(second, id)) continue;
        const observed = second.kind === 'error' ? `error ${second.error.code} "${second.error.message}"` : JSON.stringify(second.kind === 'result' ? second.result : second.reason).slice(0, 300);
        ctx.fail(`${family.method} lists the ${family.noun} ${JSON.stringify(id)}, but ${request.method} answers that it does not exist (${family.requirement})`, {
          expected: `${family.method} to return only the ${family.noun}s currently available, so that ${request.method} finds each one`,
          observed,
          request: { jsonrpc: '2.0', method: request.method, params: request.params },
        });
      }
    }
    if (tried === 0) ctx.skip('the target lists no tool (with schema-made arguments), prompt or resource to use');
  },
});
