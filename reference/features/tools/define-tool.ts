/**
 * Wraps a tool's `call` with the rules every one of our tools shares: argument errors become
 * tool execution errors (TOOL-016), and a finished result is marked for the version.
 */
import type { JsonObject } from '../../../transport/jsonrpc.js';
import type { RequestContext, ToolDefinition } from '../../types.js';
import { ArgumentError } from './args.js';
import { completeResult, errorResult } from './result.js';

export function defineTool(tool: ToolDefinition): ToolDefinition {
  const call = tool.call;
  return {
    ...tool,
    async call(args: JsonObject, ctx: RequestContext): Promise<JsonObject> {
      try {
        return completeResult(ctx, await call(args, ctx));
      } catch (err) {
        if (err instanceof ArgumentError) return completeResult(ctx, errorResult(`Invalid arguments for tool ${tool.name}: ${err.message}`));
        throw err;
      }
    },
  };
}

/** The input schema of a tool without arguments, as the spec recommends it (2025-11-25 server/tools). */
export function noArguments(): JsonObject {
  return { type: 'object', properties: {}, additionalProperties: false };
}
