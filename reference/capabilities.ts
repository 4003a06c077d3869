/** What the reference server declares, per protocol version (spec digest §A.3). */
import type { ProtocolVersion } from '../spec/versions.js';
import type { JsonObject } from '../transport/jsonrpc.js';

export function serverCapabilities(version: ProtocolVersion): JsonObject {
  const caps: JsonObject = {
    logging: {},
    prompts: { listChanged: true },
    resources: { subscribe: true, listChanged: true },
    tools: { listChanged: true },
  };
  // 2024-11-05 had completion/complete but no capability to announce it.
  if (version !== '2024-11-05') caps.completions = {};
  if (version === '2025-11-25') caps.tasks = { list: {}, cancel: {}, requests: { tools: { call: {} } } };
  // 2026-07-28 moved tasks out of core into an extension, negotiated per request.
  if (version === '2026-07-28') caps.extensions = { 'io.modelcontextprotocol/tasks': {} };
  return caps;
}

/** Reads a dotted capability path (`elicitation.url`) from a declared capabilities object. */
export function hasCapability(capabilities: JsonObject, path: string): boolean {
  let node: unknown = capabilities;
  for (const key of path.split('.')) {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return false;
    node = (node as Record<string, unknown>)[key];
  }
  return typeof node === 'object' && node !== null && !Array.isArray(node) ? true : node === true;
}

const ORDER: readonly ProtocolVersion[] = ['2024-11-05', '2025-03-26', '2025-06-18', '2025-11-25', '2026-07-28'];

/** True when `version` is `since` or later. */
export function atLeast(version: ProtocolVersion, since: ProtocolVersion): boolean {
  return ORDER.indexOf(version) >= ORDER.indexOf(since);
}

/**
 * Which client capability a server→client request (or MRTR input request) needs. Elicitation
 * is per mode since 2025-11-25: `{}` means form only, `{url: {}}` alone means URL only.
 */
export function clientCapabilityFor(method: string, params: JsonObject, capabilities: JsonObject): { path: string; declared: boolean } | undefined {
  if (method === 'sampling/createMessage') return { path: 'sampling', declared: hasCapability(capabilities, 'sampling') };
  if (method === 'roots/list') return { path: 'roots', declared: hasCapability(capabilities, 'roots') };
  if (method !== 'elicitation/create') return undefined;
  if (params.mode === 'url') return { path: 'elicitation.url', declared: hasCapability(capabilities, 'elicitation.url') };
  const elicitation = capabilities.elicitation;
  const declared = typeof elicitation === 'object' && elicitation !== null && !Array.isArray(elicitation) && (Object.keys(elicitation).length === 0 || hasCapability(capabilities, 'elicitation.form'));
  return { path: Object.keys((elicitation as JsonObject | undefined) ?? {}).length === 0 ? 'elicitation' : 'elicitation.form', declared };
}

/**
 * Whether a feature that needs a client capability should decline by itself (an error result)
 * when the client lacks it. Only in the handshake era: in 2026-07-28 a request needing an
 * undeclared capability must be answered -32021 with `requiredCapabilities` (M-BASE-049), which
 * the engine does when the feature asks anyway, so there the feature asks.
 */
export function declinesWithout(version: ProtocolVersion, declared: boolean): boolean {
  return !declared && version !== '2026-07-28';
}
