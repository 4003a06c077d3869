import { defineCheck, HANDSHAKE_VERSIONS } from '../../check.js';
import { callTools, listTools } from '../../kit/tools.js';

/**
 * A result is judged by the negotiated version's schema: content types, fields and shapes of
 * another revision break LIFE-015 (2026-07-28 results are covered by the modern/ checks).
 */
export default defineCheck({
  id: 'tools/call-result-schema',
  title: 'tools/call results are valid CallToolResults of the negotiated version',
  requirements: ['LIFE-015'],
  level: 'MUST',
  versions: HANDSHAKE_VERSIONS,
  transports: 'all',
  needs: ['tools'],
  timeoutFactor: 3,
  async run(ctx) {
    const session = await ctx.session();
    const calls = await callTools(ctx, session, await listTools(ctx, session));
    let results = 0;
    for (const call of calls) {
      if (!('reply' in call.outcome) || call.outcome.reply.kind !== 'result') continue;
      results += 1;
      ctx.validate('CallToolResult', call.outcome.reply.result, `the result of tool ${JSON.stringify(call.name)}`, { request: { jsonrpc: '2.0', id: call.outcome.reply.id, method: 'tools/call', params: { name: call.name, arguments: call.args } } });
    }
    if (results === 0) ctx.skip('no tool call returned a result to judge (no tool, or none callable with arguments generated from its inputSchema)');
  },
});
