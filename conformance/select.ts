/** Which checks a run includes: `--only GLOB` (check ids or requirement ids) and `--level`. */
import type { Check } from './check.js';

export const LEVEL_FILTERS = ['must', 'should', 'all'] as const;
export type LevelFilter = (typeof LEVEL_FILTERS)[number];

function globToRegExp(glob: string): RegExp {
  const source = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 'i');
}

/**
 * The checks matching any of `only` (globs over the check id or one of its requirement ids,
 * e.g. `lifecycle/*`, `*origin*`, `LIFE-00?`) and the level filter: `must` keeps MUST checks,
 * `should` MUST and SHOULD, `all` everything. An empty `only` keeps all.
 */
export function selectChecks(checks: readonly Check[], only: readonly string[], level: LevelFilter): Check[] {
  const patterns = only.flatMap((o) => o.split(',')).map((o) => o.trim()).filter((o) => o !== '').map(globToRegExp);
  const levels = level === 'must' ? ['MUST'] : level === 'should' ? ['MUST', 'SHOULD'] : ['MUST', 'SHOULD', 'MAY'];
  return checks.filter((c) => levels.includes(c.level) && (patterns.length === 0 || patterns.some((p) => p.test(c.id) || c.requirements.some((r) => p.test(r)))));
}
