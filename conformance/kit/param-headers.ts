/** The tool parameters a 2026-07-28 target mirrors into `Mcp-Param-*` headers (`x-mcp-header`). */
import { isPlainObject } from '../../transport/codec.js';
import type { JsonObject } from '../../transport/jsonrpc.js';

export interface Mirrored {
  tool: JsonObject;
  name: string;
  property: string;
  header: string;
  schema: JsonObject;
  required: boolean;
}

/** Top-level parameters annotated with `x-mcp-header` (reached through `properties`, as M-HTTP-031 allows). */
export function mirroredParameters(tools: readonly JsonObject[]): Mirrored[] {
  const out: Mirrored[] = [];
  for (const tool of tools) {
    const input = tool.inputSchema;
    if (typeof tool.name !== 'string' || !isPlainObject(input) || !isPlainObject(input.properties)) continue;
    const required = Array.isArray(input.required) ? input.required : [];
    for (const [property, schema] of Object.entries(input.properties)) {
      if (isPlainObject(schema) && typeof schema['x-mcp-header'] === 'string') out.push({ tool, name: tool.name, property, header: schema['x-mcp-header'], schema, required: required.includes(property) });
    }
  }
  return out;
}
