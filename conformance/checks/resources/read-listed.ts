import { isPlainObject } from '../../../transport/codec.js';
import { ALL_VERSIONS, defineCheck } from '../../check.js';
import { listAll, listOf } from '../../kit/lists.js';
import { describeReply } from '../../kit/replies.js';
import { isBase64 } from '../../kit/base64.js';

/** A bounded sample: enough to see each kind of content a server tends to have. */
const SAMPLE = 10;

export default defineCheck({
  id: 'resources/read-listed',
  title: 'Listed resources can be read; results are valid and binary content is base64',
  requirements: ['RES-009', 'M-RES-012'],
  level: 'MUST',
  versions: ALL_VERSIONS,
  transports: 'all',
  needs: ['resources'],
  timeoutFactor: 2,
  async run(ctx) {
    const session = await ctx.session();
    const listing = await listAll(ctx, session, listOf('resources/list'), { maxPages: 2, validate: false });
    const sample = listing.items.filter((r) => typeof r.uri === 'string').slice(0, SAMPLE);
    if (sample.length === 0) ctx.skip('the target lists no resources');
    for (const resource of sample) {
      const uri = resource.uri as string;
      const request = { jsonrpc: '2.0', method: 'resources/read', params: { uri } };
      const reply = await session.call('resources/read', { uri });
      if (reply.kind !== 'result') {
        ctx.note(`resources/read ${uri}: ${describeReply(reply)}`);
        continue;
      }
      if (reply.result.resultType === 'input_required') continue;
      ctx.validate('ReadResourceResult', reply.result, `the resources/read result for ${uri}`, { request });
      const contents = Array.isArray(reply.result.contents) ? reply.result.contents : [];
      for (const content of contents) {
        if (!isPlainObject(content) || !('blob' in content)) continue;
        ctx.expect(typeof content.blob === 'string' && isBase64(content.blob), `the blob of ${uri} is not base64`, { expected: 'RFC 4648 base64', observed: JSON.stringify(content.blob).slice(0, 200), request });
      }
    }
  },
});
