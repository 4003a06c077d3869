import type { NearMissKind } from '../../arbitrary/schema-arbitrary.js';
import { ALL_VERSIONS, defineCheck } from '../../check.js';
import { NoResponseError, TargetClosedError } from '../../errors.js';
import { checkProperty } from '../../kit/property.js';
import { describeReply } from '../../kit/replies.js';
import { nearMissToolCases, type NearMissCase } from '../../kit/tool-cases.js';

/**
 * The constraints every validator enforces. Left out: `format` (an annotation unless a
 * validator opts in), unknown properties (commonly stripped rather than refused) and
 * `uniqueItems` (which schema libraries such as zod cannot express, so rarely enforce).
 */
const ENFORCED: ReadonlySet<NearMissKind> = new Set<NearMissKind>(['required', 'type', 'integer', 'enum', 'const', 'minimum', 'maximum', 'exclusive-minimum', 'exclusive-maximum', 'multiple-of', 'min-length', 'max-length', 'pattern', 'min-items', 'max-items']);

/**
 * "Servers MUST validate all tool inputs" (TOOL-018), searched: generated arguments that break
 * exactly one constraint of the tool's inputSchema must be refused, as an `isError` result or a
 * JSON-RPC error. A success means the input was not validated; the failure shrinks to the
 * simplest such arguments.
 */
export default defineCheck({
  id: 'properties/tool-call-invalid-arguments',
  title: "Tool calls with generated arguments that break one inputSchema constraint are refused",
  requirements: ['TOOL-018', 'M-TOOL-022'],
  level: 'MUST',
  versions: ALL_VERSIONS,
  transports: 'all',
  needs: ['tools'],
  timeoutFactor: 3,
  async run(ctx) {
    const cases = await nearMissToolCases(ctx, await ctx.session(), ENFORCED);
    if (cases === undefined) return ctx.skip('no listed tool has an inputSchema with a constraint to break (required, typed, bounded or enumerated properties)');
    const perCallMs = Math.min(ctx.timeoutMs, 1000);
    // A tool that outlasts the per-call bound (a long sleep it was asked for) is not judged
    // again: its later cases would only wait the bound out.
    const slow = new Set<string>();
    await checkProperty<NearMissCase>(ctx, {
      arbitrary: cases,
      defaultRuns: 20,
      describe: (c) => ({ name: c.tool, arguments: c.args, broken: c.broken }),
      judge: async (c) => {
        if (slow.has(c.tool)) return undefined;
        const session = await ctx.session();
        const params = { name: c.tool, arguments: c.args };
        const request = { jsonrpc: '2.0', method: 'tools/call', params };
        const what = `tool ${JSON.stringify(c.tool)} with ${JSON.stringify(c.args)} (${c.broken})`;
        try {
          const reply = await session.call('tools/call', params, { timeoutMs: perCallMs });
          if (reply.kind === 'error') return undefined;
          if (reply.kind === 'invalid') return { message: `${what}: ${describeReply(reply)}`, details: { expected: 'an isError result or a JSON-RPC error', observed: reply.raw.slice(0, 500), request } };
          // 2026-07-28: asking the client for input first is not acting on the arguments.
          if (reply.result.isError === true || reply.result.resultType === 'input_required') return undefined;
          return { message: `${what} succeeded: the arguments break the tool's inputSchema, so they were not validated`, details: { expected: 'a result with isError: true (or a JSON-RPC error such as -32602)', observed: JSON.stringify(reply.result).slice(0, 500), request } };
        } catch (err) {
          if (err instanceof NoResponseError) {
            slow.add(c.tool);
            ctx.note(`tool ${c.tool}: no answer within ${perCallMs} ms to ${JSON.stringify(c.args)}; its further cases are not judged`);
            return undefined;
          }
          if (err instanceof TargetClosedError) return { message: `${what}: ${err.message}`, details: { expected: 'an isError result or a JSON-RPC error', observed: err.message, request } };
          throw err;
        }
      },
    });
  },
});
