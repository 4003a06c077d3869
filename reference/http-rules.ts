/**
 * The Streamable HTTP rules that need protocol knowledge, applied before a POST reaches the
 * engine. Handshake era: the MCP-Protocol-Version header (2025-06-18+: an invalid or
 * unsupported value is a 400) and batches (2025-03-26 only). 2026-07-28: the mirrored
 * request headers must agree with the body (400 + -32020, M-HTTP-024/042/047/049).
 */
import { PROTOCOL_VERSIONS, type ProtocolVersion } from '../spec/versions.js';
import { errorResponse, ErrorCode, isRequest, type JsonObject, type JsonRpcMessage } from '../transport/jsonrpc.js';
import type { HttpRejection, HttpRequestInfo } from '../transport/http/server.js';
import { headerMismatch } from './modern/headers.js';
import { ErrorCodes, hasModernMeta, MODERN_ONLY } from './modern/meta.js';

const HANDSHAKE: readonly string[] = PROTOCOL_VERSIONS.filter((v) => v !== '2026-07-28');

function reject(message: string): HttpRejection {
  return { status: 400, body: errorResponse(null, ErrorCode.InvalidRequest, message) };
}

/** A POST of the stateless era: one request announcing itself by its `_meta` or method. */
export function isModernPost(messages: readonly JsonRpcMessage[]): boolean {
  const [only] = messages;
  return messages.length === 1 && only !== undefined && isRequest(only) && (MODERN_ONLY.has(only.method) || hasModernMeta(only.params));
}

export interface HttpRuleContext {
  /** The version the session negotiated, if any. */
  versionOf: (sessionId: string) => ProtocolVersion | undefined;
  /** A tool's input schema, for its `x-mcp-header` parameters. */
  inputSchemaOf: (tool: string) => JsonObject | undefined;
}

export function httpRules(context: HttpRuleContext): (info: HttpRequestInfo) => HttpRejection | undefined {
  return (info) => {
    if (info.method !== 'POST' && info.method !== 'GET' && info.method !== 'DELETE') return undefined;
    if (info.method === 'POST' && info.sessionId === undefined && isModernPost(info.messages)) {
      const request = info.messages[0]!;
      if (!isRequest(request)) return undefined;
      const why = headerMismatch(info.headers, request, context.inputSchemaOf);
      return why === undefined ? undefined : { status: 400, body: errorResponse(request.id, ErrorCodes.HeaderMismatch, `Header mismatch: ${why}`) };
    }
    const opensSession = info.messages.some((m) => 'method' in m && m.method === 'initialize');
    if (opensSession) return info.batch ? reject('Bad Request: initialize must not be part of a JSON-RPC batch') : undefined;
    const negotiated = info.sessionId === undefined ? undefined : context.versionOf(info.sessionId);
    const header = info.headers['mcp-protocol-version'];
    // Only an invalid or unsupported value is a 400 (HTTP-044). A supported one that differs
    // from the negotiated version is the client's SHOULD to break; the session keeps speaking
    // the version it negotiated (LIFE-015).
    if (header !== undefined && !HANDSHAKE.includes(header)) return reject(`Bad Request: unsupported MCP-Protocol-Version "${header}" (supported: ${HANDSHAKE.join(', ')})`);
    // With neither a session nor the header the spec says to assume 2025-03-26, the one version with batches.
    const effective = negotiated ?? header ?? '2025-03-26';
    if (info.batch && effective !== '2025-03-26') return reject(`Bad Request: JSON-RPC batches are not supported in protocol version ${effective}`);
    return undefined;
  };
}
