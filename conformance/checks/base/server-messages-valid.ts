import type { JsonRpcMessage } from '../../../transport/jsonrpc.js';
import type { ProtocolVersion } from '../../../spec/versions.js';
import { ALL_VERSIONS, defineCheck } from '../../check.js';
import { declaredLists } from '../../kit/lists.js';
import { fence, settle } from '../../kit/replies.js';

/**
 * JSON-RPC 2.0 answers a request whose id could not be read with `"id": null`; the MCP schemas
 * do not allow null (2025-11-25 leaves the id out, earlier ones always require one). A server
 * following JSON-RPC to the letter is not at fault, so such an error is judged with the id the
 * schema expects in its place; everything else is judged by the version's schema as it is.
 */
function forSchema(message: JsonRpcMessage, version: ProtocolVersion): JsonRpcMessage {
  if (!('error' in message) || message.id !== null) return message;
  const { id: _null, ...rest } = message;
  return version >= '2025-11-25' ? rest : { ...rest, id: 0 };
}

export default defineCheck({
  id: 'base/server-messages-valid',
  title: 'Every message the server sends is valid JSON-RPC 2.0 as the version defines it',
  requirements: ['BASE-002', 'BASE-003', 'BASE-007', 'M-BASE-002', 'M-BASE-003', 'M-BASE-007'],
  level: 'MUST',
  versions: ALL_VERSIONS,
  transports: 'all',
  async run(ctx) {
    const session = await ctx.session({ fresh: true });
    await fence(ctx, session);
    for (const list of declaredLists(ctx)) await session.call(list.method, {});
    await fence(ctx, session);
    await settle(50);
    for (const message of session.received) {
      ctx.validate('JSONRPCMessage', forSchema(message, ctx.version), `a message from the target (${'method' in message ? message.method : `response to id ${JSON.stringify('id' in message ? message.id : null)}`})`, { observed: JSON.stringify(message).slice(0, 500) });
    }
    for (const frame of session.frameErrors) {
      ctx.fail(`the target sent a frame that is not a JSON-RPC message: ${frame.message}`, { expected: 'a JSON-RPC 2.0 message', observed: frame.raw ?? '' });
    }
  },
});
