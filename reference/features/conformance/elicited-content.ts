/**
 * Checks the `content` of an accepted elicitation against the flat form schema the server sent
 * (ELIC-041: servers SHOULD validate received data against the requested schema). A fixture
 * reports a mismatch instead of echoing data it never asked for.
 */
import type { JsonObject, JsonValue } from '../../../transport/jsonrpc.js';

function isObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The allowed values of an enum property: `enum`, or the `const`s of `oneOf` / `anyOf`. */
function allowedValues(schema: JsonObject): JsonValue[] | undefined {
  if (Array.isArray(schema.enum)) return schema.enum;
  const titled = Array.isArray(schema.oneOf) ? schema.oneOf : Array.isArray(schema.anyOf) ? schema.anyOf : undefined;
  return titled?.filter(isObject).map((option) => option.const ?? null);
}

function checkNumberBounds(name: string, value: number, schema: JsonObject, issues: string[]): void {
  if (typeof schema.minimum === 'number' && value < schema.minimum) issues.push(`${name} is below its minimum ${schema.minimum}`);
  if (typeof schema.maximum === 'number' && value > schema.maximum) issues.push(`${name} is above its maximum ${schema.maximum}`);
}

function checkString(name: string, value: string, schema: JsonObject, issues: string[]): void {
  const allowed = allowedValues(schema);
  if (allowed && !allowed.includes(value)) issues.push(`${name} must be one of ${JSON.stringify(allowed)}, got ${JSON.stringify(value)}`);
  if (typeof schema.minLength === 'number' && value.length < schema.minLength) issues.push(`${name} is shorter than ${schema.minLength}`);
  if (typeof schema.maxLength === 'number' && value.length > schema.maxLength) issues.push(`${name} is longer than ${schema.maxLength}`);
}

function checkArray(name: string, value: JsonValue[], schema: JsonObject, issues: string[]): void {
  const items = isObject(schema.items) ? allowedValues(schema.items) : undefined;
  for (const item of value) {
    if (typeof item !== 'string') issues.push(`${name} must hold strings, got ${JSON.stringify(item)}`);
    else if (items && !items.includes(item)) issues.push(`${name} must only hold ${JSON.stringify(items)}, got ${JSON.stringify(item)}`);
  }
  if (typeof schema.minItems === 'number' && value.length < schema.minItems) issues.push(`${name} needs at least ${schema.minItems} items`);
  if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) issues.push(`${name} allows at most ${schema.maxItems} items`);
}

function checkProperty(name: string, value: JsonValue, schema: JsonObject, issues: string[]): void {
  switch (schema.type) {
    case 'string':
      if (typeof value === 'string') checkString(name, value, schema, issues);
      else issues.push(`${name} must be a string`);
      return;
    case 'integer':
      if (typeof value === 'number' && Number.isInteger(value)) checkNumberBounds(name, value, schema, issues);
      else issues.push(`${name} must be an integer`);
      return;
    case 'number':
      if (typeof value === 'number') checkNumberBounds(name, value, schema, issues);
      else issues.push(`${name} must be a number`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') issues.push(`${name} must be a boolean`);
      return;
    case 'array':
      if (Array.isArray(value)) checkArray(name, value, schema, issues);
      else issues.push(`${name} must be an array`);
      return;
    default:
      issues.push(`${name} has a schema type this fixture does not know`);
  }
}

/** Every way `content` departs from `requestedSchema`; empty when it conforms. */
export function elicitedContentIssues(requestedSchema: JsonObject, content: JsonObject): string[] {
  const issues: string[] = [];
  const properties = isObject(requestedSchema.properties) ? requestedSchema.properties : {};
  for (const [name, value] of Object.entries(content)) {
    const schema = properties[name];
    if (!isObject(schema)) issues.push(`${name} was not requested`);
    else checkProperty(name, value, schema, issues);
  }
  const required = Array.isArray(requestedSchema.required) ? requestedSchema.required : [];
  for (const name of required) if (typeof name === 'string' && !(name in content)) issues.push(`${name} is required`);
  return issues;
}
