/**
 * `routed`: a 2026-07-28 tool whose arguments are mirrored into HTTP headers (`x-mcp-header`),
 * so gateways can route on them without reading the body — and so a checker can see the
 * server reject a header that disagrees with the body (M-HTTP-042/045).
 */
import type { ToolDefinition } from '../../types.js';
import { requiredString } from './args.js';
import { defineTool } from './define-tool.js';
import { structuredResult } from './result.js';

export const routedTool: ToolDefinition = defineTool({
  name: 'routed',
  title: 'Routed by header',
  description: 'Returns the region and priority it was called with. Over Streamable HTTP both are mirrored in the Mcp-Param-Region and Mcp-Param-Priority headers.',
  since: '2026-07-28',
  inputSchema: {
    type: 'object',
    properties: {
      region: { type: 'string', description: 'Where to route the call.', 'x-mcp-header': 'Region' },
      priority: { type: 'integer', minimum: 0, maximum: 9, description: 'Routing priority.', 'x-mcp-header': 'Priority' },
    },
    required: ['region'],
    additionalProperties: false,
  },
  outputSchema: {
    type: 'object',
    properties: { region: { type: 'string' }, priority: { type: ['integer', 'null'] } },
    required: ['region', 'priority'],
    additionalProperties: false,
  },
  annotations: { title: 'Routed by header', readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  call(args, ctx) {
    const region = requiredString(args, 'region');
    const priority = typeof args.priority === 'number' ? args.priority : null;
    return structuredResult(ctx, { region, priority }, `region ${region}, priority ${priority ?? 'none'}`);
  },
});
