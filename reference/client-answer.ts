/**
 * Checks what a client answered to a server→client request against the official schema of
 * the negotiated version, with one correction: `schema.json` narrows ElicitResult content
 * numbers to `integer`, while the normative `schema.ts` says `number` and form fields may be
 * `type: "number"` (e.g. a default of 95.5). Non-integer numbers in `content` are therefore
 * checked as if they were integers; everything else is checked as published.
 */
import { validate, type ValidationResult } from '../spec/validate.js';
import type { ProtocolVersion } from '../spec/versions.js';
import type { JsonObject, JsonValue } from '../transport/jsonrpc.js';
import { isPlainObject } from '../transport/codec.js';

export function checkClientAnswer(version: ProtocolVersion, definition: string, answer: JsonObject): ValidationResult {
  if (definition !== 'ElicitResult' || !isPlainObject(answer.content)) return validate(version, definition, answer);
  const content: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(answer.content)) content[key] = typeof value === 'number' && Number.isFinite(value) ? Math.trunc(value) : value;
  return validate(version, definition, { ...answer, content });
}
