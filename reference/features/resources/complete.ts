/** Completion values from a fixed list, shared by templates and prompts. */

/** The spec's cap on values in one completion result (COMP-002). */
export const MAX_COMPLETION_VALUES = 100;

/**
 * The candidates starting with `prefix` (case-insensitively), in list order, at most 100.
 * A prefix longer than any candidate simply matches nothing.
 */
export function prefixMatches(candidates: readonly string[], prefix: string): string[] {
  const wanted = prefix.toLowerCase();
  const out: string[] = [];
  for (const candidate of candidates) {
    if (!candidate.toLowerCase().startsWith(wanted)) continue;
    out.push(candidate);
    if (out.length === MAX_COMPLETION_VALUES) break;
  }
  return out;
}
