import { isPlainObject } from '../../../transport/codec.js';
import type { JsonObject } from '../../../transport/jsonrpc.js';
import { ALL_VERSIONS, defineCheck, type CheckContext } from '../../check.js';
import { HarnessError } from '../../errors.js';
import { fence, settle } from '../../kit/replies.js';
import { listTools, toolArguments } from '../../kit/tools.js';
import type { Session } from '../../session.js';

interface Gated {
  capability: string;
  method: string;
  params: JsonObject;
  /** The first version whose capability object has this member. */
  since?: string;
}

const GATED: readonly Gated[] = [
  { capability: 'tools', method: 'tools/list', params: {} },
  { capability: 'resources', method: 'resources/list', params: {} },
  { capability: 'prompts', method: 'prompts/list', params: {} },
  // 2024-11-05 had completion/complete but no capability to declare it.
  { capability: 'completions', method: 'completion/complete', params: { ref: { type: 'ref/prompt', name: 'mcpcert' }, argument: { name: 'a', value: '' } }, since: '2025-03-26' },
];

/**
 * A completion request a completing server can only answer with a result: an argument of a prompt
 * it lists (an unknown prompt would be an error even where completion is supported).
 */
async function completionParams(ctx: CheckContext, session: Session, fallback: JsonObject): Promise<JsonObject> {
  if (!ctx.hasCapability('prompts')) return fallback;
  const reply = await session.call('prompts/list', {});
  const prompts = reply.kind === 'result' && Array.isArray(reply.result.prompts) ? reply.result.prompts : [];
  for (const prompt of prompts) {
    if (!isPlainObject(prompt) || typeof prompt.name !== 'string' || !Array.isArray(prompt.arguments)) continue;
    const arg = prompt.arguments.find((a) => isPlainObject(a) && typeof a.name === 'string');
    if (isPlainObject(arg)) return { ref: { type: 'ref/prompt', name: prompt.name }, argument: { name: arg.name as string, value: '' } };
  }
  return fallback;
}

const LOG_LEVEL = 'io.modelcontextprotocol/logLevel';

/**
 * Without `logging` declared, asks for every log message there is (logging/setLevel, or the
 * 2026-07-28 per-request logLevel) and makes a few calls: any notifications/message is then
 * logging the server did not declare (LOG-001 / M-LOG-002).
 */
async function probeLogging(ctx: CheckContext, session: Session): Promise<void> {
  const meta: JsonObject = ctx.era === 'modern' ? { [LOG_LEVEL]: 'debug' } : {};
  const mark = session.notifications.mark();
  if (ctx.era === 'legacy') await session.call('logging/setLevel', { level: 'debug' });
  if (ctx.hasCapability('tools')) {
    for (const tool of (await listTools(ctx, session)).slice(0, 5)) {
      const args = typeof tool.name === 'string' ? toolArguments(ctx, tool) : undefined;
      if (args === undefined) continue;
      try {
        await session.call('tools/call', { name: tool.name as string, arguments: args }, { meta, timeoutMs: Math.min(ctx.timeoutMs, 3000) });
      } catch (err) {
        if (!(err instanceof HarnessError)) throw err;
        ctx.note(`tools/call ${String(tool.name)}: ${err.message}`);
      }
    }
  }
  await fence(ctx, session);
  await settle(100);
  const logged = session.notifications.since(mark).find((n) => n.method === 'notifications/message');
  if (logged !== undefined) ctx.fail('the target sent notifications/message although it does not declare the logging capability', { expected: 'no log messages without logging declared', observed: JSON.stringify(logged).slice(0, 500) });
}

/**
 * "Servers that support X MUST declare the X capability": a server that answers a feature's
 * request with a result supports that feature, whatever it declared. An error (-32601 or any
 * other) is the expected answer to a method of an undeclared capability.
 */
export default defineCheck({
  id: 'capabilities/undeclared-methods',
  title: 'The server serves no tools, resources, prompts, completions or logging it did not declare',
  requirements: ['TOOL-003', 'RES-001', 'PROMPT-001', 'COMP-001', 'LOG-001', 'M-TOOL-002', 'M-RES-001', 'M-PROMPT-001', 'M-COMP-001', 'M-LOG-002'],
  level: 'MUST',
  versions: ALL_VERSIONS,
  transports: 'all',
  timeoutFactor: 2,
  async run(ctx) {
    const gated = GATED.filter((g) => !ctx.hasCapability(g.capability) && (g.since === undefined || ctx.version >= g.since));
    const logging = !ctx.hasCapability('logging');
    if (gated.length === 0 && !logging) ctx.skip('the target declares every capability this check probes (tools, resources, prompts, logging, and completions from 2025-03-26): nothing undeclared to call');
    const session = await ctx.session({ fresh: true });
    await fence(ctx, session);
    for (const g of gated) {
      const params = g.method === 'completion/complete' ? await completionParams(ctx, session, g.params) : g.params;
      const reply = await session.call(g.method, params);
      if (reply.kind === 'result') {
        ctx.fail(`the target answered ${g.method} with a result although it does not declare the ${g.capability} capability`, { expected: `an error (e.g. -32601), or ${g.capability} declared`, observed: JSON.stringify(reply.result).slice(0, 500), request: { jsonrpc: '2.0', method: g.method, params } });
      } else {
        ctx.note(`${g.method} without ${g.capability}: ${reply.kind === 'error' ? `error ${reply.error.code}` : reply.reason}`);
      }
    }
    if (logging) await probeLogging(ctx, session);
  },
});
