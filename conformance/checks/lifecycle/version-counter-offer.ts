import { defineCheck, HANDSHAKE_VERSIONS } from '../../check.js';
import { describeReply } from '../../kit/replies.js';

/** A date no revision has: a server cannot support it, so it must offer one it does. */
const UNKNOWN_VERSION = '2099-12-31';

export default defineCheck({
  id: 'lifecycle/version-counter-offer',
  title: 'An unsupported protocol version gets a counter-offer, not an error',
  requirements: ['LIFE-010'],
  level: 'MUST',
  versions: HANDSHAKE_VERSIONS,
  transports: 'all',
  async run(ctx) {
    const session = await ctx.connect();
    const reply = await session.initialize(UNKNOWN_VERSION);
    if (reply.kind !== 'result') {
      ctx.fail(`initialize with the unknown protocolVersion ${UNKNOWN_VERSION} was answered with ${describeReply(reply)}; the target must answer with a version it supports instead`, { expected: 'an InitializeResult naming another version', observed: describeReply(reply) });
      return;
    }
    const offered = reply.result.protocolVersion;
    ctx.expect(typeof offered === 'string' && offered !== UNKNOWN_VERSION, `initialize with the unknown protocolVersion ${UNKNOWN_VERSION} was answered with ${JSON.stringify(offered)}: a target cannot support a revision that does not exist`, {
      expected: 'a protocolVersion the target supports',
      observed: `protocolVersion ${JSON.stringify(offered)}`,
    });
  },
});
