import { ALL_VERSIONS, defineCheck } from '../../check.js';

const UNKNOWN_METHOD = 'mcpcert/no-such-method';

export default defineCheck({
  id: 'base/error-response-shape',
  title: 'Error responses carry the request id and an error with an integer code and a message',
  requirements: ['BASE-008', 'BASE-009', 'BASE-010', 'M-BASE-012', 'M-BASE-013', 'M-BASE-014'],
  level: 'MUST',
  versions: ALL_VERSIONS,
  transports: 'all',
  async run(ctx) {
    const session = await ctx.session();
    const reply = await session.call(UNKNOWN_METHOD, {});
    if (reply.kind === 'invalid') {
      ctx.fail(`the error response to ${UNKNOWN_METHOD} is malformed: ${reply.reason}`, { expected: '{"jsonrpc":"2.0","id":…,"error":{"code":<integer>,"message":<string>}}', observed: reply.raw });
      return;
    }
    if (reply.kind === 'result') {
      ctx.fail(`the unknown method ${UNKNOWN_METHOD} was answered with a result`, { expected: 'an error response (-32601)', observed: JSON.stringify(reply.result).slice(0, 300) });
      return;
    }
    ctx.validate(ctx.version >= '2025-11-25' ? 'JSONRPCErrorResponse' : 'JSONRPCError', reply.message, 'the error response');
    if (reply.error.code !== -32601) ctx.note(`the unknown method was answered with code ${reply.error.code}; JSON-RPC names -32601 for it`);
  },
});
