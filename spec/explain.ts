/**
 * Turns Ajv's raw errors into the few issues a person needs. The MCP schemas are unions of
 * unions (JSONRPCMessage, ClientRequest, ContentBlock …), and Ajv reports every failing
 * branch of every `anyOf`: a `tools/call` with a bad argument yields one complaint per
 * request type. Here each failing union is narrowed to the branch the value was evidently
 * meant for (by its discriminating constants such as `method` or `type`, then by which
 * required members it has) and only that branch's errors are kept.
 */
import type { ErrorObject } from 'ajv';
import { isObject, refName, type SchemaNode } from './schemas.js';

export interface ValidationIssue {
  /** JSON pointer to the offending value, `''` for the root (e.g. `/params/capabilities`). */
  path: string;
  /** Readable rule, e.g. `must have required property 'name'`. */
  message: string;
  /** The JSON Schema keyword that failed (`required`, `type`, `const` …). */
  keyword: string;
}

export interface ExplainContext {
  /** The named definition of the same schema, for `$ref` branches. */
  definition(name: string): SchemaNode | undefined;
  /** Raw Ajv errors of `value` against a named definition (empty when valid). */
  revalidate(name: string, value: unknown): ErrorObject[];
}

/** Internal form: `allowed` lets const failures at one path merge into one "one of" issue. */
interface Draft extends ValidationIssue {
  allowed?: unknown[];
}

type Choice = { kind: 'named'; name: string } | { kind: 'no-match'; issues: Draft[] } | { kind: 'ambiguous' };

interface Branch {
  name: string | undefined;
  node: SchemaNode;
}

/** Unions nest only a few levels in the official schemas; this only bounds a malformed one. */
const MAX_UNION_DEPTH = 16;
const MAX_LISTED_VALUES = 6;

export function explainErrors(errors: readonly ErrorObject[], ctx: ExplainContext): ValidationIssue[] {
  return finish(focus(errors, ctx, '', 0));
}

function focus(errors: readonly ErrorObject[], ctx: ExplainContext, prefix: string, depth: number): Draft[] {
  const segments: Draft[][] = [];
  // Walk backwards: Ajv pushes a union's branch errors first and the anyOf error last,
  // so the branch errors are the run of errors under the same path just before it.
  let i = errors.length - 1;
  while (i >= 0) {
    const e = errors[i] as ErrorObject;
    if ((e.keyword === 'anyOf' || e.keyword === 'oneOf') && Array.isArray(e.schema)) {
      let j = i - 1;
      while (j >= 0 && isUnder((errors[j] as ErrorObject).instancePath, e.instancePath)) j--;
      const block = errors.slice(j + 1, i);
      segments.push(focusUnion(e.schema as unknown[], e.data, e.instancePath, block, ctx, prefix, depth));
      i = j;
    } else {
      segments.push([draftOf(e, prefix)]);
      i--;
    }
  }
  return segments.reverse().flat();
}

function focusUnion(
  branches: readonly unknown[],
  data: unknown,
  path: string,
  block: readonly ErrorObject[],
  ctx: ExplainContext,
  prefix: string,
  depth: number,
): Draft[] {
  const choice = chooseBranch(branches, data, ctx);
  if (choice.kind === 'named' && depth < MAX_UNION_DEPTH) {
    const sub = ctx.revalidate(choice.name, data);
    if (sub.length > 0) return focus(sub, ctx, prefix + path, depth + 1);
  }
  if (choice.kind === 'no-match' && choice.issues.length > 0) {
    return choice.issues.map((d) => ({ ...d, path: prefix + path + d.path }));
  }
  return focus(block, ctx, prefix, depth);
}

function isUnder(path: string, parent: string): boolean {
  return parent === '' || path === parent || path.startsWith(`${parent}/`);
}

function resolveBranch(raw: unknown, ctx: ExplainContext): Branch {
  const node: SchemaNode = isObject(raw) ? raw : {};
  const name = refName(node.$ref);
  if (name === undefined) return { name: undefined, node };
  return { name, node: ctx.definition(name) ?? {} };
}

function jsonTypeMatches(type: unknown, data: unknown): boolean {
  if (type === undefined) return true;
  if (Array.isArray(type)) return type.some((t) => jsonTypeMatches(t, data));
  switch (type) {
    case 'object':
      return isObject(data);
    case 'array':
      return Array.isArray(data);
    case 'string':
      return typeof data === 'string';
    case 'integer':
      return Number.isInteger(data);
    case 'number':
      return typeof data === 'number';
    case 'boolean':
      return typeof data === 'boolean';
    case 'null':
      return data === null;
    default:
      return true;
  }
}

/** Property constants of an object branch: `{ method: 'tools/call' }`, `{ type: 'text' }`. */
function constantsOf(node: SchemaNode): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const props = node.properties;
  if (!isObject(props)) return out;
  for (const [key, sub] of Object.entries(props)) {
    if (!isObject(sub)) continue;
    if ('const' in sub) out.set(key, sub.const);
    else if (Array.isArray(sub.enum) && sub.enum.length === 1) out.set(key, sub.enum[0]);
  }
  return out;
}

