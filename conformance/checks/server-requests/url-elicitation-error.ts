import { isPlainObject } from '../../../transport/codec.js';
import type { JsonObject, JsonRpcErrorObject } from '../../../transport/jsonrpc.js';
import { defineCheck, type CheckContext } from '../../check.js';
import { HarnessError } from '../../errors.js';
import { capabilitiesOf, declaration, plausibleAnswer, undeclaredFor } from '../../kit/client-requests.js';
import { exerciseTarget } from '../../kit/exercise-requests.js';
import { listTools, toolArguments } from '../../kit/tools.js';
import type { Reply, Session } from '../../session.js';

const URL_ELICITATION_REQUIRED = -32042;
const MAX_VARIANTS = 10;

/** Optional boolean properties of a tool's input schema: switches that may pick another code path. */
function optionalSwitches(tool: JsonObject): string[] {
  const schema = tool.inputSchema;
  if (!isPlainObject(schema) || !isPlainObject(schema.properties)) return [];
  const required = Array.isArray(schema.required) ? schema.required : [];
  return Object.entries(schema.properties)
    .filter(([name, p]) => isPlainObject(p) && p.type === 'boolean' && !required.includes(name))
    .map(([name]) => name);
}

/**
 * Calls each tool that has optional boolean arguments once more with all of them true: a
 * schema-made variant that reaches paths the minimal arguments leave alone (a tool's "fail
 * with -32042 instead" switch, say).
 */
async function callVariants(ctx: CheckContext, session: Session): Promise<Reply[]> {
  const replies: Reply[] = [];
  const perCall = Math.min(ctx.timeoutMs, 3000);
  const tools = (await listTools(ctx, session)).filter((t) => typeof t.name === 'string' && optionalSwitches(t).length > 0).slice(0, MAX_VARIANTS);
  for (const tool of tools) {
    const args = toolArguments(ctx, tool);
    if (args === undefined) continue;
    for (const name of optionalSwitches(tool)) args[name] = true;
    try {
      replies.push(await session.call('tools/call', { name: tool.name as string, arguments: args }, { timeoutMs: perCall }));
    } catch (err) {
      if (!(err instanceof HarnessError)) throw err;
      ctx.note(`tools/call ${String(tool.name)} with its switches on: ${err.message}`);
    }
  }
  return replies;
}

/** Why an entry of `data.elicitations` is not a URL-mode elicitation with an id and a url, or undefined. */
function entryProblem(entry: unknown): string | undefined {
  if (!isPlainObject(entry)) return 'is not an object';
  if (entry.mode !== 'url') return `has mode ${JSON.stringify(entry.mode ?? null)}, not "url"`;
  if (typeof entry.elicitationId !== 'string') return 'has no elicitationId string';
  if (typeof entry.url !== 'string') return 'has no url string';
  return undefined;
}

function judge(ctx: CheckContext, error: JsonRpcErrorObject, observed: string): void {
  const data = error.data;
  const elicitations = isPlainObject(data) ? data.elicitations : undefined;
  const expected = 'error.data.elicitations: a non-empty list of URL-mode elicitations ({mode:"url", message, url, elicitationId}) the client must complete before retrying';
  if (!Array.isArray(elicitations) || elicitations.length === 0) {
    ctx.fail(`a -32042 error lists no elicitations in data.elicitations (ELIC-019)`, { expected, observed });
    return;
  }
  elicitations.forEach((entry, i) => {
    const problem = entryProblem(entry);
    if (problem !== undefined) ctx.fail(`data.elicitations[${i}] of a -32042 error ${problem} (ELIC-020)`, { expected, observed });
    else ctx.validate('ElicitRequestURLParams', entry, `data.elicitations[${i}] of a -32042 error`, { observed });
  });
}

/**
 * A client declaring every capability (URL elicitation included) exercises the target, and once
 * more each tool with its optional switches on; every URLElicitationRequiredError (-32042) it
 * gets must list the URL-mode elicitations, each with an elicitationId and a url.
 */
export default defineCheck({
  id: 'server-requests/url-elicitation-error',
  title: 'A -32042 URLElicitationRequiredError lists URL-mode elicitations with ids',
  requirements: ['ELIC-019', 'ELIC-020'],
  level: 'MUST',
  versions: ['2025-11-25'],
  transports: 'all',
  timeoutFactor: 4,
  async run(ctx) {
    const declared = declaration(ctx.version, 'full');
    const session = await ctx.connect();
    session.answerServerRequest = (r) => (undeclaredFor(r.method, declared) === undefined ? plausibleAnswer(r.method) : undefined);
    const capabilities = capabilitiesOf(declared, ctx.version);
    const init = await session.initialize(ctx.version, { capabilities });
    if (init.kind !== 'result') throw new HarnessError('MCPCERT_ERR_TRANSPORT', `the target refused initialize from a client declaring ${JSON.stringify(capabilities)}`);
    ctx.note(`the client declares ${JSON.stringify(capabilities)}`);
    const replies = (await exerciseTarget(ctx, session)).flatMap((e) => ('reply' in e.outcome ? [e.outcome.reply] : []));
    if (ctx.hasCapability('tools') && !session.closed) replies.push(...(await callVariants(ctx, session)));
    let seen = 0;
    for (const reply of replies) {
      if (reply.kind !== 'error' || reply.error.code !== URL_ELICITATION_REQUIRED) continue;
      seen++;
      judge(ctx, reply.error, JSON.stringify(reply.message).slice(0, 500));
    }
    if (seen === 0) ctx.skip('the target never answered -32042 (URLElicitationRequiredError) to a client declaring URL elicitation: not for any tool called with schema-made arguments (and again with its optional boolean arguments true), prompt got or resource read');
  },
});
