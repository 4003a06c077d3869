/** Validates reports against reports/report.schema.json, the contract of DESIGN.md. */
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { dataPath } from '../../spec/paths.js';

const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats.default(ajv);
const validateFn = ajv.compile(JSON.parse(readFileSync(dataPath('reports', 'report.schema.json'), 'utf8')) as object);

/** The schema's complaints, or an empty list. */
export function reportProblems(report: unknown): string[] {
  if (validateFn(report)) return [];
  return (validateFn.errors ?? []).slice(0, 10).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}
