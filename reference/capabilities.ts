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
