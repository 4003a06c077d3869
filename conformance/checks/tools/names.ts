import { defineCheck, versionsFrom } from '../../check.js';
import { listAll, listOf } from '../../kit/lists.js';

const NAME = /^[A-Za-z0-9_.-]{1,128}$/;

/** The tool-name guidance arrived with 2025-11-25. */
export default defineCheck({
  id: 'tools/names',
  title: 'Tool names are 1–128 characters of A–Z a–z 0–9 _ - . and unique',
  requirements: ['TOOL-007', 'TOOL-009', 'TOOL-010', 'TOOL-011', 'M-TOOL-008', 'M-TOOL-010', 'M-TOOL-011', 'M-TOOL-012'],
  level: 'SHOULD',
  versions: versionsFrom('2025-11-25'),
  transports: 'all',
  needs: ['tools'],
  async run(ctx) {
    const session = await ctx.session();
    const listing = await listAll(ctx, session, listOf('tools/list'), { validate: false });
    const seen = new Set<string>();
    for (const tool of listing.items) {
      const name = tool.name;
      if (typeof name !== 'string') continue;
      ctx.expect(NAME.test(name), `tool name ${JSON.stringify(name)} is not 1–128 characters of A–Z a–z 0–9 _ - .`, { observed: name });
      ctx.expect(!seen.has(name), `tool name ${JSON.stringify(name)} is listed twice`, { observed: name });
      seen.add(name);
    }
    if (listing.items.length === 0) ctx.note('the target lists no tools');
  },
});