function requiredOf(node: SchemaNode): string[] {
  return Array.isArray(node.required) ? node.required.filter((k): k is string => typeof k === 'string') : [];
}

/**
 * Which branch was the value meant for? A key is discriminating when the branches do not
 * all fix it to the same constant (`jsonrpc` is "2.0" everywhere and says nothing).
 */
function chooseBranch(rawBranches: readonly unknown[], data: unknown, ctx: ExplainContext): Choice {
  const branches = rawBranches.map((b) => resolveBranch(b, ctx));
  const typed = branches.filter((b) => jsonTypeMatches(b.node.type, data));
  if (!isObject(data)) {
    const only = typed.length === 1 ? typed[0] : undefined;
    return only?.name !== undefined ? { kind: 'named', name: only.name } : { kind: 'ambiguous' };
  }
  const consts = typed.map((b) => constantsOf(b.node));
  const keys = new Set(consts.flatMap((c) => [...c.keys()]));
  const discriminating = [...keys].filter((k) => {
    const seen = new Set(consts.map((c) => (c.has(k) ? JSON.stringify(c.get(k)) : undefined)));
    return seen.size > 1;
  });
  const scored = typed.map((branch, index) => {
    const c = consts[index] as Map<string, unknown>;
    let matched = 0;
    let mismatched = false;
    for (const k of discriminating) {
      if (!c.has(k) || !Object.hasOwn(data, k)) continue;
      if (isDeepEqual(c.get(k), data[k])) matched++;
      else mismatched = true;
    }
    const required = requiredOf(branch.node);
    const present = required.filter((k) => Object.hasOwn(data, k)).length;
    return { branch, matched, mismatched, present, missing: required.length - present };
  });
  const candidates = scored.filter((s) => !s.mismatched);
  if (candidates.length === 0) return { kind: 'no-match', issues: discriminatorIssues(discriminating, consts, data) };
  candidates.sort((a, b) => b.matched - a.matched || a.missing - b.missing || b.present - a.present);
  const [best, second] = candidates;
  if (best === undefined || best.branch.name === undefined) return { kind: 'ambiguous' };
  const tie = second !== undefined && second.matched === best.matched && second.missing === best.missing && second.present === best.present;
  return tie ? { kind: 'ambiguous' } : { kind: 'named', name: best.branch.name };
}

function discriminatorIssues(keys: readonly string[], consts: readonly Map<string, unknown>[], data: Record<string, unknown>): Draft[] {
  return keys
    .filter((k) => Object.hasOwn(data, k))
    .map((k) => {
      const allowed = unique(consts.filter((c) => c.has(k)).map((c) => c.get(k)));
      return { path: `/${escapePointer(k)}`, keyword: 'const', message: oneOf(allowed), allowed };
    });
}

function draftOf(e: ErrorObject, prefix: string): Draft {
  const path = prefix + e.instancePath;
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'const':
      return { path, keyword: 'const', message: `must be equal to ${show(params.allowedValue)}`, allowed: [params.allowedValue] };
    case 'enum': {
      const values = Array.isArray(params.allowedValues) ? params.allowedValues : [];
      return { path, keyword: 'enum', message: oneOf(values) };
    }
    default:
      return { path, keyword: e.keyword, message: e.message ?? `must pass "${e.keyword}"` };
  }
}

/** Merges const failures per path, removes duplicates, and puts the deepest issues first. */
function finish(drafts: readonly Draft[]): ValidationIssue[] {
  const allowedByPath = new Map<string, unknown[]>();
  for (const d of drafts) {
    if (d.allowed === undefined) continue;
    allowedByPath.set(d.path, [...(allowedByPath.get(d.path) ?? []), ...d.allowed]);
  }
  const seen = new Set<string>();
  const out: ValidationIssue[] = [];
  for (const d of drafts) {
    const allowed = d.allowed === undefined ? undefined : unique(allowedByPath.get(d.path) ?? []);
    const message = allowed !== undefined && allowed.length > 1 ? oneOf(allowed) : d.message;
    const key = `${d.path}\u0000${d.keyword}\u0000${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ path: d.path, message, keyword: d.keyword });
  }
  // Array.prototype.sort is stable, so equally deep issues keep Ajv's order.
  return out.sort((a, b) => depthOf(b.path) - depthOf(a.path));
}

function depthOf(path: string): number {
  return path === '' ? 0 : path.split('/').length - 1;
}

function unique(values: readonly unknown[]): unknown[] {
  const seen = new Set<string>();
  return values.filter((v) => {
    const k = JSON.stringify(v);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function oneOf(values: readonly unknown[]): string {
  if (values.length === 1) return `must be equal to ${show(values[0])}`;
  const listed = values.slice(0, MAX_LISTED_VALUES).map(show).join(', ');
  const rest = values.length > MAX_LISTED_VALUES ? `, … (${values.length} allowed values)` : '';
  return `must be one of ${listed}${rest}`;
}

function show(v: unknown): string {
  return JSON.stringify(v) ?? String(v);
}

function escapePointer(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}

function isDeepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  try {
    return JSON.stringify(a) === JSON.stringify(b);
  } catch {
    // Not JSON data (e.g. a BigInt inside): it cannot equal a schema constant anyway.
    return false;
  }
}
