/**
 * The protected resource's identity: its canonical URI (RFC 8707 §2, spec "Canonical Server
 * URI"), the Protected Resource Metadata document that describes it (RFC 9728 §2) and the
 * well-known URIs it is served at (RFC 9728 §3.1).
 */
import type { JsonObject } from '../../transport/jsonrpc.js';

export const PRM_WELL_KNOWN = '/.well-known/oauth-protected-resource';

/**
 * A comparable form of a resource URI: scheme and host lower-cased (AUTH-028, M-AUTH-024
 * accept uppercase ones), default port dropped, fragment removed, one trailing slash ignored.
 * Undefined for text that is not an absolute URI.
 */
export function comparableResource(uri: string): string | undefined {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return undefined;
  }
  url.hash = '';
  const text = url.href;
  return text.endsWith('/') ? text.slice(0, -1) : text;
}

/** The well-known paths of a resource's metadata: the path-suffixed one first, then the root one. */
export function metadataPaths(resource: string): string[] {
  const path = new URL(resource).pathname.replace(/\/$/, '');
  return path === '' ? [PRM_WELL_KNOWN] : [`${PRM_WELL_KNOWN}${path}`, PRM_WELL_KNOWN];
}

/**
 * The metadata URL announced in `resource_metadata` (RFC 9728 §3.1: the well-known segment
 * goes between host and path). A `ws:`/`wss:` resource is described over `http:`/`https:` on
 * the same host and port, where its upgrade requests arrive.
 */
export function metadataUrl(resource: string): string {
  const url = new URL(resource);
  const scheme = url.protocol === 'ws:' ? 'http:' : url.protocol === 'wss:' ? 'https:' : url.protocol;
  return `${scheme}//${url.host}${metadataPaths(resource)[0]!}`;
}

export interface ProtectedResourceInfo {
  resource: string;
  authorizationServers: readonly string[];
  scopesSupported: readonly string[];
  resourceName?: string;
}

/** The RFC 9728 §2 document. `bearer_methods_supported` is `header` only: MCP forbids the query string. */
export function protectedResourceMetadata(info: ProtectedResourceInfo): JsonObject {
  const document: JsonObject = {
    resource: info.resource,
    authorization_servers: [...info.authorizationServers],
    bearer_methods_supported: ['header'],
  };
  // M-AUTH-037: offline_access is not a resource scope and is left out.
  const scopes = info.scopesSupported.filter((s) => s !== 'offline_access');
  if (scopes.length > 0) document.scopes_supported = scopes;
  if (info.resourceName !== undefined) document.resource_name = info.resourceName;
  return document;
}
