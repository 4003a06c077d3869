import { ALL_VERSIONS, defineCheck } from '../../check.js';
import { NoResponseError, TargetClosedError } from '../../errors.js';
import { checkProperty } from '../../kit/property.js';
import { describeReply, fence } from '../../kit/replies.js';
import { validToolCases, type ToolCase } from '../../kit/tool-cases.js';

/**
 * Generated schema-valid arguments, many shapes per tool (where tools/call-no-internal-error
 * tries the smallest one): whatever the tool makes of them, it says so in a result, with
 * `isError: true` if it failed (TOOL-016). -32603, a malformed response or a dead connection
 * says the server broke on input its own schema allows. A call that is merely slow is not judged.
 */
export default defineCheck({
  id: 'properties/tool-call-valid-arguments',
  title: 'Tool calls with generated schema-valid arguments never yield -32603 or a crash',
  requirements: ['TOOL-016', 'M-TOOL-020'],
  level: 'SHOULD',
  versions: ALL_VERSIONS,
  transports: 'all',
  needs: ['tools'],
  timeoutFactor: 3,
  async run(ctx) {
    const cases = await validToolCases(ctx, await ctx.session());
    if (cases === undefined) return ctx.skip('no listed tool has an inputSchema arguments could be generated for');
    const perCallMs = Math.min(ctx.timeoutMs, 1000);
    // A tool that outlasts the per-call bound (a long sleep it was asked for) is not judged
    // again: its later cases would only wait the bound out.
    const slow = new Set<string>();
    await checkProperty<ToolCase>(ctx, {
      arbitrary: cases,
      defaultRuns: 20,
      describe: (c) => ({ name: c.tool, arguments: c.args }),
      judge: async (c) => {
        // A crash replaces the shared session: every case talks to a live server.
        if (slow.has(c.tool)) return undefined;
        const session = await ctx.session();
        const params = { name: c.tool, arguments: c.args };
        const request = { jsonrpc: '2.0', method: 'tools/call', params };
        try {
          const reply = await session.call('tools/call', params, { timeoutMs: perCallMs });
          if (reply.kind === 'invalid') return { message: `tool ${JSON.stringify(c.tool)} answered ${JSON.stringify(c.args)} with ${describeReply(reply)}`, details: { expected: 'a CallToolResult', observed: reply.raw.slice(0, 500), request } };
          if (reply.kind === 'error' && reply.error.code === -32603) return { message: `tool ${JSON.stringify(c.tool)} answered schema-valid arguments ${JSON.stringify(c.args)} with -32603 "${reply.error.message}"`, details: { expected: 'a result (isError: true if the tool failed)', observed: JSON.stringify(reply.error), request } };
          return undefined;
        } catch (err) {
          if (err instanceof NoResponseError) {
            slow.add(c.tool);
            ctx.note(`tool ${c.tool}: no answer within ${perCallMs} ms to ${JSON.stringify(c.args)}; its further cases are not judged`);
            return undefined;
          }
          if (err instanceof TargetClosedError) return { message: `tool ${JSON.stringify(c.tool)} with schema-valid arguments ${JSON.stringify(c.args)}: ${err.message}`, details: { expected: 'a CallToolResult', observed: err.message, request } };
          throw err;
        }
      },
    });
    const alive = await fence(ctx, await ctx.session());
    ctx.expect(alive.kind === 'result', `after the generated calls the target answered the liveness request with ${describeReply(alive)}`, { expected: 'a result', observed: describeReply(alive) });
  },
});
