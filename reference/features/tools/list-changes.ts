/**
 * Tools that change the server's declared state, so that `notifications/tools/list_changed`
 * and `notifications/resources/updated` have real causes a client can trigger on demand.
 */
import type { Registry } from '../../registry.js';
import type { ToolDefinition } from '../../types.js';
import { COUNTER_URI, isMutableResource } from '../resources/counter.js';
import { pngIcon } from '../resources/media.js';
import { requiredString } from './args.js';
import { defineTool, noArguments } from './define-tool.js';
import { errorResult, structuredResult, textResult } from './result.js';

export const EPHEMERAL_TOOL = 'ephemeral';

const ICON = pngIcon([100, 100, 100]);

function ephemeralTool(): ToolDefinition {
  return defineTool({
    name: EPHEMERAL_TOOL,
    title: 'Ephemeral tool',
    description: 'Exists only while toggle-tool has added it; calling it just says so.',
    inputSchema: noArguments(),
    annotations: { title: 'Ephemeral tool', readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    icons: [ICON],
    call: () => textResult('The ephemeral tool is here until toggle-tool removes it.'),
  });
}

/** `toggle-tool`: adds the `ephemeral` tool if absent, removes it if present. */
export function toggleTool(registry: Registry): ToolDefinition {
  return defineTool({
    name: 'toggle-tool',
    title: 'Toggle the ephemeral tool',
    description: `Adds the "${EPHEMERAL_TOOL}" tool if it is absent and removes it if present; either way the server sends notifications/tools/list_changed.`,
    inputSchema: noArguments(),
    outputSchema: {
      type: 'object',
      properties: { tool: { type: 'string' }, present: { type: 'boolean' } },
      required: ['tool', 'present'],
      additionalProperties: false,
    },
    // Not destructive: the removal is undone by the next call.
    annotations: { title: 'Toggle the ephemeral tool', readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    icons: [ICON],
    call(_args, ctx) {
      const removed = registry.removeTool(EPHEMERAL_TOOL);
      if (!removed) registry.addTool(ephemeralTool());
      const present = !removed;
      return structuredResult(ctx, { tool: EPHEMERAL_TOOL, present }, present ? `Added the "${EPHEMERAL_TOOL}" tool.` : `Removed the "${EPHEMERAL_TOOL}" tool.`);
    },
  });
}

/** `touch-resource`: changes a mutable resource, which notifies its subscribers. */
export function touchResourceTool(registry: Registry): ToolDefinition {
  return defineTool({
    name: 'touch-resource',
    title: 'Touch a resource',
    description: `Changes a mutable resource of this server (${COUNTER_URI}: increments its counter), so that subscribers receive notifications/resources/updated. Any other URI is a tool error.`,
    inputSchema: {
      type: 'object',
      properties: { uri: { type: 'string', description: 'URI of a mutable resource.', examples: [COUNTER_URI] } },
      required: ['uri'],
      additionalProperties: false,
    },
    outputSchema: {
      type: 'object',
      properties: { uri: { type: 'string' }, count: { type: 'integer' } },
      required: ['uri', 'count'],
      additionalProperties: false,
    },
    annotations: { title: 'Touch a resource', readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    icons: [ICON],
    call(args, ctx) {
      const uri = requiredString(args, 'uri');
      const resource = registry.resource(uri);
      const mutable = registry.resources.filter(isMutableResource).map((r) => r.uri);
      if (resource === undefined) return errorResult(`Unknown resource: ${uri}. Mutable resources: ${mutable.join(', ') || 'none'}.`);
      if (!isMutableResource(resource)) return errorResult(`Resource ${uri} cannot be changed. Mutable resources: ${mutable.join(', ') || 'none'}.`);
      const count = resource.bump();
      return structuredResult(ctx, { uri, count }, `${uri} is now at ${count}.`);
    },
  });
}
