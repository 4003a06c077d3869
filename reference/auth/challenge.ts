/**
 * `WWW-Authenticate: Bearer …` challenges (RFC 6750 §3, RFC 9728 §5.1). Every value is sent as
 * a quoted-string with the characters RFC 6750 allows, so no target-supplied text can break
 * the header or smuggle another parameter into it.
 */

export type BearerError = 'invalid_request' | 'invalid_token' | 'insufficient_scope';

export interface Challenge {
  realm?: string;
  error?: BearerError;
  /** Human-readable; reduced to the characters RFC 6750 §3 allows. */
  description?: string;
  /** Scopes the request needs (RFC 6750 §3: space-delimited). */
  scope?: readonly string[];
  /** The Protected Resource Metadata URL (RFC 9728 §5.1). */
  resourceMetadata?: string;
}

/** RFC 6750 §3: error_description and scope use %x20-21 / %x23-5B / %x5D-7E (no `"` and no `\`). */
function safe(text: string): string {
  return text.replace(/[^\x20\x21\x23-\x5b\x5d-\x7e]/g, '?');
}

function quoted(name: string, value: string): string {
  return `${name}="${safe(value)}"`;
}

export function formatChallenge(challenge: Challenge): string {
  const params: string[] = [];
  if (challenge.realm !== undefined) params.push(quoted('realm', challenge.realm));
  if (challenge.error !== undefined) params.push(quoted('error', challenge.error));
  if (challenge.description !== undefined) params.push(quoted('error_description', challenge.description));
  if (challenge.scope !== undefined && challenge.scope.length > 0) params.push(quoted('scope', challenge.scope.join(' ')));
  if (challenge.resourceMetadata !== undefined) params.push(quoted('resource_metadata', challenge.resourceMetadata));
  return params.length === 0 ? 'Bearer' : `Bearer ${params.join(', ')}`;
}
