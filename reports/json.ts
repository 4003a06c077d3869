/** The JSON reporter: the complete run record, as reports/report.schema.json describes it. */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { RunReport } from './model.js';

export function renderJson(report: RunReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** Writes the report to `file`, creating its directory. Rejects with the fs error when it cannot. */
export async function writeJsonReport(report: RunReport, file: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, renderJson(report), 'utf8');
}
