/** `list-roots`: asks the client for its roots (roots/list) and returns them. */
import { hasCapability, declinesWithout } from '../../capabilities.js';
import type { JsonObject, JsonValue } from '../../../transport/jsonrpc.js';
import type { ToolDefinition } from '../../types.js';
import { pngIcon } from '../resources/media.js';
import { askClient } from './ask-client.js';
import { defineTool, noArguments } from './define-tool.js';
import { errorResult, structuredResult } from './result.js';

const ROOTS_TIMEOUT_MS = 30_000;

/** Only the fields the spec defines, so whatever else a client sends is not echoed back. */
function pickRoot(root: JsonValue): JsonObject {
  const r = root as JsonObject;
  const out: JsonObject = { uri: String(r.uri) };
  if (typeof r.name === 'string') out.name = r.name;
  return out;
}

export const listRootsTool: ToolDefinition = defineTool({
  name: 'list-roots',
  title: 'List client roots',
  description: 'Asks the client for its roots with roots/list and returns them. Requires the client to have declared the roots capability; otherwise it is a tool error and nothing is sent.',
  inputSchema: noArguments(),
  outputSchema: {
    type: 'object',
    properties: {
      roots: {
        type: 'array',
        items: {
          type: 'object',
          properties: { uri: { type: 'string' }, name: { type: 'string' } },
          required: ['uri'],
          additionalProperties: false,
        },
      },
    },
    required: ['roots'],
    additionalProperties: false,
  },
  annotations: { title: 'List client roots', readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  icons: [pngIcon([90, 130, 60])],
  async call(_args, ctx) {
    // ROOTS-008: check the capability before asking.
    if (declinesWithout(ctx.version, hasCapability(ctx.clientCapabilities, 'roots'))) {
      return errorResult('The client did not declare the roots capability, so this server cannot ask for its roots.');
    }
    const answer = await askClient(ctx, 'roots/list', {}, 'ListRootsResult', ROOTS_TIMEOUT_MS);
    if (!answer.ok) return errorResult(answer.reason);
    // askClient validated the answer as ListRootsResult, so `roots` is an array of objects with a uri.
    const roots = (answer.result.roots as JsonValue[]).map(pickRoot);
    const lines = roots.map((r) => (r.name === undefined ? String(r.uri) : `${String(r.name)}: ${String(r.uri)}`));
    return structuredResult(ctx, { roots }, roots.length === 0 ? 'The client has no roots.' : `The client has ${roots.length} root(s):\n${lines.join('\n')}`);
  },
});
