import { isPlainObject } from '../../../transport/codec.js';
import type { JsonObject, JsonValue } from '../../../transport/jsonrpc.js';
import { defineCheck, versionsFrom } from '../../check.js';
import { HarnessError } from '../../errors.js';
import { capabilitiesOf, declaration, plausibleAnswer } from '../../kit/client-requests.js';
import { exerciseTarget } from '../../kit/exercise-requests.js';
import { fence, settle } from '../../kit/replies.js';
import { argumentsFor } from '../../schema-args.js';
import type { ProtocolVersion } from '../../../spec/versions.js';

/** Bounds the tool_use answers, so a server that restarts its flow on every answer cannot loop forever. */
const MAX_TOOL_USE_ANSWERS = 12;
const MAX_REPORTED = 5;

function blocksOf(content: JsonValue | undefined): JsonObject[] {
  const list = Array.isArray(content) ? content : content === undefined ? [] : [content];
  return list.filter(isPlainObject);
}

function offeredTools(params: JsonObject): JsonObject[] {
  return Array.isArray(params.tools) ? params.tools.filter((t): t is JsonObject => isPlainObject(t) && typeof t.name === 'string') : [];
}

/** Two tool calls (of the first two offered tools, or the one twice), so "every tool_use" is put to the test. */
function toolUseAnswer(tools: readonly JsonObject[], serial: number, version: ProtocolVersion): { answer: JsonObject; ids: string[] } {
  const picked = [tools[0]!, tools[1] ?? tools[0]!];
  const content = picked.map((tool, i) => {
    const made = argumentsFor(tool.inputSchema, version);
    return { type: 'tool_use', id: `mcpcert-use-${serial}-${i + 1}`, name: tool.name as string, input: made.ok ? made.value : {} };
  });
  return { answer: { role: 'assistant', content, model: 'mcpcert-model', stopReason: 'toolUse' }, ids: content.map((c) => c.id) };
}

/** Why a continuation breaks SAMP-017, or undefined. `ids` are the tool_use ids of the answer it continues. */
function breachOf(params: JsonObject, ids: readonly string[]): string | undefined {
  const messages = Array.isArray(params.messages) ? params.messages : [];
  const at = messages.findIndex((m) => isPlainObject(m) && blocksOf(m.content).some((b) => b.type === 'tool_use' && typeof b.id === 'string' && ids.includes(b.id)));
  if (at < 0) return `it carries a tool_result for mcpcert's tool_use ${JSON.stringify(ids)} but not the assistant message with those tool_use blocks`;
  const next = messages[at + 1];
  if (!isPlainObject(next)) return `the assistant message ${at} with mcpcert's tool_use blocks is not followed by a user message of tool results`;
  if (next.role !== 'user') return `message ${at + 1}, after the tool_use message, has role ${JSON.stringify(next.role ?? null)}, not "user"`;
  const blocks = blocksOf(next.content);
  const others = blocks.filter((b) => b.type !== 'tool_result').map((b) => String(b.type));
  if (blocks.length === 0 || others.length > 0) return `message ${at + 1}, after the tool_use message, is not only tool_result blocks (it holds ${others.length > 0 ? JSON.stringify(others) : 'none'})`;
  const answered = new Set(blocks.map((b) => b.toolUseId));
  const missing = ids.filter((id) => !answered.has(id));
  if (missing.length > 0) return `message ${at + 1} has no tool_result for tool_use ${JSON.stringify(missing)}`;
  return undefined;
}

interface Flow {
  ids: string[];
}

/**
 * A client declaring sampling with tools exercises every tool, prompt and resource. Whenever the
 * target offers tools in sampling/createMessage (and lets the model use them), mcpcert's model
 * answers with two tool_use blocks and stopReason "toolUse". A target that continues must send
 * back, after the assistant's tool_use message, a user message of only tool_result blocks
 * answering every tool_use id (SAMP-017). Ending the flow instead is allowed.
 */
export default defineCheck({
  id: 'server-requests/sampling-tool-results',
  title: 'After a toolUse sampling answer, the server continues with a tool_result for every tool_use',
  requirements: ['SAMP-017'],
  level: 'MUST',
  versions: versionsFrom('2025-11-25', '2025-11-25'),
  transports: 'all',
  timeoutFactor: 4,
  async run(ctx) {
    const flows = new Map<string, Flow>();
    let offered = 0;
    let continued = 0;
    let reported = 0;
    const continuationOf = (params: JsonObject): Flow | undefined => {
      const messages = Array.isArray(params.messages) ? params.messages : [];
      for (const m of messages) {
        if (!isPlainObject(m)) continue;
        for (const b of blocksOf(m.content)) {
          const id = b.type === 'tool_use' ? b.id : b.type === 'tool_result' ? b.toolUseId : undefined;
          const flow = typeof id === 'string' ? flows.get(id) : undefined;
          if (flow !== undefined) return flow;
        }
      }
      return undefined;
    };
    const session = await ctx.connect();
    session.answerServerRequest = (r) => {
      if (r.method !== 'sampling/createMessage') return plausibleAnswer(r.method);
      const params = isPlainObject(r.params) ? r.params : {};
      const flow = continuationOf(params);
      if (flow !== undefined) {
        continued++;
        const breach = breachOf(params, flow.ids);
        if (breach !== undefined && reported++ < MAX_REPORTED) {
          ctx.fail(`the sampling request continuing after mcpcert's toolUse answer breaks SAMP-017: ${breach}`, {
            expected: `after the assistant message with tool_use ${JSON.stringify(flow.ids)}, a user message whose content is only tool_result blocks, one with a matching toolUseId for each`,
            observed: JSON.stringify(params.messages).slice(0, 800),
            request: r,
          });
        }
        // The model ends its turn, so the flow can finish.
        return plausibleAnswer(r.method);
      }
      const tools = offeredTools(params);
      const mode = isPlainObject(params.toolChoice) ? params.toolChoice.mode : undefined;
      if (tools.length === 0 || mode === 'none' || offered >= MAX_TOOL_USE_ANSWERS) return plausibleAnswer(r.method);
      offered++;
      const { answer, ids } = toolUseAnswer(tools, offered, ctx.version);
      for (const id of ids) flows.set(id, { ids });
      return answer;
    };
    const capabilities = capabilitiesOf(declaration(ctx.version, 'full'), ctx.version);
    const init = await session.initialize(ctx.version, { capabilities });
    if (init.kind !== 'result') throw new HarnessError('MCPCERT_ERR_TRANSPORT', `the target refused initialize from a client declaring ${JSON.stringify(capabilities)}`);
    ctx.note(`the client declares ${JSON.stringify(capabilities)}`);
    await exerciseTarget(ctx, session);
    await fence(ctx, session);
    await settle(200);
    if (offered === 0) ctx.skip('the target sent no sampling/createMessage offering tools (with toolChoice other than "none") while its tools, prompts and resources were exercised by a client declaring sampling.tools');
    ctx.note(`answered ${offered} sampling request(s) with tool_use; ${continued} continuation(s) came back`);
    if (continued === 0) ctx.skip(`the target never continued after mcpcert's model answered its ${offered} sampling request(s) offering tools with stopReason "toolUse" (ending the flow is allowed, so there was nothing to judge)`);
  },
});
