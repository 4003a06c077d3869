/**
 * Serves a Protected Resource Metadata document (RFC 9728 §3) on the endpoint's own origin, at
 * the path-suffixed and the root well-known URIs that clients try (AUTH-009/010, M-AUTH-047/048).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JsonObject } from '../../transport/jsonrpc.js';

function send(response: ServerResponse, status: number, headers: Record<string, string>, body: string, isHead: boolean): void {
  if (response.headersSent || response.destroyed) return;
  response.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(body) });
  response.end(isHead ? undefined : body);
}

/** Answers one request for the document. Public metadata, so any origin may read it (browser clients need CORS). */
export function serveMetadata(document: JsonObject, request: IncomingMessage, response: ServerResponse): void {
  request.resume();
  const method = request.method ?? '';
  if (method !== 'GET' && method !== 'HEAD') {
    send(response, 405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }, 'Method Not Allowed: the metadata is read with GET\n', false);
    return;
  }
  const body = JSON.stringify(document);
  send(response, 200, { 'content-type': 'application/json', 'cache-control': 'max-age=300', 'access-control-allow-origin': '*' }, body, method === 'HEAD');
}
