import { ALL_VERSIONS, defineCheck } from '../../check.js';
import { declaredLists, listAll } from '../../kit/lists.js';

const MAX_PAGES = 50;

export default defineCheck({
  id: 'pagination/cursor-walk',
  title: 'Following nextCursor ends, without a repeated cursor or a repeated item',
  requirements: ['PAGE-002', 'M-PAGE-002'],
  level: 'SHOULD',
  versions: ALL_VERSIONS,
  transports: 'all',
  timeoutFactor: 2,
  async run(ctx) {
    const lists = declaredLists(ctx);
    if (lists.length === 0) ctx.skip('the target declares none of tools, resources, prompts');
    const session = await ctx.session();
    for (const list of lists) {
      const listing = await listAll(ctx, session, list, { maxPages: MAX_PAGES, validate: false });
      if (listing.repeatedCursor !== undefined) {
        ctx.fail(`${list.method} handed out the cursor ${JSON.stringify(listing.repeatedCursor)} twice: following nextCursor would never end`, { observed: `cursors: ${listing.cursors.join(', ')}`, request: { jsonrpc: '2.0', method: list.method, params: { cursor: listing.repeatedCursor } } });
        continue;
      }
      if (!listing.complete) {
        if (listing.pages.length >= MAX_PAGES) ctx.note(`${list.method}: more than ${MAX_PAGES} pages; stopped there`);
        continue;
      }
      const seen = new Set<string>();
      for (const item of listing.items) {
        const id = JSON.stringify(item[list.idField]);
        ctx.expect(!seen.has(id), `${list.method} lists ${list.idField} ${id} on more than one page or twice`, { observed: id });
        seen.add(id);
      }
    }
  },
});
