/**
 * Scope strings and the one hierarchy this server understands: a granted scope `a` also grants
 * every `a:…` below it (`mcp` covers `mcp:tools`, `mcp:tools` covers `mcp:tools:call`), as
 * M-AUTH-043 asks servers to account for broader scopes implying narrower ones.
 */

/** RFC 6749 §3.3: `scope-token = 1*( %x21 / %x23-5B / %x5D-7E )`. */
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

export function isScopeToken(text: string): boolean {
  return SCOPE_TOKEN.test(text);
}

/**
 * The scopes a token grants: RFC 9068 `scope` (space-delimited string) or the common `scp`
 * array. Anything else grants nothing.
 */
export function grantedScopes(claims: Record<string, unknown>): string[] {
  const scope = claims.scope;
  if (typeof scope === 'string') return scope.split(' ').filter(isScopeToken);
  const scp = claims.scp;
  if (Array.isArray(scp)) return scp.filter((s): s is string => typeof s === 'string' && isScopeToken(s));
  return [];
}

function covers(granted: string, required: string): boolean {
  return granted === required || required.startsWith(`${granted}:`);
}

/** The required scopes no granted scope covers. */
export function missingScopes(granted: readonly string[], required: readonly string[]): string[] {
  return required.filter((r) => !granted.some((g) => covers(g, r)));
}
