import { isPlainObject } from '../../../transport/codec.js';
import type { JsonObject, JsonValue } from '../../../transport/jsonrpc.js';
import { defineCheck, MODERN_VERSIONS } from '../../check.js';
import { listTools } from '../../kit/tools.js';

/** RFC 9110 §5.6.2 `token`: one or more tchar. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const MIRRORABLE = new Set(['integer', 'string', 'boolean']);
/** Keywords whose values are data, not subschemas: an `x-mcp-header` key inside them is no annotation. */
const DATA_KEYWORDS = new Set(['const', 'enum', 'default', 'examples', 'required', 'x-mcp-header']);

interface Annotation {
  path: string;
  value: JsonValue;
  schema: JsonObject;
  /** Reached from the root through `properties` only (M-HTTP-031). */
  viaProperties: boolean;
}

/** Every `x-mcp-header` annotation in a schema, wherever it sits. */
function annotations(schema: JsonValue, path: string, viaProperties: boolean, out: Annotation[]): void {
  if (Array.isArray(schema)) {
    schema.forEach((item, i) => annotations(item, `${path}/${i}`, false, out));
    return;
  }
  if (!isPlainObject(schema)) return;
  if ('x-mcp-header' in schema) out.push({ path, value: schema['x-mcp-header'] ?? null, schema, viaProperties });
  for (const [key, value] of Object.entries(schema)) {
    if (DATA_KEYWORDS.has(key)) continue;
    if (key === 'properties' && isPlainObject(value)) {
      for (const [name, sub] of Object.entries(value)) annotations(sub, `${path}/properties/${name}`, viaProperties, out);
    } else {
      annotations(value, `${path}/${key}`, false, out);
    }
  }
}

/** The JSON types a property schema admits besides null, or undefined when it names none. */
function declaredTypes(schema: JsonObject): string[] | undefined {
  const type = schema.type;
  if (typeof type === 'string') return [type];
  if (Array.isArray(type)) return type.filter((t): t is string => typeof t === 'string' && t !== 'null');
  return undefined;
}

/** Why one annotation breaks M-HTTP-031, or undefined. */
function violation(annotation: Annotation): string | undefined {
  const { value, schema } = annotation;
  if (typeof value !== 'string' || value === '') return `its value ${JSON.stringify(value)} is not a non-empty string`;
  if (!TOKEN.test(value)) return `its value ${JSON.stringify(value)} is not an RFC 9110 token`;
  if (!annotation.viaProperties) return 'it is not reachable from the root through properties alone (it sits under items, a composition, a conditional, $defs or similar)';
  const types = declaredTypes(schema);
  if (types !== undefined && types.some((t) => !MIRRORABLE.has(t))) return `it annotates a property of type ${JSON.stringify(schema.type)}, not integer, string or boolean`;
  return undefined;
}

/**
 * `x-mcp-header` annotations in listed tools' inputSchemas follow M-HTTP-031: a non-empty token,
 * unique per tool regardless of case, on an integer, string or boolean property reached through
 * `properties` only. A client must drop a tool breaking this (M-HTTP-032), so the server loses it.
 */
export default defineCheck({
  id: 'modern/param-header-schema',
  title: 'x-mcp-header annotations in tool inputSchemas are valid tokens, unique, on scalar properties reached through properties',
  requirements: ['M-HTTP-031'],
  level: 'MUST',
  versions: MODERN_VERSIONS,
  transports: 'all',
  needs: ['tools'],
  async run(ctx) {
    const tools = await listTools(ctx, await ctx.session());
    let seen = 0;
    for (const tool of tools) {
      const found: Annotation[] = [];
      annotations(tool.inputSchema ?? null, '#', true, found);
      seen += found.length;
      const names = new Map<string, string>();
      for (const annotation of found) {
        const why = violation(annotation);
        const where = `tool ${JSON.stringify(tool.name)}: x-mcp-header at ${annotation.path}`;
        ctx.expect(why === undefined, `${where} is invalid: ${why ?? ''}`, { expected: 'a non-empty RFC 9110 token on an integer, string or boolean property reached through properties only', observed: JSON.stringify(annotation.schema).slice(0, 300) });
        if (typeof annotation.value !== 'string') continue;
        const key = annotation.value.toLowerCase();
        const earlier = names.get(key);
        ctx.expect(earlier === undefined, `tool ${JSON.stringify(tool.name)}: x-mcp-header ${JSON.stringify(annotation.value)} at ${annotation.path} repeats the one at ${earlier ?? ''} (names are compared case-insensitively)`, { expected: 'x-mcp-header values unique within the tool, ignoring case', observed: `${earlier ?? ''} and ${annotation.path}` });
        if (earlier === undefined) names.set(key, annotation.path);
      }
    }
    if (seen === 0) ctx.skip('no listed tool annotates a parameter with x-mcp-header');
  },
});
