import { defineCheck, MODERN_VERSIONS } from '../../check.js';
import { expectResult } from '../../kit/replies.js';

export default defineCheck({
  id: 'modern/discover',
  title: 'server/discover answers with a valid DiscoverResult that lists this version',
  requirements: ['M-VER-003'],
  level: 'MUST',
  versions: MODERN_VERSIONS,
  transports: 'all',
  async run(ctx) {
    const session = await ctx.session();
    const result = expectResult(ctx, await session.call('server/discover', {}), 'server/discover');
    if (result === undefined) return;
    ctx.validate('DiscoverResult', result, 'the server/discover result');
    const versions = result.supportedVersions;
    ctx.expect(Array.isArray(versions) && versions.includes(ctx.version), `server/discover does not list ${ctx.version} in supportedVersions`, { observed: JSON.stringify(versions ?? null) });
  },
});
