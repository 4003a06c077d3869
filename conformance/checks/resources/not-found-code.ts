import { defineCheck, HANDSHAKE_VERSIONS } from '../../check.js';
import { readMissingResource } from '../../kit/missing-resource.js';
import { describeReply } from '../../kit/replies.js';

/** Before 2026-07-28, a resource that does not exist SHOULD be reported with -32002. */
export default defineCheck({
  id: 'resources/not-found-code',
  title: 'Reading a non-existent resource gets -32002 (Resource not found)',
  requirements: ['RES-006'],
  level: 'SHOULD',
  versions: HANDSHAKE_VERSIONS,
  transports: 'all',
  needs: ['resources'],
  async run(ctx) {
    const { uri, request, reply } = await readMissingResource(ctx);
    const observed = reply.kind === 'result' ? JSON.stringify(reply.result).slice(0, 300) : describeReply(reply);
    ctx.expect(reply.kind === 'error' && reply.error.code === -32002, `resources/read of the non-existent ${uri} was answered with ${describeReply(reply)}`, { expected: 'error -32002 (Resource not found)', observed, request });
  },
});
