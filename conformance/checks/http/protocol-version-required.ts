import { isResult } from '../../../transport/jsonrpc.js';
import { defineCheck, MODERN_VERSIONS } from '../../check.js';
import { describeAnswer } from '../../kit/http-answer.js';
import { modernPost, postSpec, rawTerminate, SESSION_HEADER } from '../../kit/http-session.js';
import { StreamReader } from '../../kit/sse-stream.js';

const OLD_VERSION = '2025-03-26';

/**
 * M-HTTP-027 binds only servers that do not serve pre-2025-06-18 clients: those must reject a
 * POST without MCP-Protocol-Version; the others may read it as 2025-03-26. Whether the target
 * serves such clients is asked the way such a client would: initialize with 2025-03-26.
 */
export default defineCheck({
  id: 'http/protocol-version-required',
  title: 'A server that serves no pre-2025-06-18 client rejects a POST without MCP-Protocol-Version',
  requirements: ['M-HTTP-027'],
  level: 'MUST',
  versions: MODERN_VERSIONS,
  transports: ['http'],
  async run(ctx) {
    const reader = new StreamReader(ctx);
    try {
      const probe = postSpec(ctx, { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: OLD_VERSION, capabilities: {}, clientInfo: { name: 'mcpcert', version: '0' } } });
      const answer = await reader.open(probe, `POST initialize ${OLD_VERSION}`);
      if (answer.isSse) await reader.until(answer, (s) => s.messages.some(isResult), Math.min(ctx.timeoutMs, 3000));
      const sessionId = answer.headers[SESSION_HEADER];
      if (sessionId !== undefined) await rawTerminate(ctx, { sessionId, initialize: { status: answer.status, headers: answer.headers, body: answer.body }, headers: { [SESSION_HEADER]: sessionId } });
      const initialized = answer.messages.find(isResult);
      if (initialized?.result.protocolVersion === OLD_VERSION) return ctx.skip(`the target serves ${OLD_VERSION} clients, so it may read a missing MCP-Protocol-Version as ${OLD_VERSION}`);
      ctx.note(`the target does not serve ${OLD_VERSION} clients (initialize answered ${initialized === undefined ? `HTTP ${answer.status} without a result` : `protocolVersion ${JSON.stringify(initialized.result.protocolVersion)}`})`);
      const base = modernPost(ctx, 'server/discover');
      const headers = { ...base.headers };
      delete headers['mcp-protocol-version'];
      const spec = { ...base, headers };
      const refused = await ctx.http(spec);
      ctx.expect(refused.status >= 400 && refused.status <= 499, `server/discover without MCP-Protocol-Version was answered with ${describeAnswer(refused)}`, { expected: 'a rejection: HTTP 400 (with -32020)', observed: describeAnswer(refused), http: spec });
    } finally {
      await reader.closeAll();
    }
  },
});
