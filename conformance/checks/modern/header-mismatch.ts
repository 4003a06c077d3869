import type { JsonObject, JsonRpcMessage } from '../../../transport/jsonrpc.js';
import { defineCheck, MODERN_VERSIONS, type CheckContext } from '../../check.js';
import type { HttpRequestSpec } from '../../http-probe.js';
import { describeAnswer, errorCodeOf } from '../../kit/http-answer.js';
import { modernPost, postSpec } from '../../kit/http-session.js';
import { listTools, toolArguments } from '../../kit/tools.js';
import { headerValue, mirroredHeaders, modernMeta } from '../../modern.js';

/** A version the header claims while the body says another (a real one, so only the mismatch is wrong). */
const OTHER_VERSION = '2025-11-25';
const HEADER_MISMATCH = -32020;

/** Sends `spec` and expects HTTP 400 with error -32020 (Server Validation, M-HTTP-047/049). */
async function expectRejected(ctx: CheckContext, spec: HttpRequestSpec, what: string): Promise<void> {
  const answer = await ctx.http(spec);
  const ok = answer.status === 400 && errorCodeOf(answer) === HEADER_MISMATCH;
  ctx.expect(ok, `a request whose ${what} was answered with ${describeAnswer(answer)}`, { expected: `HTTP 400 with JSON-RPC error ${HEADER_MISMATCH} (HeaderMismatch)`, observed: describeAnswer(answer), http: spec });
}

/** A tools/call of a listed tool as a raw POST, its mirrored headers right except Mcp-Name. */
async function misnamedToolCall(ctx: CheckContext): Promise<HttpRequestSpec | undefined> {
  const tools = await listTools(ctx, await ctx.session());
  for (const tool of tools) {
    if (typeof tool.name !== 'string') continue;
    const args = toolArguments(ctx, tool);
    if (args === undefined) continue;
    const name = tool.name;
    const others = new Set(tools.map((t) => t.name));
    let other = `${name}-mcpcert-other`;
    while (others.has(other)) other += '-x';
    const message: JsonRpcMessage = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args, _meta: modernMeta(ctx.version, { name: 'mcpcert', version: '0' }) } };
    const schemaOf = (n: string): JsonObject | undefined => (n === name && typeof tool.inputSchema === 'object' && tool.inputSchema !== null && !Array.isArray(tool.inputSchema) ? tool.inputSchema : undefined);
    return postSpec(ctx, message, { ...mirroredHeaders(message, schemaOf), 'mcp-name': headerValue(other) });
  }
  return undefined;
}

/**
 * The request-metadata headers mirror the body; a server reading the body must refuse a request
 * whose MCP-Protocol-Version, Mcp-Method or Mcp-Name disagrees with it: HTTP 400 with -32020.
 * A correct request is sent first, so a server refusing everything does not pass.
 */
export default defineCheck({
  id: 'modern/header-mismatch',
  title: 'Mirrored headers that disagree with the body get HTTP 400 with error -32020',
  requirements: ['M-HTTP-024', 'M-HTTP-047', 'M-HTTP-049'],
  level: 'MUST',
  versions: MODERN_VERSIONS,
  transports: ['http'],
  timeoutFactor: 2,
  async run(ctx) {
    const baseline = modernPost(ctx, 'server/discover');
    const answer = await ctx.http(baseline);
    if (answer.status !== 200) {
      ctx.fail(`server/discover with headers matching its body was answered with ${describeAnswer(answer)}, so refusals of mismatched headers prove nothing`, { expected: 'HTTP 200', observed: describeAnswer(answer), http: baseline });
      return;
    }
    const version = modernPost(ctx, 'server/discover', { 'mcp-protocol-version': OTHER_VERSION });
    await expectRejected(ctx, version, `MCP-Protocol-Version header (${OTHER_VERSION}) differs from the body's ${ctx.version}`);
    const method = modernPost(ctx, 'server/discover', { 'mcp-method': 'tools/list' });
    await expectRejected(ctx, method, 'Mcp-Method header (tools/list) differs from the body method (server/discover)');
    if (!ctx.hasCapability('tools')) {
      ctx.note('Mcp-Name not tried: the target does not declare the tools capability');
      return;
    }
    const call = await misnamedToolCall(ctx);
    if (call === undefined) {
      ctx.note('Mcp-Name not tried: the target lists no tool mcpcert can make arguments for');
      return;
    }
    await expectRejected(ctx, call, `Mcp-Name header (${call.headers['mcp-name']}) differs from params.name of a listed tool`);
  },
});
