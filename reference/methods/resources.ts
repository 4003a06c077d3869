/** resources/list, resources/templates/list, resources/read, resources/subscribe, resources/unsubscribe. */
import type { JsonObject } from '../../transport/jsonrpc.js';
import { McpError } from '../errors.js';
import { paginate } from '../pagination.js';
import { renderResource, renderTemplate } from '../render.js';
import type { Handler, ServerCore } from '../server-core.js';

export function resourcesList(core: ServerCore): Handler {
  return (params, ctx) => {
    const page = paginate('resources', core.registry.resources, params.cursor, core.limits.pageSize);
    const res: JsonObject = { resources: page.items.map((r) => renderResource(r, ctx.version)) };
    if (page.nextCursor) res.nextCursor = page.nextCursor;
    return res;
  };
}

export function templatesList(core: ServerCore): Handler {
  return (params, ctx) => {
    const page = paginate('templates', core.registry.templates, params.cursor, core.limits.pageSize);
    const res: JsonObject = { resourceTemplates: page.items.map((t) => renderTemplate(t, ctx.version)) };
    if (page.nextCursor) res.nextCursor = page.nextCursor;
    return res;
  };
}

/** Not found is -32002 up to 2025-11-25 and -32602 from 2026-07-28 (spec digest §C.10). */
export function resourceNotFound(uri: string, version: string): McpError {
  return new McpError(version === '2026-07-28' ? -32602 : -32002, `Resource not found: ${uri}`, { uri });
}

export function resourcesRead(core: ServerCore): Handler {
  return async (params, ctx) => {
    const uri = params.uri as string;
    const direct = core.registry.resource(uri);
    if (direct) return { contents: await direct.read(ctx) };
    for (const template of core.registry.templates) {
      const contents = await template.read(uri, ctx);
      if (contents) return { contents };
    }
    throw resourceNotFound(uri, ctx.version);
  };
}

export function resourcesSubscribe(core: ServerCore): Handler {
  return async (params, ctx) => {
    const uri = params.uri as string;
    if (!(await exists(core, uri, ctx))) throw resourceNotFound(uri, ctx.version);
    ctx.session.subscribe(uri);
    return {};
  };
}

export function resourcesUnsubscribe(): Handler {
  return (params, ctx) => {
    ctx.session.unsubscribe(params.uri as string);
    return {};
  };
}

async function exists(core: ServerCore, uri: string, ctx: Parameters<Handler>[1]): Promise<boolean> {
  if (core.registry.resource(uri)) return true;
  for (const template of core.registry.templates) if (await template.read(uri, ctx)) return true;
  return false;
}
