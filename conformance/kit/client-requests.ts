/**
 * What a server asks of its client — sampling/createMessage, elicitation/create, roots/list —
 * whether as JSON-RPC requests (handshake era) or as MRTR input requests (2026-07-28): the
 * client capabilities a check declares, plausible answers, and the rules the params must follow.
 */
import { isPlainObject } from '../../transport/codec.js';
import type { JsonObject, JsonValue } from '../../transport/jsonrpc.js';
import type { ProtocolVersion } from '../../spec/versions.js';

export const CLIENT_REQUEST_METHODS: readonly string[] = ['sampling/createMessage', 'elicitation/create', 'roots/list'];

/** The schema definition each client-bound request is validated against. */
export const REQUEST_DEFINITIONS: Readonly<Record<string, string>> = {
  'sampling/createMessage': 'CreateMessageRequest',
  'elicitation/create': 'ElicitRequest',
  'roots/list': 'ListRootsRequest',
};

/** Which client features a check's client says it has. */
export interface ClientDeclaration {
  sampling: boolean;
  samplingTools: boolean;
  elicitationForm: boolean;
  elicitationUrl: boolean;
  roots: boolean;
}

export const DECLARES_NOTHING: ClientDeclaration = { sampling: false, samplingTools: false, elicitationForm: false, elicitationUrl: false, roots: false };

/**
 * Everything the version lets a client declare (`full`), or the same without the 2025-11-25
 * refinements — sampling.tools and URL elicitation — so that using them can be caught (`narrow`).
 */
export function declaration(version: ProtocolVersion, kind: 'full' | 'narrow'): ClientDeclaration {
  const refined = kind === 'full' && version >= '2025-11-25';
  return { sampling: true, samplingTools: refined, elicitationForm: version >= '2025-06-18', elicitationUrl: refined, roots: true };
}

/** The `capabilities` object for a declaration, as the version spells it. */
export function capabilitiesOf(d: ClientDeclaration, version: ProtocolVersion): JsonObject {
  const caps: JsonObject = {};
  if (d.sampling) caps.sampling = d.samplingTools ? { tools: {} } : {};
  if (d.roots) caps.roots = {};
  if (d.elicitationForm || d.elicitationUrl) {
    // Before 2025-11-25 elicitation had no modes; `{}` still means form only after it (ELIC-005).
    const modes: JsonObject = {};
    if (version >= '2025-11-25' && d.elicitationForm) modes.form = {};
    if (version >= '2025-11-25' && d.elicitationUrl) modes.url = {};
    caps.elicitation = modes;
  }
  return caps;
}

/** The client capability a request needs and `d` lacks, or undefined (covered, or gated by no capability mcpcert knows). */
export function undeclaredFor(method: string, d: ClientDeclaration): string | undefined {
  if (method === 'sampling/createMessage') return d.sampling ? undefined : 'sampling';
  if (method === 'roots/list') return d.roots ? undefined : 'roots';
  // Which mode was declared is a finer rule (ELIC-006), judged with the request's params.
  if (method === 'elicitation/create') return d.elicitationForm || d.elicitationUrl ? undefined : 'elicitation';
  if (method.startsWith('tasks/')) return 'tasks';
  return undefined;
}

/**
 * A valid answer a user-less client could give: decline the elicitation, no roots, a short
 * sampled text. Undefined for anything else (refused with -32601).
 */
export function plausibleAnswer(method: string): JsonObject | undefined {
  if (method === 'sampling/createMessage') return { role: 'assistant', content: { type: 'text', text: 'mcpcert sampled reply' }, model: 'mcpcert-model', stopReason: 'endTurn' };
  if (method === 'elicitation/create') return { action: 'decline' };
  if (method === 'roots/list') return { roots: [] };
  return undefined;
}

/** One rule per kind of breach; each check maps them to its era's requirement ids. */
export type Rule =
  | 'elicitation-mode'
  | 'elicitation-unknown-mode'
  | 'elicitation-message'
  | 'elicitation-form'
  | 'elicitation-url'
  | 'elicitation-url-valid'
  | 'sampling-tools'
  | 'sampling-tool-results'
  | 'sampling-balance'
  | 'sampling-messages';

export interface Breach {
  rule: Rule;
  message: string;
}

const PRIMITIVE_TYPES = new Set(['string', 'number', 'integer', 'boolean']);

/** Why a requestedSchema is not a flat object of primitive properties, or undefined. */
function notFlat(schema: JsonValue | undefined, version: ProtocolVersion): string | undefined {
  if (!isPlainObject(schema)) return 'requestedSchema is missing or not an object';
  if (schema.type !== 'object') return `requestedSchema has type ${JSON.stringify(schema.type ?? null)}, not "object"`;
  if (!isPlainObject(schema.properties)) return 'requestedSchema has no properties object';
  for (const [name, property] of Object.entries(schema.properties)) {
    if (!isPlainObject(property)) return `property ${JSON.stringify(name)} is not a schema object`;
    const type = property.type;
    if (typeof type === 'string' && PRIMITIVE_TYPES.has(type)) continue;
    // Multi-select enums (2025-11-25 on): an array of strings drawn from items.enum or items.anyOf.
    const items = property.items;
    if (type === 'array' && version >= '2025-11-25' && isPlainObject(items) && (Array.isArray(items.enum) || Array.isArray(items.anyOf))) continue;
    return `property ${JSON.stringify(name)} has type ${JSON.stringify(type ?? null)}, not a primitive (string, number, integer, boolean${version >= '2025-11-25' ? ', or an enum array' : ''})`;
  }
  return undefined;
}

