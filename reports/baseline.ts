/**
 * `--baseline FILE`: failures a team already knows about. A failure listed there does not fail
 * the run; an entry whose checks now all pass is reported as stale, so the list shrinks as the
 * server improves. The file is a JSON report of an earlier run (its failures, warnings and
 * errors are the known ones) or a plain array of `{check, transport?, protocolVersion?}`.
 */
import { readFile } from 'node:fs/promises';
import type { BaselineRecord, CheckResult, StaleEntry } from './model.js';

export class BaselineError extends Error {
  override readonly name = 'BaselineError';
  readonly code = 'MCPCERT_ERR_BASELINE';
}

const NOT_PASSING = new Set(['fail', 'warn', 'error']);

function entryOf(value: unknown, where: string): StaleEntry {
  const o = value as Record<string, unknown> | null;
  if (typeof o !== 'object' || o === null || typeof o.check !== 'string') throw new BaselineError(`${where}: each entry needs a "check" string`);
  const entry: StaleEntry = { check: o.check };
  if (typeof o.transport === 'string') entry.transport = o.transport;
  if (typeof o.protocolVersion === 'string') entry.protocolVersion = o.protocolVersion;
  return entry;
}

/** @throws BaselineError when the text is neither a report nor an entry array. */
export function parseBaseline(text: string, file: string): StaleEntry[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new BaselineError(`${file} is not JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (Array.isArray(value)) return value.map((v, i) => entryOf(v, `${file}[${i}]`));
  const results = (value as { results?: unknown } | null)?.results;
  if (Array.isArray(results)) {
    return results
      .filter((r) => typeof r === 'object' && r !== null && NOT_PASSING.has(String((r as { status?: unknown }).status)))
      .map((r, i) => entryOf(r, `${file} results[${i}]`));
  }
  throw new BaselineError(`${file} is neither an mcpcert JSON report nor an array of {check, transport?, protocolVersion?}`);
}

/** @throws BaselineError when the file cannot be read or parsed. */
export async function loadBaseline(file: string): Promise<StaleEntry[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new BaselineError(`cannot read the baseline ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return parseBaseline(text, file);
}

function matches(entry: StaleEntry, r: CheckResult): boolean {
  return entry.check === r.check && (entry.transport === undefined || entry.transport === r.transport) && (entry.protocolVersion === undefined || entry.protocolVersion === r.protocolVersion);
}

/**
 * Marks the results the baseline knows (`baseline: 'known'`), in place, and names the stale
 * entries: those whose matching results all passed. An entry matching nothing that ran (a
 * check not selected this time) is neither.
 */
export function applyBaseline(results: CheckResult[], entries: readonly StaleEntry[], file: string): BaselineRecord {
  let known = 0;
  for (const r of results) {
    if (!NOT_PASSING.has(r.status)) continue;
    if (entries.some((e) => matches(e, r))) {
      r.baseline = 'known';
      known += 1;
    }
  }
  const stale = entries.filter((e) => {
    const ran = results.filter((r) => matches(e, r) && r.status !== 'skip');
    return ran.length > 0 && ran.every((r) => r.status === 'pass');
  });
  return { file, known, stale: stale.map((e) => ({ ...e })) };
}
