import { isPlainObject } from '../../../transport/codec.js';
import { defineCheck, HANDSHAKE_VERSIONS } from '../../check.js';
import { expectResult } from '../../kit/replies.js';

export default defineCheck({
  id: 'lifecycle/initialize-result',
  title: 'initialize is answered with protocolVersion, capabilities and serverInfo',
  requirements: ['LIFE-003'],
  level: 'MUST',
  versions: HANDSHAKE_VERSIONS,
  transports: 'all',
  async run(ctx) {
    const reply = ctx.negotiationHandshake() ?? (await (await ctx.connect()).initialize(ctx.version));
    const result = expectResult(ctx, reply, 'initialize');
    if (result === undefined) return;
    // Named first, so the message says what is missing in words before the schema's paths.
    const info = result.serverInfo;
    ctx.expect(isPlainObject(info) && typeof info.name === 'string' && typeof info.version === 'string', 'the initialize result has no serverInfo with name and version', {
      expected: 'serverInfo: {name, version}',
      observed: info === undefined ? 'no serverInfo' : JSON.stringify(info),
    });
    ctx.expect(isPlainObject(result.capabilities), 'the initialize result has no capabilities object', { observed: JSON.stringify(result.capabilities ?? null) });
    ctx.expect(typeof result.protocolVersion === 'string', 'the initialize result has no protocolVersion string', { observed: JSON.stringify(result.protocolVersion ?? null) });
    ctx.validate('InitializeResult', result, 'the initialize result');
  },
});
