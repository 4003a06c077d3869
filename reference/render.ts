/**
 * Feature definitions → the wire shape of a given protocol version. Fields a version does not
 * define are left out rather than sent and hoped ignored: the reference server is spec-exact.
 */
import type { ProtocolVersion } from '../spec/versions.js';
import type { JsonObject, JsonValue } from '../transport/jsonrpc.js';
import { atLeast } from './capabilities.js';
import type { Icon, PromptDefinition, ResourceDefinition, ResourceTemplateDefinition, ToolDefinition } from './types.js';

function put(target: JsonObject, key: string, value: JsonValue | undefined, when = true): void {
  if (when && value !== undefined) target[key] = value;
}

function icons(list: Icon[] | undefined): JsonValue | undefined {
  return list?.map((i) => ({ ...i }) as JsonObject);
}

/** `lastModified` joined `audience` and `priority` in 2025-06-18. */
export function renderAnnotations(annotations: JsonObject | undefined, version: ProtocolVersion): JsonObject | undefined {
  if (annotations === undefined || atLeast(version, '2025-06-18') || !('lastModified' in annotations)) return annotations;
  const { lastModified: _dropped, ...older } = annotations;
  return older;
}

export function listedFor(version: ProtocolVersion, since: ProtocolVersion | undefined): boolean {
  return since === undefined || atLeast(version, since);
}

export function renderTool(tool: ToolDefinition, version: ProtocolVersion): JsonObject {
  const out: JsonObject = { name: tool.name };
  put(out, 'title', tool.title, atLeast(version, '2025-06-18'));
  out.description = tool.description;
  out.inputSchema = tool.inputSchema;
  put(out, 'outputSchema', tool.outputSchema, atLeast(version, '2025-06-18'));
  if (tool.annotations && atLeast(version, '2025-03-26')) {
    const annotations = { ...tool.annotations };
    // 2025-03-26 has no top-level title, so the annotation carries it.
    if (version === '2025-03-26' && tool.title !== undefined && annotations.title === undefined) annotations.title = tool.title;
    out.annotations = annotations;
  }
  put(out, 'icons', icons(tool.icons), atLeast(version, '2025-11-25'));
  if (version === '2025-11-25' && tool.taskSupport !== undefined) out.execution = { taskSupport: tool.taskSupport };
  return out;
}

export function renderResource(r: ResourceDefinition, version: ProtocolVersion): JsonObject {
  const out: JsonObject = { uri: r.uri, name: r.name };
  put(out, 'title', r.title, atLeast(version, '2025-06-18'));
  put(out, 'description', r.description);
  put(out, 'mimeType', r.mimeType);
  put(out, 'size', r.size, atLeast(version, '2025-03-26'));
  put(out, 'annotations', renderAnnotations(r.annotations, version));
  put(out, 'icons', icons(r.icons), atLeast(version, '2025-11-25'));
  return out;
}

export function renderTemplate(t: ResourceTemplateDefinition, version: ProtocolVersion): JsonObject {
  const out: JsonObject = { uriTemplate: t.uriTemplate, name: t.name };
  put(out, 'title', t.title, atLeast(version, '2025-06-18'));
  put(out, 'description', t.description);
  put(out, 'mimeType', t.mimeType);
  put(out, 'icons', icons(t.icons), atLeast(version, '2025-11-25'));
  return out;
}

export function renderPrompt(p: PromptDefinition, version: ProtocolVersion): JsonObject {
  const out: JsonObject = { name: p.name };
  put(out, 'title', p.title, atLeast(version, '2025-06-18'));
  put(out, 'description', p.description);
  if (p.arguments) {
    out.arguments = p.arguments.map((a) => {
      const arg: JsonObject = { name: a.name };
      put(arg, 'title', a.title, atLeast(version, '2025-06-18'));
      put(arg, 'description', a.description);
      put(arg, 'required', a.required);
      return arg;
    });
  }
  put(out, 'icons', icons(p.icons), atLeast(version, '2025-11-25'));
  return out;
}
