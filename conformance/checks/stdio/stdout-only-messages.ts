import { ALL_VERSIONS, defineCheck } from '../../check.js';
import { declaredLists } from '../../kit/lists.js';
import { fence, settle } from '../../kit/replies.js';

/**
 * Everything the process writes to stdout is framed as a message, from its first byte: a fresh
 * process, so start-up banners count, then a handshake and a few requests.
 */
export default defineCheck({
  id: 'stdio/stdout-only-messages',
  title: 'The server writes nothing but MCP messages to stdout',
  requirements: ['STDIO-003', 'M-STDIO-003'],
  level: 'MUST',
  versions: ALL_VERSIONS,
  transports: ['stdio'],
  async run(ctx) {
    const session = await ctx.session({ fresh: true });
    for (const list of declaredLists(ctx)) await session.call(list.method, {});
    await fence(ctx, session);
    await settle(100);
    for (const frame of session.frameErrors) {
      ctx.fail(`the server wrote a line to stdout that is not an MCP message: ${frame.message}`, { expected: 'one JSON-RPC message per line', observed: frame.raw ?? '' });
    }
  },
});
