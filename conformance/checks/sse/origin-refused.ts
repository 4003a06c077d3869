import { isResponse } from '../../../transport/jsonrpc.js';
import { defineCheck, HANDSHAKE_VERSIONS } from '../../check.js';
import { initializeMessage } from '../../kit/http-session.js';
import { legacyGetSpec, legacyPostSpec, openLegacyStream } from '../../kit/legacy-sse.js';
import { StreamReader } from '../../kit/sse-stream.js';

const FOREIGN_ORIGIN = 'https://attacker.mcpcert.invalid';

/**
 * The 2024-11-05 HTTP with SSE security warning: servers MUST validate Origin on all incoming
 * connections (HTTP-002). That text names no status (403 came with 2025-11-25 Streamable
 * HTTP), so any 4xx refusal passes, on the GET that opens a stream and on a POST of messages.
 */
export default defineCheck({
  id: 'sse/origin-refused',
  title: 'Legacy SSE: a GET or POST with a foreign Origin is refused with a 4xx status',
  requirements: ['HTTP-002'],
  level: 'MUST',
  versions: HANDSHAKE_VERSIONS,
  transports: ['sse'],
  async run(ctx) {
    const reader = new StreamReader(ctx);
    try {
      const get = legacyGetSpec(ctx, { origin: FOREIGN_ORIGIN });
      const foreign = await reader.open(get, 'GET with a foreign Origin');
      reader.close(foreign);
      ctx.expect(foreign.status >= 400 && foreign.status <= 499, `GET on the SSE endpoint with Origin ${FOREIGN_ORIGIN} was answered with HTTP ${foreign.status}`, { expected: 'a 4xx refusal (e.g. 403 Forbidden)', observed: `HTTP ${foreign.status}, Content-Type ${foreign.headers['content-type'] ?? '(none)'}`, http: get });
      const legacy = await openLegacyStream(ctx, reader);
      if (legacy.endpoint === undefined) return ctx.skip('the SSE stream opened without an origin named no endpoint, so no POST can be tried');
      const post = legacyPostSpec(ctx, legacy.endpoint, initializeMessage(ctx, 'mcpcert-foreign'), { origin: FOREIGN_ORIGIN });
      const answer = await reader.open(post, 'POST with a foreign Origin');
      const served = legacy.stream.events.some((e) => e.messages.some((m) => isResponse(m) && m.id === 'mcpcert-foreign'));
      ctx.expect(answer.status >= 400 && answer.status <= 499 && !served, `a POST to the message endpoint with Origin ${FOREIGN_ORIGIN} was answered with HTTP ${answer.status}${served ? ' and served' : ''}`, { expected: 'a 4xx refusal (e.g. 403 Forbidden), the message not processed', observed: `HTTP ${answer.status}${answer.body === '' ? '' : `: ${answer.body.slice(0, 200)}`}`, http: post });
    } finally {
      await reader.closeAll();
    }
  },
});
