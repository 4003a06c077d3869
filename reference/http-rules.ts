/**
 * The Streamable HTTP rules that need protocol knowledge, applied before a POST reaches its
 * session: the MCP-Protocol-Version header (2025-06-18+: an invalid or unsupported value is a
 * 400) and batches (2025-03-26 only).
 */
import { PROTOCOL_VERSIONS, type ProtocolVersion } from '../spec/versions.js';
import { errorResponse, ErrorCode } from '../transport/jsonrpc.js';
import type { HttpRejection, HttpRequestInfo } from '../transport/http/server.js';

const HANDSHAKE: readonly string[] = PROTOCOL_VERSIONS.filter((v) => v !== '2026-07-28');

function reject(message: string): HttpRejection {
  return { status: 400, body: errorResponse(null, ErrorCode.InvalidRequest, message) };
}

/** `versionOf(sessionId)` gives the version the session negotiated, if any. */
export function httpRules(versionOf: (sessionId: string) => ProtocolVersion | undefined): (info: HttpRequestInfo) => HttpRejection | undefined {
  return (info) => {
    if (info.method !== 'POST' && info.method !== 'GET' && info.method !== 'DELETE') return undefined;
    const opensSession = info.messages.some((m) => 'method' in m && m.method === 'initialize');
    if (opensSession) return info.batch ? reject('Bad Request: initialize must not be part of a JSON-RPC batch') : undefined;
    const negotiated = info.sessionId === undefined ? undefined : versionOf(info.sessionId);
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
