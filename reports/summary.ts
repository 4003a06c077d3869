/** Counting results: the summary block of a report, and the exit status it implies. */
import type { CheckResult, Summary } from './model.js';

export function summarize(results: readonly CheckResult[]): Summary {
  const summary: Summary = { pass: 0, fail: 0, warn: 0, skip: 0, error: 0, total: results.length };
  for (const r of results) summary[r.status] += 1;
  return summary;
}

/**
 * True when the run is clean for DESIGN.md's exit code 0: no failure and no error outside the
 * baseline. An error counts: a check we could not judge is not a check that passed.
 */
export function isClean(results: readonly CheckResult[]): boolean {
  return results.every((r) => (r.status !== 'fail' && r.status !== 'error') || r.baseline === 'known');
}
