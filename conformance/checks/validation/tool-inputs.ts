import type { JsonObject } from '../../../transport/jsonrpc.js';
import { ALL_VERSIONS, defineCheck, type CheckContext } from '../../check.js';
import { HarnessError, NoResponseError } from '../../errors.js';
import { invalidArgumentsFor, type InvalidArguments } from '../../kit/invalid-args.js';
import { describeReply, fence } from '../../kit/replies.js';
import { listTools, toolArguments } from '../../kit/tools.js';
import type { Session } from '../../session.js';

const MAX_TOOLS = 20;
const CONCURRENCY = 4;

interface Probe {
  tool: string;
  broken: InvalidArguments;
}

/**
 * "Servers MUST validate all tool inputs" (TOOL-018). Arguments that break the tool's own
 * inputSchema must not be acted on as if they were fine: the spec's answers are a tool execution
 * error (`isError: true`, preferred since 2025-11-25, TOOL-016) or a protocol error. A plain
 * success shows the input was not validated, and a dead connection shows it broke the server;
 * both fail (a call that is merely slow is not judged). The schema is the tool's own published contract, so accepting what it
 * forbids is not leniency the spec allows. Any JSON-RPC error is accepted here (even -32603,
 * which only says the error was reported badly; tools/call-no-internal-error grades codes).
 */
async function judge(ctx: CheckContext, session: Session, probe: Probe): Promise<void> {
  const params: JsonObject = { name: probe.tool, arguments: probe.broken.args };
  const request = { jsonrpc: '2.0', method: 'tools/call', params };
  const what = `tool ${JSON.stringify(probe.tool)} with ${probe.broken.how} (the schema says: ${probe.broken.complaint})`;
  let reply;
  try {
    reply = await session.call('tools/call', params, { timeoutMs: Math.min(ctx.timeoutMs, 5000) });
  } catch (err) {
    if (!(err instanceof HarnessError)) throw err;
    // A slow answer is not a wrong one (a loaded machine, a tool that takes its time): the
    // liveness request after all calls tells whether the server broke.
    if (err instanceof NoResponseError) {
      ctx.note(`${what}: no answer within the per-call budget; not judged`);
      return;
    }
    ctx.fail(`${what}: ${err.message}`, { expected: 'a prompt isError result or JSON-RPC error', observed: err.message, request });
    return;
  }
  if (reply.kind === 'error') {
    ctx.note(`${what}: error ${reply.error.code} "${reply.error.message}"`);
    return;
  }
  if (reply.kind === 'invalid') {
    ctx.fail(`${what}: ${describeReply(reply)}`, { expected: 'an isError result or a JSON-RPC error', observed: reply.raw.slice(0, 500), request });
    return;
  }
  if (reply.result.isError === true) return;
  // 2026-07-28: asking the client for input first is not acting on the arguments.
  if (reply.result.resultType === 'input_required') {
    ctx.note(`${what}: the tool asked for client input first; not judged`);
    return;
  }
  ctx.fail(`${what} succeeded: the arguments break the tool's inputSchema, so they were not validated`, {
    expected: 'a result with isError: true (or a JSON-RPC error such as -32602)',
    observed: JSON.stringify(reply.result).slice(0, 500),
    request,
  });
}

export default defineCheck({
  id: 'validation/tool-inputs',
  title: "Tool calls whose arguments break the tool's inputSchema are rejected, not run",
  requirements: ['TOOL-018', 'M-TOOL-022'],
  level: 'MUST',
  versions: ALL_VERSIONS,
  transports: 'all',
  needs: ['tools'],
  timeoutFactor: 4,
  async run(ctx) {
    // The lane's session: a fresh one would cost a server process on stdio, and nothing here
    // depends on a session's history (a broken session is replaced for the next check).
    const session = await ctx.session();
    const probes: Probe[] = [];
    for (const tool of (await listTools(ctx, session)).slice(0, MAX_TOOLS)) {
      if (typeof tool.name !== 'string') continue;
      const valid = toolArguments(ctx, tool);
      if (valid === undefined) continue;
      for (const broken of invalidArgumentsFor(tool.inputSchema, valid, ctx.version)) probes.push({ tool: tool.name, broken });
    }
    if (probes.length === 0) ctx.skip('no listed tool has an inputSchema that rejects anything (no required, typed or enumerated property)');
    ctx.note(`${probes.length} call(s) with invalid arguments across ${new Set(probes.map((p) => p.tool)).size} tool(s)`);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < probes.length && !session.closed) await judge(ctx, session, probes[next++]!);
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, probes.length) }, worker));
    try {
      const alive = await fence(ctx, session);
      ctx.expect(alive.kind === 'result', `after the invalid calls the target answered ${alive.kind === 'result' ? '' : describeReply(alive)} to the liveness request`, { expected: 'a result', observed: describeReply(alive) });
    } catch (err) {
      if (!(err instanceof HarnessError)) throw err;
      ctx.fail(`the target stopped answering after tool calls with invalid arguments: ${err.message}`, { expected: 'the target still answers', observed: err.message });
    }
  },
});
