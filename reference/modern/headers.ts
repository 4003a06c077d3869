/**
 * The 2026-07-28 request-metadata headers of Streamable HTTP: MCP-Protocol-Version, Mcp-Method,
 * Mcp-Name and Mcp-Param-* mirror parts of the body so intermediaries can route without
 * parsing it; a server that reads the body must check they agree (M-HTTP-024/042/047/049).
 */
import type { JsonObject, JsonRpcRequest } from '../../transport/jsonrpc.js';
import { isPlainObject } from '../../transport/codec.js';
import { META } from './meta.js';

const SENTINEL = /^=\?base64\?([A-Za-z0-9+/]*={0,2})\?=$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A header value as sent: plain, or `=?base64?…?=` holding UTF-8 (M-HTTP-035/037). */
export function decodeHeaderValue(raw: string): { ok: true; value: string } | { ok: false; reason: string } {
  if (raw.startsWith('=?base64?')) {
    const match = SENTINEL.exec(raw);
    if (!match) return { ok: false, reason: 'a malformed =?base64?…?= value' };
    try {
      return { ok: true, value: utf8.decode(Buffer.from(match[1]!, 'base64')) };
    } catch {
      return { ok: false, reason: 'a =?base64?…?= value that is not UTF-8' };
    }
  }
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(raw)) return { ok: false, reason: 'control characters' };
  return { ok: true, value: raw };
}

/** Methods whose target is mirrored in Mcp-Name, and where it lives in params. */
const NAMED: Record<string, 'name' | 'uri' | 'taskId'> = {
  'tools/call': 'name',
  'prompts/get': 'name',
  'resources/read': 'uri',
  // The tasks extension routes by task id, so a load balancer finds the instance holding it.
  'tasks/get': 'taskId',
  'tasks/update': 'taskId',
  'tasks/cancel': 'taskId',
};

/** Tool parameters annotated with `x-mcp-header`, reachable through `properties` only. */
export function mirroredParameters(inputSchema: JsonObject): Array<{ property: string; header: string; type: string }> {
  const properties = isPlainObject(inputSchema.properties) ? inputSchema.properties : {};
  const out: Array<{ property: string; header: string; type: string }> = [];
  for (const [property, schema] of Object.entries(properties)) {
    if (!isPlainObject(schema) || typeof schema['x-mcp-header'] !== 'string') continue;
    out.push({ property, header: schema['x-mcp-header'], type: typeof schema.type === 'string' ? schema.type : 'string' });
  }
  return out;
}

function sameValue(type: string, headerValue: string, bodyValue: unknown): boolean {
  if (type === 'integer' || type === 'number') return typeof bodyValue === 'number' && headerValue.trim() !== '' && Number(headerValue) === bodyValue;
  if (type === 'boolean') return typeof bodyValue === 'boolean' && headerValue === String(bodyValue);
  return typeof bodyValue === 'string' && headerValue === bodyValue;
}

/**
 * Why the mirrored headers disagree with the request, or undefined when they agree. Header
 * names arrive lower-cased (names are case-insensitive, M-HTTP-046; values are not).
 */
export function headerMismatch(headers: Record<string, string>, request: JsonRpcRequest, inputSchemaOf: (tool: string) => JsonObject | undefined): string | undefined {
  const params = request.params ?? {};
  const meta = isPlainObject(params._meta) ? params._meta : {};
  const version = meta[META.protocolVersion];
  const headerVersion = headers['mcp-protocol-version'];
  if (headerVersion === undefined) return 'the MCP-Protocol-Version header is missing';
  // A body without the field is the engine's to refuse (-32602, M-BASE-046).
  if (version !== undefined && headerVersion !== version) return `MCP-Protocol-Version "${headerVersion}" differs from the body's ${META.protocolVersion} ${JSON.stringify(version)}`;
  const method = headers['mcp-method'];
  if (method === undefined) return 'the Mcp-Method header is missing';
  const decodedMethod = decodeHeaderValue(method);
  if (!decodedMethod.ok) return `Mcp-Method carries ${decodedMethod.reason}`;
  if (decodedMethod.value !== request.method) return `Mcp-Method "${decodedMethod.value}" differs from the body's method "${request.method}"`;
  const field = NAMED[request.method];
  if (field !== undefined) {
    const name = headers['mcp-name'];
    if (name === undefined) return 'the Mcp-Name header is missing';
    const decoded = decodeHeaderValue(name);
    if (!decoded.ok) return `Mcp-Name carries ${decoded.reason}`;
    if (decoded.value !== params[field]) return `Mcp-Name "${decoded.value}" differs from the body's params.${field}`;
  }
  if (request.method === 'tools/call' && typeof params.name === 'string') {
    const schema = inputSchemaOf(params.name);
    const args = isPlainObject(params.arguments) ? params.arguments : {};
    for (const mirrored of schema ? mirroredParameters(schema) : []) {
      const headerName = `mcp-param-${mirrored.header.toLowerCase()}`;
      const value = args[mirrored.property];
      const raw = headers[headerName];
      // Absent or null values have no header, and none may be expected (M-HTTP-044).
      if (value === undefined || value === null) continue;
      if (raw === undefined) return `the Mcp-Param-${mirrored.header} header is missing although arguments.${mirrored.property} is set`;
      const decoded = decodeHeaderValue(raw);
      if (!decoded.ok) return `Mcp-Param-${mirrored.header} carries ${decoded.reason}`;
      if (!sameValue(mirrored.type, decoded.value, value)) return `Mcp-Param-${mirrored.header} "${decoded.value}" differs from arguments.${mirrored.property}`;
    }
  }
  return undefined;
}
