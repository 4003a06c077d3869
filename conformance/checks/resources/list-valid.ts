import { ALL_VERSIONS, defineCheck } from '../../check.js';
import { listAll, listOf } from '../../kit/lists.js';

/** RFC 3986: a scheme, a colon, and no characters a URI cannot hold. */
const URI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|\\^`]*$/;

export default defineCheck({
  id: 'resources/list-valid',
  title: 'resources/list and resources/templates/list are valid, with RFC 3986 URIs',
  requirements: ['RES-005', 'M-RES-006'],
  level: 'MUST',
  versions: ALL_VERSIONS,
  transports: 'all',
  needs: ['resources'],
  async run(ctx) {
    const session = await ctx.session();
    const resources = await listAll(ctx, session, listOf('resources/list'));
    for (const resource of resources.items) {
      const uri = resource.uri;
      ctx.expect(typeof uri === 'string' && URI.test(uri), `resource ${JSON.stringify(resource.name)} has a URI that is not an RFC 3986 URI: ${JSON.stringify(uri)}`, { expected: 'scheme:rest, without spaces or <>"{}|\\^`', observed: JSON.stringify(uri) });
    }
    await listAll(ctx, session, listOf('resources/templates/list'));
  },
});
