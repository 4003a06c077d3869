import { isPlainObject } from '../../../transport/codec.js';
import { defineCheck, MODERN_VERSIONS } from '../../check.js';
import { META_KEYS } from '../../modern.js';
import { describeReply } from '../../kit/replies.js';

const UNSUPPORTED = '2099-12-31';

export default defineCheck({
  id: 'modern/unsupported-version',
  title: 'An unsupported protocol version gets -32022 listing the supported versions',
  requirements: ['M-VER-001'],
  level: 'MUST',
  versions: MODERN_VERSIONS,
  transports: 'all',
  async run(ctx) {
    const session = await ctx.session();
    const meta = { [META_KEYS.protocolVersion]: UNSUPPORTED };
    const request = { jsonrpc: '2.0', method: 'server/discover', params: session.eraParams({}, meta) ?? {} };
    const reply = await session.call('server/discover', {}, { meta });
    if (reply.kind !== 'error' || reply.error.code !== -32022) {
      ctx.fail(`server/discover for protocol version ${UNSUPPORTED} was answered with ${describeReply(reply)}`, { expected: 'error -32022 (UnsupportedProtocolVersionError)', observed: describeReply(reply), request });
      return;
    }
    const data = reply.error.data;
    const supported = isPlainObject(data) ? data.supported : undefined;
    ctx.expect(Array.isArray(supported) && supported.length > 0 && supported.every((v) => typeof v === 'string'), 'the -32022 error does not list the supported versions in data.supported', { expected: 'data.supported: ["2026-07-28", …]', observed: JSON.stringify(data ?? null), request });
    ctx.validate('UnsupportedProtocolVersionError', reply.message, 'the -32022 error response', { request });
  },
});
