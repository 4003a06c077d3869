import { isErrorResponse } from '../../../transport/jsonrpc.js';
import { defineCheck, MODERN_VERSIONS } from '../../check.js';
import { modernPost } from '../../kit/http-session.js';
import { META_KEYS } from '../../modern.js';
import { decode } from '../../../transport/codec.js';

const UNSUPPORTED = '2099-12-31';

export default defineCheck({
  id: 'http/unsupported-version-status',
  title: 'A 2026-07-28 request for an unsupported version gets HTTP 400 with error -32022',
  requirements: ['M-HTTP-025'],
  level: 'MUST',
  versions: MODERN_VERSIONS,
  transports: ['http'],
  async run(ctx) {
    const base = modernPost(ctx, 'server/discover');
    const message = JSON.parse(base.body!) as { params: { _meta: Record<string, unknown> } };
    message.params._meta[META_KEYS.protocolVersion] = UNSUPPORTED;
    const spec = { ...base, body: JSON.stringify(message), headers: { ...base.headers, 'mcp-protocol-version': UNSUPPORTED } };
    const answer = await ctx.http(spec);
    const decoded = answer.body === '' ? undefined : decode(answer.body);
    const error = decoded?.ok ? decoded.messages.find(isErrorResponse) : undefined;
    ctx.expect(answer.status === 400, `a request for protocol version ${UNSUPPORTED} was answered with HTTP ${answer.status}`, { expected: 'HTTP 400', observed: `HTTP ${answer.status}`, http: spec });
    ctx.expect(error?.error.code === -32022, `the answer to a request for protocol version ${UNSUPPORTED} carries ${error === undefined ? 'no JSON-RPC error' : `error ${error.error.code}`}`, { expected: 'JSON-RPC error -32022 with data.supported', observed: answer.body.slice(0, 300), http: spec });
  },
});
