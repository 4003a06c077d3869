import { defineCheck, HANDSHAKE_VERSIONS } from '../../check.js';
import { expectResult } from '../../kit/replies.js';

/**
 * The run's version is one the target supports: it was asked for on the command line, or the
 * target itself offered it in answer to 2025-11-25. Asked for it, the target must echo it.
 */
export default defineCheck({
  id: 'lifecycle/version-echo',
  title: 'A supported protocol version is echoed by initialize',
  requirements: ['LIFE-009'],
  level: 'MUST',
  versions: HANDSHAKE_VERSIONS,
  transports: 'all',
  async run(ctx) {
    const reply = ctx.negotiationHandshake() ?? (await (await ctx.connect()).initialize(ctx.version));
    const result = expectResult(ctx, reply, `initialize with protocolVersion ${ctx.version}`);
    if (result === undefined) return;
    ctx.expect(result.protocolVersion === ctx.version, `initialize asked for ${ctx.version}, which the target supports, and was answered with ${JSON.stringify(result.protocolVersion)}`, {
      expected: `protocolVersion "${ctx.version}"`,
      observed: `protocolVersion ${JSON.stringify(result.protocolVersion)}`,
    });
  },
});
