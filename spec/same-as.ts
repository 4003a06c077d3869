/**
 * The "Same as (E.1)" column of the 2026-07-28 catalog (spec digest §E.0): how a modern
 * requirement relates to 2025-11-25 ones. Written forms seen in the digest: `BASE-002`,
 * `≈BASE-005 (relaxed)`, `≠RES-006 (was −32002)`, `TOOL-001/TOOL-002`, `AUTH-047/048/049`,
 * `SEC-001..SEC-006`, `AUTH-051..054`.
 */

/** `same` = the same rule; `changed` (≈) = same rule, new wording or scope; `contradicts` (≠). */
export type SameAsRelation = 'same' | 'changed' | 'contradicts';

export interface SameAsReference {
  readonly relation: SameAsRelation;
  /** The 2025-11-25 ids referred to, ranges expanded, in written order. */
  readonly ids: readonly string[];
  /** A trailing parenthetical such as `relaxed`, if any. */
  readonly note?: string;
}

const CELL = /^(?<mark>[≈≠])?(?<list>[A-Z0-9./-]+)(?: \((?<note>[^()]+)\))?$/u;
const FULL_ID = /^(?<prefix>[A-Z]+)-(?<num>\d{3})$/;
const NUMBER = /^\d{3}$/;

function parseEnd(text: string, prefix: string, cell: string): number {
  if (NUMBER.test(text)) return Number(text);
  const m = FULL_ID.exec(text);
  if (m?.groups?.prefix !== prefix) throw new Error(`bad range end "${text}" in Same-as cell "${cell}"`);
  return Number(m.groups.num);
}

function formatId(prefix: string, n: number): string {
  return `${prefix}-${String(n).padStart(3, '0')}`;
}

/**
 * Parses one Same-as cell (empty cells mean "new in 2026-07-28" and are not passed here).
 * @throws Error naming the cell when it does not follow the forms above.
 */
export function parseSameAs(cell: string): SameAsReference {
  const m = CELL.exec(cell.trim());
  const list = m?.groups?.list;
  if (m === null || list === undefined) throw new Error(`malformed Same-as cell "${cell}"`);
  const mark = m.groups?.mark;
  const relation: SameAsRelation = mark === '≈' ? 'changed' : mark === '≠' ? 'contradicts' : 'same';
  const ids: string[] = [];
  let prefix: string | undefined;
  for (const item of list.split('/')) {
    const [first = '', last, ...extra] = item.split('..');
    if (extra.length > 0) throw new Error(`malformed range "${item}" in Same-as cell "${cell}"`);
    let start: number;
    const full = FULL_ID.exec(first);
    if (full?.groups !== undefined) {
      prefix = full.groups.prefix as string;
      start = Number(full.groups.num);
    } else if (NUMBER.test(first) && prefix !== undefined) {
      // `AUTH-047/048`: a bare number continues the previous id's prefix.
      start = Number(first);
    } else {
      throw new Error(`malformed id "${item}" in Same-as cell "${cell}"`);
    }
    const end = last === undefined ? start : parseEnd(last, prefix, cell);
    if (end < start) throw new Error(`descending range "${item}" in Same-as cell "${cell}"`);
    for (let n = start; n <= end; n++) ids.push(formatId(prefix, n));
  }
  const note = m.groups?.note;
  return note === undefined ? { relation, ids } : { relation, ids, note };
}
