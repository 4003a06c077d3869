import { defineCheck, MODERN_VERSIONS } from '../../check.js';
import { declaredLists, listAll, listOf } from '../../kit/lists.js';
import type { JsonObject } from '../../../transport/jsonrpc.js';

export default defineCheck({
  id: 'modern/cache-hints',
  title: 'Cacheable results carry ttlMs ≥ 0 and cacheScope',
  requirements: ['M-CACHE-001', 'M-CACHE-008'],
  level: 'MUST',
  versions: MODERN_VERSIONS,
  transports: 'all',
  async run(ctx) {
    const session = await ctx.session();
    const results: Array<[string, JsonObject]> = [];
    const discover = await session.call('server/discover', {});
    if (discover.kind === 'result') results.push(['server/discover', discover.result]);
    for (const list of declaredLists(ctx)) {
      const listing = await listAll(ctx, session, list, { maxPages: 2, validate: false });
      for (const page of listing.pages) results.push([list.method, page]);
    }
    if (ctx.hasCapability('resources')) {
      const first = (await listAll(ctx, session, listOf('resources/list'), { maxPages: 1, validate: false })).items[0];
      if (typeof first?.uri === 'string') {
        const read = await session.call('resources/read', { uri: first.uri });
        if (read.kind === 'result' && read.result.resultType !== 'input_required') results.push([`resources/read ${first.uri}`, read.result]);
      }
    }
    for (const [what, result] of results) {
      const ttl = result.ttlMs;
      ctx.expect(typeof ttl === 'number' && ttl >= 0, `the ${what} result has ttlMs ${JSON.stringify(ttl ?? null)}`, { expected: 'ttlMs: a number ≥ 0', observed: JSON.stringify(ttl ?? null) });
      ctx.expect(result.cacheScope === 'public' || result.cacheScope === 'private', `the ${what} result has cacheScope ${JSON.stringify(result.cacheScope ?? null)}`, { expected: 'cacheScope "public" or "private"', observed: JSON.stringify(result.cacheScope ?? null) });
    }
  },
});
