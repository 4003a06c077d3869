/** tools/list and tools/call. */
import type { ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { JsonObject } from '../../transport/jsonrpc.js';
import { invalidParams, McpError } from '../errors.js';
import { paginate } from '../pagination.js';
import { listedFor, renderTool } from '../render.js';
import type { Handler, ServerCore } from '../server-core.js';
import { taskJson } from '../tasks.js';
import type { ToolDefinition } from '../types.js';
import { statusNotifier } from './tasks.js';

// Tool input schemas default to JSON Schema 2020-12 (2025-11-25 "JSON Schema Usage").
// Created on first use: a stdio server child that never calls a tool does not pay for it.
// The schemas compiled here are the server's own, so meta-schema validation is skipped (it
// would compile the 2020-12 meta-schema, ~60 ms, in every process).
let ajv: Ajv2020 | undefined;
const compiled = new WeakMap<ToolDefinition, ValidateFunction>();

function argumentsValidator(tool: ToolDefinition): ValidateFunction {
  let fn = compiled.get(tool);
  if (!fn) {
    ajv ??= (() => {
      const created = new Ajv2020({ allErrors: true, strict: false, validateSchema: false });
      addFormats.default(created);
      return created;
    })();
    fn = ajv.compile(tool.inputSchema);
    compiled.set(tool, fn);
  }
  return fn;
}

export function toolsList(core: ServerCore): Handler {
  return (params, ctx) => {
    const tools = core.registry.tools.filter((t) => listedFor(ctx.version, t.since));
    const page = paginate('tools', tools, params.cursor, core.limits.pageSize);
    const res: JsonObject = { tools: page.items.map((t) => renderTool(t, ctx.version)) };
    if (page.nextCursor) res.nextCursor = page.nextCursor;
    return res;
  };
}

export function toolsCall(core: ServerCore): Handler {
  return async (params, ctx) => {
    const name = params.name as string;
    const tool = core.registry.tool(name);
    if (!tool || !listedFor(ctx.version, tool.since)) throw invalidParams(`Unknown tool: ${name}`, { name });
    const task = ctx.version === '2025-11-25' ? (params.task as JsonObject | undefined) : undefined;
    // In 2026-07-28 the server decides about tasks before the call gets here (modern/endpoint.ts).
    if (ctx.version === '2025-11-25' && task === undefined && tool.taskSupport === 'required') throw new McpError(-32601, `Tool ${name} must be called as a task (execution.taskSupport is "required")`);
    if (task !== undefined && (tool.taskSupport ?? 'forbidden') === 'forbidden') throw new McpError(-32601, `Tool ${name} does not support task execution`);
    const args = (params.arguments as JsonObject | undefined) ?? {};
    const validator = argumentsValidator(tool);
    if (!validator(args)) {
      // 2025-11-25: input validation failures are tool execution errors, so the model can retry.
      const detail = (validator.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`).join('; ');
      return { content: [{ type: 'text', text: `Invalid arguments for tool ${name}: ${detail}` }], isError: true };
    }
    if (task !== undefined) {
      const record = core.tasks.start(ctx.session.id, task.ttl, ctx, (taskCtx) => tool.call(args, taskCtx), statusNotifier(ctx));
      return { task: taskJson(record) };
    }
    return tool.call(args, ctx);
  };
}
