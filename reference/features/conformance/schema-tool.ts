/**
 * Conformance fixture json_schema_2020_12_tool (pending scenario json-schema-2020-12 of
 * @modelcontextprotocol/conformance 0.1.16, SEP-1613): a tool whose input schema uses 2020-12
 * keywords that a careless server would strip from tools/list — `$schema`, `$defs` with a local
 * `$ref`, and `additionalProperties`.
 */
import type { JsonObject } from '../../../transport/jsonrpc.js';
import type { ToolDefinition } from '../../types.js';
import { textResult } from './result.js';

export const JSON_SCHEMA_2020_12 = 'https://json-schema.org/draft/2020-12/schema';

export function addressSchema(): JsonObject {
  return {
    $schema: JSON_SCHEMA_2020_12,
    type: 'object',
    $defs: {
      address: {
        type: 'object',
        properties: { street: { type: 'string' }, city: { type: 'string' } },
      },
    },
    properties: {
      name: { type: 'string' },
      address: { $ref: '#/$defs/address' },
    },
    additionalProperties: false,
  };
}

export function schemaTool(): ToolDefinition {
  return {
    name: 'json_schema_2020_12_tool',
    description: 'Takes a name and an address described with JSON Schema 2020-12 $defs (conformance scenario json-schema-2020-12).',
    inputSchema: addressSchema(),
    // 2020-12 became the default dialect of embedded schemas in 2025-11-25.
    since: '2025-11-25',
    call: (args, ctx) => textResult(ctx, `JSON Schema 2020-12 tool called with: ${JSON.stringify(args)}`),
  };
}
