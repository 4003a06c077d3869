/**
 * Arguments that break a tool's own `inputSchema` in one plain way each (a required property
 * left out, a value of the wrong type, a value outside an enum), for the input-validation
 * checks. Every candidate is confirmed invalid by the schema itself, so a tool whose schema
 * accepts anything (empty or permissive) yields none: it cannot be sent invalid input.
 */
import { isPlainObject } from '../../transport/codec.js';
import type { JsonObject, JsonValue } from '../../transport/jsonrpc.js';
import type { ProtocolVersion } from '../../spec/versions.js';
import { compileSchema, conforms } from '../json-schema.js';

export interface InvalidArguments {
  /** What was broken, for the transcript: `required "city" left out`. */
  how: string;
  args: JsonObject;
  /** The schema's own complaint about `args`. */
  complaint: string;
}

/**
 * Values no validating library coerces into the named type: an object is never a string, number
 * or boolean (unlike "5" or "yes", which lax validators turn into 5 or true).
 */
const WRONG_TYPE: Readonly<Record<string, JsonValue>> = {
  string: { mcpcert: 'not a string' },
  number: { mcpcert: 'not a number' },
  integer: { mcpcert: 'not an integer' },
  boolean: { mcpcert: 'not a boolean' },
  object: 'mcpcert: not an object',
  array: 'mcpcert: not an array',
};

const OUTSIDE_ENUM = 'mcpcert-not-in-the-enum';

function candidates(schema: JsonObject, valid: JsonObject): { how: string; args: JsonObject }[] {
  const out: { how: string; args: JsonObject }[] = [];
  const required = Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === 'string') : [];
  const present = required.find((name) => name in valid);
  if (present !== undefined) {
    const { [present]: _left, ...rest } = valid;
    out.push({ how: `required property ${JSON.stringify(present)} left out`, args: rest });
  }
  const properties = isPlainObject(schema.properties) ? schema.properties : {};
  const typed = Object.entries(properties).find(([, p]) => isPlainObject(p) && typeof p.type === 'string' && Object.hasOwn(WRONG_TYPE, p.type));
  if (typed !== undefined) {
    const [name, property] = typed as [string, JsonObject];
    const type = property.type as string;
    out.push({ how: `property ${JSON.stringify(name)} (type ${type}) given ${JSON.stringify(WRONG_TYPE[type])}`, args: { ...valid, [name]: WRONG_TYPE[type]! } });
  }
  const enumerated = Object.entries(properties).find(([, p]) => isPlainObject(p) && Array.isArray(p.enum) && p.enum.length > 0 && !p.enum.includes(OUTSIDE_ENUM));
  if (enumerated !== undefined) {
    const [name] = enumerated;
    out.push({ how: `property ${JSON.stringify(name)} given ${JSON.stringify(OUTSIDE_ENUM)}, outside its enum`, args: { ...valid, [name]: OUTSIDE_ENUM } });
  }
  return out;
}

/**
 * Up to three argument objects that `inputSchema` rejects, each made from the schema-valid
 * `valid` by one change. Empty when the schema cannot be compiled or rejects none of them.
 */
export function invalidArgumentsFor(inputSchema: JsonValue | undefined, valid: JsonObject, version: ProtocolVersion): InvalidArguments[] {
  if (!isPlainObject(inputSchema)) return [];
  const compiled = compileSchema(inputSchema, version);
  if (!compiled.ok) return [];
  const confirmed: InvalidArguments[] = [];
  for (const candidate of candidates(inputSchema, valid)) {
    const verdict = conforms(compiled.validate, candidate.args);
    if (!verdict.ok) confirmed.push({ ...candidate, complaint: verdict.summary });
  }
  return confirmed;
}
