import { defineCheck, MODERN_VERSIONS } from '../../check.js';
import { readMissingResource } from '../../kit/missing-resource.js';
import { describeReply } from '../../kit/replies.js';

/**
 * Reading a resource that does not exist: -32602 from 2026-07-28 on, never the old -32002
 * (removed), and never a result (in particular not an empty `contents`).
 */
export default defineCheck({
  id: 'modern/resource-not-found',
  title: 'Reading a non-existent resource gets -32602, not -32002 and not empty contents',
  requirements: ['M-RES-007', 'M-RES-009', 'M-BASE-020'],
  level: 'MUST',
  versions: MODERN_VERSIONS,
  transports: 'all',
  needs: ['resources'],
  async run(ctx) {
    const { uri, request, reply } = await readMissingResource(ctx);
    const expected = 'error -32602 (Invalid params) for a resource that does not exist';
    if (reply.kind === 'result') {
      const contents = reply.result.contents;
      const what = Array.isArray(contents) && contents.length === 0 ? 'a result with an empty contents array' : 'a result';
      ctx.fail(`resources/read of the non-existent ${uri} was answered with ${what}`, { expected, observed: JSON.stringify(reply.result).slice(0, 300), request });
      return;
    }
    if (reply.kind === 'error' && reply.error.code === -32002) {
      ctx.fail(`resources/read of the non-existent ${uri} was answered with the removed code -32002`, { expected, observed: describeReply(reply), request });
      return;
    }
    ctx.expect(reply.kind === 'error' && reply.error.code === -32602, `resources/read of the non-existent ${uri} was answered with ${describeReply(reply)}`, { expected, observed: describeReply(reply), request });
  },
});
