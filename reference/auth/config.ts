/**
 * What `mcpcert serve --auth-token T` and `--auth issuer=URL[,audience=URL][,scopes=a b]`
 * configure, checked once at start-up so that a bad value is a usage error, not a server that
 * refuses every request.
 */
import { isScopeToken } from './scopes.js';
import { isSecureOrLoopback } from './urls.js';

export interface StaticTokenAuth {
  mode: 'token';
  /** The one bearer token accepted. */
  token: string;
}

export interface OAuthResourceAuth {
  mode: 'oauth';
  /** The authorization server's issuer identifier; tokens must carry it as `iss`. */
  issuer: string;
  /**
   * The resource URI tokens must name in `aud` and that the metadata announces. Default: each
   * endpoint's own canonical URI (`http://HOST:PORT/mcp`); set it when clients reach the server
   * under another name (a reverse proxy).
   */
  audience?: string;
  /** Scopes every request needs; advertised as `scopes_supported` and in challenges. */
  scopes: string[];
  /** Tolerance for `exp` and `nbf`, in seconds (default 30). */
  clockSkewSec?: number;
}

export type AuthConfig = StaticTokenAuth | OAuthResourceAuth;

export class AuthConfigError extends Error {
  override readonly name = 'AuthConfigError';
  readonly code = 'MCPCERT_ERR_AUTH_CONFIG';
}

const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

export function staticTokenAuth(token: string): StaticTokenAuth {
  // A token a client cannot put in `Authorization: Bearer …` (RFC 6750 §2.1) would lock everyone out.
  if (!B64TOKEN.test(token)) throw new AuthConfigError('--auth-token must be a non-empty b64token (letters, digits and - . _ ~ + / with optional trailing =)');
  return { mode: 'token', token };
}

function absoluteUrl(name: string, text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new AuthConfigError(`--auth ${name}= must be an absolute URL (got "${text}")`);
  }
  if (url.hash !== '') throw new AuthConfigError(`--auth ${name}= must not have a fragment (got "${text}")`);
  return url;
}

const KEYS = ['issuer', 'audience', 'scopes'] as const;

/** Parses `issuer=URL[,audience=URL][,scopes=a b]`; a comma separates only where `name=` follows. */
export function parseOAuthSpec(spec: string): OAuthResourceAuth {
  const values = new Map<string, string>();
  for (const part of spec.split(/,(?=\s*[A-Za-z_]+=)/)) {
    const eq = part.indexOf('=');
    const key = part.slice(0, eq).trim();
    if (eq < 0 || !(KEYS as readonly string[]).includes(key)) throw new AuthConfigError(`--auth takes issuer=URL[,audience=URL][,scopes=a b] (got "${part}")`);
    if (values.has(key)) throw new AuthConfigError(`--auth names ${key}= twice`);
    values.set(key, part.slice(eq + 1).trim());
  }
  const issuerText = values.get('issuer');
  if (issuerText === undefined) throw new AuthConfigError('--auth needs issuer=URL (the authorization server whose tokens are accepted)');
  const issuer = absoluteUrl('issuer', issuerText);
  if (!isSecureOrLoopback(issuer)) throw new AuthConfigError(`--auth issuer= must be https (plain http only on loopback; got "${issuerText}")`);
  if (issuer.search !== '') throw new AuthConfigError(`--auth issuer= must not have a query (RFC 8414 §2; got "${issuerText}")`);
  const config: OAuthResourceAuth = { mode: 'oauth', issuer: issuerText, scopes: [] };
  const audience = values.get('audience');
  if (audience !== undefined) {
    absoluteUrl('audience', audience);
    config.audience = audience;
  }
  const scopes = values.get('scopes');
  if (scopes !== undefined) {
    config.scopes = scopes.split(/\s+/).filter((s) => s !== '');
    const bad = config.scopes.find((s) => !isScopeToken(s));
    if (bad !== undefined) throw new AuthConfigError(`--auth scopes= holds an invalid scope token "${bad}" (RFC 6749 §3.3)`);
  }
  return config;
}