function isValidUrl(text: string): boolean {
  try {
    new URL(text);
    return true;
  } catch {
    return false;
  }
}

function elicitationBreaches(params: JsonObject, d: ClientDeclaration, version: ProtocolVersion): Breach[] {
  const out: Breach[] = [];
  if (typeof params.message !== 'string') out.push({ rule: 'elicitation-message', message: 'the elicitation request has no message string' });
  const mode = params.mode;
  if (mode !== undefined && mode !== 'form' && mode !== 'url') {
    out.push({ rule: 'elicitation-unknown-mode', message: `the elicitation request has mode ${JSON.stringify(mode)}, which is neither "form" nor "url"` });
    return out;
  }
  if (mode === 'url') {
    if (!d.elicitationUrl) out.push({ rule: 'elicitation-mode', message: 'the elicitation request is in URL mode, but the client did not declare elicitation.url' });
    if (typeof params.url !== 'string') out.push({ rule: 'elicitation-url', message: 'the URL-mode elicitation request has no url' });
    else if (!isValidUrl(params.url)) out.push({ rule: 'elicitation-url-valid', message: `the URL-mode elicitation request's url ${JSON.stringify(params.url)} is not a valid URL` });
    // 2026-07-28 dropped elicitationId with notifications/elicitation/complete.
    if (version !== '2026-07-28' && typeof params.elicitationId !== 'string') out.push({ rule: 'elicitation-url', message: 'the URL-mode elicitation request has no elicitationId' });
    return out;
  }
  if (!d.elicitationForm && d.elicitationUrl) out.push({ rule: 'elicitation-mode', message: 'the elicitation request is in form mode, but the client declared only elicitation.url' });
  const flat = notFlat(params.requestedSchema, version);
  if (flat !== undefined) out.push({ rule: 'elicitation-form', message: `the form-mode elicitation request's ${flat}` });
  return out;
}

function blocksOf(content: JsonValue | undefined): JsonObject[] {
  const list = Array.isArray(content) ? content : content === undefined ? [] : [content];
  return list.filter(isPlainObject);
}

function samplingBreaches(params: JsonObject, d: ClientDeclaration): Breach[] {
  const out: Breach[] = [];
  if (!d.samplingTools && (params.tools !== undefined || params.toolChoice !== undefined)) {
    out.push({ rule: 'sampling-tools', message: `the sampling request carries ${params.tools !== undefined ? 'tools' : 'toolChoice'}, but the client did not declare sampling.tools` });
  }
  const messages = Array.isArray(params.messages) ? params.messages : [];
  messages.forEach((m, i) => {
    if (!isPlainObject(m) || (m.role !== 'user' && m.role !== 'assistant') || m.content === undefined) {
      out.push({ rule: 'sampling-messages', message: `sampling message ${i} has no role "user"/"assistant" with a content` });
      return;
    }
    const blocks = blocksOf(m.content);
    const results = blocks.filter((b) => b.type === 'tool_result');
    if (m.role === 'user' && results.length > 0 && results.length < blocks.length) {
      out.push({ rule: 'sampling-tool-results', message: `sampling message ${i} mixes tool_result blocks with other content` });
    }
    const uses = blocks.filter((b) => b.type === 'tool_use').map((b) => b.id);
    if (m.role !== 'assistant' || uses.length === 0) return;
    const next = messages[i + 1];
    const nextBlocks = isPlainObject(next) ? blocksOf(next.content) : [];
    if (!isPlainObject(next) || next.role !== 'user' || nextBlocks.length === 0 || nextBlocks.some((b) => b.type !== 'tool_result')) {
      out.push({ rule: 'sampling-balance', message: `sampling message ${i} uses tools, but the next message is not a user message of tool results` });
      return;
    }
    const answered = new Set(nextBlocks.map((b) => b.toolUseId));
    const missing = uses.filter((id) => !answered.has(id));
    if (missing.length > 0) out.push({ rule: 'sampling-balance', message: `sampling message ${i} uses tool(s) ${JSON.stringify(missing)} that message ${i + 1} has no tool_result for` });
  });
  return out;
}

/** The rules a client-bound request breaks, given what the client declared. */
export function breachesOf(method: string, params: JsonObject, d: ClientDeclaration, version: ProtocolVersion): Breach[] {
  if (method === 'elicitation/create') return elicitationBreaches(params, d, version);
  if (method === 'sampling/createMessage') return samplingBreaches(params, d);
  return [];
}
