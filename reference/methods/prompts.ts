/** prompts/list and prompts/get. */
import type { JsonObject } from '../../transport/jsonrpc.js';
import { invalidParams } from '../errors.js';
import { paginate } from '../pagination.js';
import { renderPrompt } from '../render.js';
import type { Handler, ServerCore } from '../server-core.js';

export function promptsList(core: ServerCore): Handler {
  return (params, ctx) => {
    const page = paginate('prompts', core.registry.prompts, params.cursor, core.limits.pageSize);
    const res: JsonObject = { prompts: page.items.map((p) => renderPrompt(p, ctx.version)) };
    if (page.nextCursor) res.nextCursor = page.nextCursor;
    return res;
  };
}

export function promptsGet(core: ServerCore): Handler {
  return (params, ctx) => {
    const name = params.name as string;
    const prompt = core.registry.prompt(name);
    if (!prompt) throw invalidParams(`Unknown prompt: ${name}`, { name });
    const args = (params.arguments as Record<string, string> | undefined) ?? {};
    const missing = (prompt.arguments ?? []).filter((a) => a.required && args[a.name] === undefined).map((a) => a.name);
    if (missing.length > 0) throw invalidParams(`Missing required arguments for prompt ${name}: ${missing.join(', ')}`, { missing });
    const known = new Set((prompt.arguments ?? []).map((a) => a.name));
    const unknown = Object.keys(args).filter((k) => !known.has(k));
    if (unknown.length > 0) throw invalidParams(`Unknown arguments for prompt ${name}: ${unknown.join(', ')}`, { unknown });
    return prompt.get(args, ctx);
  };
}
