import type { JsonObject, JsonRpcRequest, JsonValue } from '../../../transport/jsonrpc.js';
import { defineCheck, MODERN_VERSIONS, type CheckContext } from '../../check.js';
import type { HttpRequestSpec } from '../../http-probe.js';
import { describeAnswer, errorCodeOf } from '../../kit/http-answer.js';
import { postSpec } from '../../kit/http-session.js';
import { mirroredParameters } from '../../kit/param-headers.js';
import { listTools, toolArguments } from '../../kit/tools.js';
import { headerValue, mirroredHeaders, modernMeta, withModernMeta } from '../../modern.js';

const HEADER_MISMATCH = -32020;

/** A string parameter that takes any short text (so a non-ASCII value is schema-valid). */
function takesAnyString(schema: JsonObject): boolean {
  const free = ['enum', 'const', 'pattern', 'format'].every((k) => !(k in schema));
  return schema.type === 'string' && free && (typeof schema.maxLength !== 'number' || schema.maxLength >= 20);
}

/** A schema-valid value for a parameter the generated arguments left out, or undefined. */
function someValue(schema: JsonObject): JsonValue | undefined {
  if (takesAnyString(schema)) return 'mcpcert';
  if (schema.type === 'boolean') return true;
  if (schema.type === 'integer' && !('enum' in schema) && !('const' in schema) && !('multipleOf' in schema)) {
    const low = typeof schema.minimum === 'number' ? Math.ceil(schema.minimum) : 0;
    const high = typeof schema.maximum === 'number' ? schema.maximum : Number.MAX_SAFE_INTEGER;
    return low <= high ? low : undefined;
  }
  return undefined;
}

/** A header value of the same type that differs from `value`. */
function otherValue(value: JsonValue): string | undefined {
  if (typeof value === 'string') return headerValue(`${value}-mcpcert-other`);
  if (typeof value === 'number') return String(value + 1);
  if (typeof value === 'boolean') return String(!value);
  return undefined;
}

function call(ctx: CheckContext, name: string, args: JsonObject): JsonRpcRequest {
  return { jsonrpc: '2.0', id: 1, method: 'tools/call', params: withModernMeta({ name, arguments: args }, modernMeta(ctx.version, { name: 'mcpcert', version: '0' })) };
}

/** Sends a call whose headers agree with its body: it must not be refused as a header mismatch. */
async function expectAccepted(ctx: CheckContext, spec: HttpRequestSpec, what: string): Promise<void> {
  const answer = await ctx.http(spec);
  ctx.expect(errorCodeOf(answer) !== HEADER_MISMATCH, `${what} was refused as a header mismatch (${describeAnswer(answer)})`, { expected: `no error ${HEADER_MISMATCH}: the headers agree with the body`, observed: describeAnswer(answer), http: spec });
}

/**
 * The server compares Mcp-Param-* headers with the body (M-HTTP-042): a header whose value
 * differs gets HTTP 400 with -32020, while agreeing headers pass — including a Base64-encoded
 * one, which is decoded first (M-HTTP-037), and no header at all for an argument left out of
 * the body (M-HTTP-044).
 */
export default defineCheck({
  id: 'modern/param-header-values',
  title: 'Mcp-Param-* headers are decoded and compared with the body: a mismatch is refused, agreement is not',
  requirements: ['M-HTTP-037', 'M-HTTP-042', 'M-HTTP-044'],
  level: 'MUST',
  versions: MODERN_VERSIONS,
  transports: ['http'],
  needs: ['tools'],
  timeoutFactor: 2,
  async run(ctx) {
    const tools = await listTools(ctx, await ctx.session());
    const schemas = new Map(tools.filter((t) => typeof t.name === 'string').map((t) => [t.name as string, t.inputSchema as JsonValue]));
    const headersOf = (request: JsonRpcRequest): Record<string, string> => mirroredHeaders(request, (t) => schemas.get(t));
    const candidates = mirroredParameters(tools);
    if (candidates.length === 0) ctx.skip('no listed tool annotates a parameter with x-mcp-header');
    let judged = 0;
    // A few parameters, not one: the absent-value rule needs an optional one.
    for (const { tool, name, property, header, schema, required } of candidates.slice(0, 4)) {
      const base = toolArguments(ctx, tool);
      if (base === undefined) continue;
      const headerName = `mcp-param-${header.toLowerCase()}`;
      const value = base[property] ?? someValue(schema);
      if (value === undefined || value === null) continue;
      const args = { ...base, [property]: value };
      const present = call(ctx, name, args);
      await expectAccepted(ctx, postSpec(ctx, present, headersOf(present)), `tools/call ${name} with Mcp-Param-${header} equal to arguments.${property}`);
      const other = otherValue(value);
      if (other !== undefined) {
        const spec = postSpec(ctx, present, { ...headersOf(present), [headerName]: other });
        const answer = await ctx.http(spec);
        const ok = answer.status === 400 && errorCodeOf(answer) === HEADER_MISMATCH;
        ctx.expect(ok, `tools/call ${name} with Mcp-Param-${header}: ${other} while arguments.${property} is ${JSON.stringify(value)} was answered with ${describeAnswer(answer)}`, { expected: `HTTP 400 with JSON-RPC error ${HEADER_MISMATCH} (HeaderMismatch)`, observed: describeAnswer(answer), http: spec });
      }
      if (takesAnyString(schema)) {
        // Not plain ASCII, so a client must send it Base64-encoded (M-HTTP-034).
        const encoded = call(ctx, name, { ...args, [property]: 'mcpcert-é-✓' });
        const headers = headersOf(encoded);
        await expectAccepted(ctx, postSpec(ctx, encoded, headers), `tools/call ${name} with Mcp-Param-${header}: ${headers[headerName] ?? ''} (the Base64 form of arguments.${property})`);
      }
      if (!required) {
        const { [property]: _left, ...rest } = args;
        const absent = call(ctx, name, rest);
        await expectAccepted(ctx, postSpec(ctx, absent, headersOf(absent)), `tools/call ${name} without arguments.${property} and without Mcp-Param-${header}`);
      }
      judged += 1;
    }
    if (judged === 0) ctx.skip('no tool with an x-mcp-header parameter could be called with that parameter set');
  },
});
