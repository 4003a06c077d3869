/**
 * Validation of values against the official MCP schema types, one compiled validator per
 * (version, definition), with errors reduced to the few that explain the failure.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { explainErrors, type ValidationIssue } from './explain.js';
import { getDefinition, schemaDocument } from './schemas.js';
import { definitionsKey, schemaDialect, type ProtocolVersion } from './versions.js';

export type { ValidationIssue } from './explain.js';

export type ValidationResult = { ok: true } | { ok: false; errors: ValidationIssue[]; summary: string };

/** Either Ajv class; which one depends on the revision's dialect. */
export type McpAjv = Ajv | Ajv2020;

interface VersionValidators {
  readonly ajv: McpAjv;
  readonly compiled: Map<string, ValidateFunction>;
}

const perVersion = new Map<ProtocolVersion, VersionValidators>();

function schemaKey(version: ProtocolVersion): string {
  return `mcp-${version}`;
}

function createAjv(version: ProtocolVersion): McpAjv {
  const options = {
    // The explanation step needs every failing branch of an anyOf and the data/schema
    // at each error; neither costs anything while values are valid.
    allErrors: true,
    verbose: true,
    // The official schemas use `"type": ["string", "integer"]` (RequestId, ProgressToken);
    // without this, strict mode prints a warning per use on stderr.
    allowUnionTypes: true,
    strict: true,
    // The official schemas are fixed data; checking them against the meta-schema compiles the
    // meta-schema too (~60 ms per Ajv instance), paid by every short-lived stdio server child.
    validateSchema: false,
  };
  const ajv: McpAjv = schemaDialect(version) === 'draft-07' ? new Ajv(options) : new Ajv2020(options);
  // The schemas use the formats uri, uri-template and byte.
  addFormats.default(ajv);
  ajv.addSchema(schemaDocument(version) as unknown as Record<string, unknown>, schemaKey(version));
  return ajv;
}

function validatorsOf(version: ProtocolVersion): VersionValidators {
  let entry = perVersion.get(version);
  if (entry === undefined) {
    entry = { ajv: createAjv(version), compiled: new Map() };
    perVersion.set(version, entry);
  }
  return entry;
}

/**
 * The Ajv instance holding that revision's schema: `Ajv` (draft-07) up to 2025-06-18,
 * `Ajv2020` from 2025-11-25. Created once per version.
 */
export function ajvFor(version: ProtocolVersion): McpAjv {
  return validatorsOf(version).ajv;
}

export function hasDefinition(version: ProtocolVersion, name: string): boolean {
  return getDefinition(version, name) !== undefined;
}

/**
 * The compiled validator for one definition, compiled on first use and then reused.
 * @throws Error if the revision has no such definition (a programming error, not bad input).
 */
export function validatorFor(version: ProtocolVersion, definitionName: string): ValidateFunction {
  const entry = validatorsOf(version);
  const cached = entry.compiled.get(definitionName);
  if (cached !== undefined) return cached;
  if (!hasDefinition(version, definitionName)) {
    throw new Error(`the ${version} MCP schema has no definition named "${definitionName}"`);
  }
  const ref = `${schemaKey(version)}#/${definitionsKey(version)}/${definitionName}`;
  const fn = entry.ajv.getSchema(ref);
  if (fn === undefined) throw new Error(`cannot compile ${ref}`);
  entry.compiled.set(definitionName, fn);
  return fn;
}

function rawErrors(version: ProtocolVersion, definitionName: string, value: unknown): ErrorObject[] {
  const fn = validatorFor(version, definitionName);
  if (fn(value)) return [];
  // Copy: Ajv reuses fn.errors on the next call, and explaining validates again.
  return [...(fn.errors ?? [])];
}

/**
 * Validates `value` against `definitionName` of that revision's schema (e.g. `JSONRPCMessage`,
 * `InitializeResult`). `value` is JSON data as decoded from the wire (no cycles). Never throws
 * for bad values; `errors` are the reduced, deepest-first issues and `summary` names at most
 * three of them.
 * @throws Error only if the revision has no such definition.
 */
export function validate(version: ProtocolVersion, definitionName: string, value: unknown): ValidationResult {
  const errors = rawErrors(version, definitionName, value);
  if (errors.length === 0) return { ok: true };
  const issues = explainErrors(errors, {
    definition: (name) => getDefinition(version, name),
    revalidate: (name, sub) => rawErrors(version, name, sub),
  });
  return { ok: false, errors: issues, summary: summarize(issues) };
}

const SUMMARY_ISSUES = 3;

function summarize(issues: readonly ValidationIssue[]): string {
  const shown = issues.slice(0, SUMMARY_ISSUES).map((i) => `${i.path === '' ? '(root)' : i.path} ${i.message}`);
  const more = issues.length - shown.length;
  return more > 0 ? `${shown.join('; ')}; and ${more} more` : shown.join('; ');
}
