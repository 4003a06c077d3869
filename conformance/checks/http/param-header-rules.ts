import type { JsonObject, JsonRpcRequest, JsonValue } from '../../../transport/jsonrpc.js';
import { defineCheck, MODERN_VERSIONS, type CheckContext } from '../../check.js';
import type { HttpRequestSpec } from '../../http-probe.js';
import { describeAnswer } from '../../kit/http-answer.js';
import { postSpec } from '../../kit/http-session.js';
import { mirroredParameters } from '../../kit/param-headers.js';
import { listTools, toolArguments } from '../../kit/tools.js';
import { mirroredHeaders, modernMeta, withModernMeta } from '../../modern.js';

/** A string parameter that also takes a value with a tab in it. */
function takesAnyString(schema: JsonObject): boolean {
  const free = ['enum', 'const', 'pattern', 'format'].every((k) => !(k in schema));
  return schema.type === 'string' && free && (typeof schema.maxLength !== 'number' || schema.maxLength >= 20);
}

function call(ctx: CheckContext, name: string, args: JsonObject): JsonRpcRequest {
  return { jsonrpc: '2.0', id: 1, method: 'tools/call', params: withModernMeta({ name, arguments: args }, modernMeta(ctx.version, { name: 'mcpcert', version: '0' })) };
}

async function expectRejected(ctx: CheckContext, spec: HttpRequestSpec, what: string): Promise<void> {
  const answer = await ctx.http(spec);
  ctx.expect(answer.status >= 400 && answer.status <= 499, `${what} was answered with ${describeAnswer(answer)}`, { expected: 'a rejection: HTTP 400 with error -32020', observed: describeAnswer(answer), http: spec });
}

/**
 * The server side of `x-mcp-header` (M-HTTP-041, M-HTTP-045): for a tool whose inputSchema
 * mirrors a parameter into Mcp-Param-{Name}, a call that carries the value in the body but
 * omits the header is rejected, and so is a header value with a control character (a client
 * must Base64-encode such a value).
 */
export default defineCheck({
  id: 'http/param-header-rules',
  title: 'Mcp-Param-* headers: a missing one, or one with invalid characters, is rejected',
  requirements: ['M-HTTP-041', 'M-HTTP-045'],
  level: 'MUST',
  versions: MODERN_VERSIONS,
  transports: ['http'],
  needs: ['tools'],
  async run(ctx) {
    const session = await ctx.session();
    const tools = await listTools(ctx, session);
    const schemas = new Map(tools.filter((t) => typeof t.name === 'string').map((t) => [t.name as string, t.inputSchema as JsonValue]));
    const candidates = mirroredParameters(tools);
    if (candidates.length === 0) ctx.skip('no listed tool annotates a parameter with x-mcp-header');
    let judged = 0;
    for (const { tool, name, property, header, schema } of candidates) {
      const args = toolArguments(ctx, tool);
      if (args === undefined) continue;
      const headerName = `mcp-param-${header.toLowerCase()}`;
      if (args[property] !== undefined && args[property] !== null) {
        const request = call(ctx, name, args);
        const headers = mirroredHeaders(request, (t) => schemas.get(t));
        delete headers[headerName];
        await expectRejected(ctx, postSpec(ctx, request, headers), `tools/call ${name} with arguments.${property} set but no Mcp-Param-${header} header`);
        judged += 1;
      }
      if (takesAnyString(schema)) {
        const value = 'mcpcert\tvalue';
        const request = call(ctx, name, { ...args, [property]: value });
        const headers = { ...mirroredHeaders(request, (t) => schemas.get(t)), [headerName]: value };
        await expectRejected(ctx, postSpec(ctx, request, headers), `tools/call ${name} with a tab (a control character) in Mcp-Param-${header}`);
        judged += 1;
      }
      if (judged > 0) break;
    }
    if (judged === 0) ctx.skip('no tool with an x-mcp-header parameter could be called with that parameter set');
  },
});
