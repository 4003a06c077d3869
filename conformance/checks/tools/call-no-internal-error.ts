import { ALL_VERSIONS, defineCheck } from '../../check.js';
import { NoResponseError, TargetClosedError } from '../../errors.js';
import { callTools, listTools } from '../../kit/tools.js';

/**
 * Arguments made from a tool's own inputSchema are valid by construction: a tool that then fails
 * should say so in an `isError` result (TOOL-016); -32603, silence or a crash say the server broke.
 */
export default defineCheck({
  id: 'tools/call-no-internal-error',
  title: 'Calling each tool with schema-valid arguments never yields -32603, a timeout or a crash',
  requirements: ['TOOL-016', 'M-TOOL-020'],
  level: 'SHOULD',
  versions: ALL_VERSIONS,
  transports: 'all',
  needs: ['tools'],
  timeoutFactor: 3,
  async run(ctx) {
    const session = await ctx.session();
    const calls = await callTools(ctx, session, await listTools(ctx, session));
    if (calls.length === 0) ctx.skip('no tool could be called with arguments generated from its inputSchema');
    for (const call of calls) {
      const request = { jsonrpc: '2.0', method: 'tools/call', params: { name: call.name, arguments: call.args } };
      if ('error' in call.outcome) {
        const err = call.outcome.error;
        // A tool that keeps reporting progress or logging is slow, not broken: the budget ran out, not the tool.
        if (err instanceof NoResponseError && call.progressed) {
          ctx.note(`tool ${call.name}: still running and reporting progress or log messages when the per-call budget ran out; not judged`);
          continue;
        }
        if (err instanceof NoResponseError || err instanceof TargetClosedError) ctx.fail(`tool ${JSON.stringify(call.name)} with arguments ${JSON.stringify(call.args)}: ${err.message}`, { expected: 'a CallToolResult', observed: err.message, request });
        else throw err;
        continue;
      }
      const reply = call.outcome.reply;
      if (reply.kind === 'error' && reply.error.code === -32603) {
        ctx.fail(`tool ${JSON.stringify(call.name)} answered schema-valid arguments ${JSON.stringify(call.args)} with -32603 "${reply.error.message}"`, { expected: 'a result (isError: true if the tool failed)', observed: JSON.stringify(reply.error), request });
      } else if (reply.kind === 'error') {
        ctx.note(`tool ${call.name}: error ${reply.error.code} ${reply.error.message}`);
      }
    }
  },
});
