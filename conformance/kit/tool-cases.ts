/**
 * Generated tool calls for property checks: one arbitrary over the target's listed tools, each
 * tool's arguments drawn from its own inputSchema (conformance/arbitrary). The tools keep the
 * order the target lists them in, so a seed and path replay the same case against the same server.
 */
import fc from 'fast-check';
import { isPlainObject } from '../../transport/codec.js';
import type { JsonObject, JsonValue } from '../../transport/jsonrpc.js';
import { schemaArbitraries, type NearMiss, type NearMissKind } from '../arbitrary/schema-arbitrary.js';
import type { CheckContext } from '../check.js';
import type { Session } from '../session.js';
import { listTools } from './tools.js';

export interface ToolCase {
  tool: string;
  args: JsonObject;
}

export interface NearMissCase extends ToolCase {
  broken: string;
}

const MAX_TOOLS = 40;
/**
 * Cases that do not suit a property are replaced by one that does, found once with a fixed
 * seed, rather than filtered out: a filter that never passes would spin forever, and
 * generation is synchronous, so not even the check's timeout could stop it.
 */
const PROBE_SEED = 42;
const PROBE_RUNS = 48;

/** Tools a plain call cannot run: task-only ones answer -32601 without a task (TASK-008). */
function callable(tool: JsonObject): tool is JsonObject & { name: string } {
  if (typeof tool.name !== 'string') return false;
  const execution = isPlainObject(tool.execution) ? tool.execution : {};
  return execution.taskSupport !== 'required';
}

function asArgs(value: JsonValue): JsonObject | undefined {
  return isPlainObject(value) ? value : undefined;
}

/** Calls with schema-valid arguments; undefined (with notes) when no tool's schema can be generated for. */
export async function validToolCases(ctx: CheckContext, session: Session): Promise<fc.Arbitrary<ToolCase> | undefined> {
  const choices: fc.Arbitrary<ToolCase>[] = [];
  for (const tool of (await listTools(ctx, session)).filter(callable).slice(0, MAX_TOOLS)) {
    const made = schemaArbitraries(tool.inputSchema ?? { type: 'object' }, { version: ctx.version });
    if (!made.ok) {
      ctx.note(`tool ${tool.name}: no arguments generated: ${made.reason}`);
      continue;
    }
    const name = tool.name;
    const fallback = fc.sample(made.valid, { seed: PROBE_SEED, numRuns: PROBE_RUNS }).map(asArgs).find((a) => a !== undefined);
    if (fallback === undefined) {
      ctx.note(`tool ${tool.name}: its inputSchema yields no argument object`);
      continue;
    }
    choices.push(made.valid.map((v) => ({ tool: name, args: asArgs(v) ?? fallback })));
  }
  return choices.length === 0 ? undefined : fc.oneof(...choices);
}

/**
 * Calls whose arguments break one constraint of the tool's inputSchema, of the `kinds` given:
 * the ones no validating library lets through (formats are annotations by default in JSON
 * Schema, and unknown properties are often stripped rather than refused).
 */
export async function nearMissToolCases(ctx: CheckContext, session: Session, kinds: ReadonlySet<NearMissKind>): Promise<fc.Arbitrary<NearMissCase> | undefined> {
  const choices: fc.Arbitrary<NearMissCase>[] = [];
  for (const tool of (await listTools(ctx, session)).filter(callable).slice(0, MAX_TOOLS)) {
    const made = schemaArbitraries(tool.inputSchema ?? { type: 'object' }, { version: ctx.version });
    if (!made.ok || made.nearMiss === undefined || !made.nearMissKinds.some((k) => kinds.has(k))) continue;
    const name = tool.name;
    const usable = (m: NearMiss): boolean => kinds.has(m.kind) && asArgs(m.value) !== undefined && uncoercible(m);
    const fallback = fc.sample(made.nearMiss, { seed: PROBE_SEED, numRuns: PROBE_RUNS }).find(usable);
    if (fallback === undefined) continue;
    choices.push(made.nearMiss.map((m) => (usable(m) ? m : fallback)).map((m) => ({ tool: name, args: asArgs(m.value)!, broken: m.broken })));
  }
  return choices.length === 0 ? undefined : fc.oneof(...choices);
}

/** Strings that type-coercing validators read as a number, a boolean or null. */
const COERCIBLE_TEXT = /^\s*(-?\d+(\.\d+)?([eE][-+]?\d+)?|true|false|yes|no|on|off|null)?\s*$/i;

/**
 * A wrong-type value that lax validators (pydantic's lax mode, ajv's coerceTypes) turn into the
 * right type is no proof the input went unvalidated: "5" for an integer, 7 for a string, null
 * for "". Objects and arrays, or words given for numbers and booleans, no validator coerces.
 */
function uncoercible(miss: NearMiss): boolean {
  if (miss.kind !== 'type') return true;
  const at = valueAt(miss.value, miss.path);
  if (typeof at === 'object' && at !== null) return true;
  return typeof at === 'string' && !COERCIBLE_TEXT.test(at);
}

function valueAt(value: JsonValue, pointer: string): JsonValue | undefined {
  let node: JsonValue | undefined = value;
  for (const part of pointer.split('/').slice(1)) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) node = node[Number(key)];
    else if (isPlainObject(node)) node = node[key];
    else return undefined;
  }
  return node;
}
