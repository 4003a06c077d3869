/** Completion values from a fixed list, shared by templates and prompts. */

/**
 * Every candidate starting with `prefix` (case-insensitively), in list order. Not capped: the
 * engine keeps the first 100 (COMP-002) and reports the rest through `total` and `hasMore`.
 */
export function prefixMatches(candidates: readonly string[], prefix: string): string[] {
  const wanted = prefix.toLowerCase();
  return candidates.filter((candidate) => candidate.toLowerCase().startsWith(wanted));
}
