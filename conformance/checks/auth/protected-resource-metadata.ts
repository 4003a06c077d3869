import { defineCheck, versionsFrom, type CheckContext } from '../../check.js';
import type { HttpAnswer, HttpRequestSpec } from '../../http-probe.js';
import { authHeaders, bearerChallenge, NO_CREDENTIAL, requireProtection } from '../../kit/auth.js';
import { endpointOf } from '../../kit/http-session.js';
import { isPlainObject } from '../../../transport/codec.js';
import type { JsonObject } from '../../../transport/jsonrpc.js';

const WELL_KNOWN = '/.well-known/oauth-protected-resource';

/** RFC 9728 §3.1: the path-specific well-known URI first, then the root one (AUTH-010). */
function wellKnownUrls(endpoint: URL): string[] {
  const path = endpoint.pathname.replace(/\/$/, '');
  return path === '' ? [`${endpoint.origin}${WELL_KNOWN}`] : [`${endpoint.origin}${WELL_KNOWN}${path}`, `${endpoint.origin}${WELL_KNOWN}`];
}

/** The URL as a comparable resource identifier: no query or fragment, no trailing slash. */
function comparable(url: URL): string {
  return `${url.origin}${url.pathname.replace(/\/$/, '')}`;
}

function documentOf(answer: HttpAnswer): JsonObject | undefined {
  if (answer.status !== 200) return undefined;
  try {
    const value: unknown = JSON.parse(answer.body);
    return isPlainObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function isAbsoluteUrl(text: unknown): boolean {
  if (typeof text !== 'string') return false;
  try {
    new URL(text);
    return true;
  } catch {
    return false;
  }
}

function fetchSpec(ctx: CheckContext, url: string): HttpRequestSpec {
  // Metadata is public: clients read it before they hold any token.
  const { 'content-type': _type, ...headers } = authHeaders(ctx, NO_CREDENTIAL, { accept: 'application/json' });
  return { method: 'GET', url, headers };
}

/**
 * The target names its authorization server through RFC 9728 Protected Resource Metadata,
 * announced in the 401 challenge or served at a well-known URI (AUTH-009, M-AUTH-047); the
 * document lists at least one authorization server (AUTH-008, M-AUTH-045) and names this
 * server as its resource (RFC 9728 §3.3, AUTH-004, M-AUTH-004). A protected server offering
 * none does not use MCP's OAuth authorization at all, which the spec leaves optional (HTTP
 * servers SHOULD conform, BASE-014), so it is skipped rather than failed.
 */
export default defineCheck({
  id: 'auth/protected-resource-metadata',
  title: 'A protected server offers Protected Resource Metadata naming itself and its authorization servers',
  requirements: ['AUTH-004', 'AUTH-008', 'AUTH-009', 'M-AUTH-004', 'M-AUTH-045', 'M-AUTH-047'],
  level: 'MUST',
  versions: versionsFrom('2025-06-18'),
  transports: ['http'],
  async run(ctx) {
    const probe = await requireProtection(ctx);
    const endpoint = new URL(endpointOf(ctx));
    const announced = bearerChallenge(probe.answer)?.params.resource_metadata;
    let found: { spec: HttpRequestSpec; document: JsonObject; how: string } | undefined;
    if (announced !== undefined) {
      if (!ctx.expect(isAbsoluteUrl(announced), `the 401 challenge names resource_metadata="${announced}", which is not an absolute URL`, { expected: 'resource_metadata="https://…" (RFC 9728 §5.1)', observed: probe.answer.headers['www-authenticate'] ?? '', http: probe.spec })) return;
      const spec = fetchSpec(ctx, announced);
      const answer = await ctx.http(spec);
      const document = documentOf(answer);
      if (!ctx.expect(document !== undefined, `the metadata the 401 challenge points to (${announced}) could not be read: HTTP ${answer.status}`, { expected: 'HTTP 200 with a JSON object (RFC 9728 §3.2)', observed: `HTTP ${answer.status}${answer.body === '' ? '' : `: ${answer.body.slice(0, 200)}`}`, http: spec })) return;
      found = { spec, document: document!, how: `announced in the 401 challenge (${announced})` };
    } else {
      for (const url of wellKnownUrls(endpoint)) {
        const spec = fetchSpec(ctx, url);
        const document = documentOf(await ctx.http(spec));
        if (document !== undefined) {
          found = { spec, document, how: `served at ${url}` };
          break;
        }
      }
    }
    if (found === undefined) {
      return ctx.skip(`the target requires authorization but offers no Protected Resource Metadata (no resource_metadata in its 401 challenge, no JSON document at ${wellKnownUrls(endpoint).join(' or ')}): it does not use MCP's OAuth authorization, which is optional (a static token, as for local servers, is allowed)`);
    }
    const { spec, document, how } = found;
    const servers = document.authorization_servers;
    ctx.expect(Array.isArray(servers) && servers.length > 0 && servers.every(isAbsoluteUrl), `the Protected Resource Metadata ${how} ${Array.isArray(servers) ? (servers.length === 0 ? 'lists no authorization server' : 'lists an authorization server that is not an absolute URL') : 'has no authorization_servers'}`, { expected: 'authorization_servers: an array of at least one issuer URL', observed: JSON.stringify(document).slice(0, 500), http: spec });
    const resource = document.resource;
    let named: URL | undefined;
    try {
      named = typeof resource === 'string' ? new URL(resource) : undefined;
    } catch {
      named = undefined;
    }
    // RFC 9728 §3.3 wants the identifier the metadata URL was built from; SDK clients accept one
    // that names the endpoint or a path above it on the same origin, and so does this check.
    const target = comparable(endpoint);
    const matches = named !== undefined && named.hash === '' && (comparable(named) === target || target.startsWith(`${comparable(named)}/`));
    ctx.expect(matches, `the Protected Resource Metadata ${how} names the resource ${JSON.stringify(resource ?? null)}, not this server (${endpoint.href})`, { expected: `resource: "${target}" (or an origin or path above it)`, observed: JSON.stringify(document).slice(0, 500), http: spec });
  },
});
