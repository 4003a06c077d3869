import { describe, expect, it } from 'vitest';
import { DigestParseError, parseDigest } from '../../scripts/generate-catalog.js';
import {
  CATALOG_VERSIONS,
  catalogVersionFor,
  isServerObservableHard,
  requirement,
  requirementCatalog,
  requirements,
  sameAsReference,
  type CatalogVersion,
  type Requirement,
} from '../../spec/catalog.js';
import { parseSameAs } from '../../spec/same-as.js';
import { PROTOCOL_VERSIONS } from '../../spec/versions.js';

type LevelCounts = [must: number, mustNot: number, should: number, shouldNot: number, total: number];

/** Spec digest §F, transcribed: per-section MUST / MUST NOT / SHOULD / SHOULD NOT / total. */
const DIGEST_F: Record<CatalogVersion, Record<string, LevelCounts>> = {
  '2025-11-25': {
    BASE: [17, 5, 5, 1, 28],
    LIFE: [11, 0, 9, 2, 22],
    'TRN / STDIO': [2, 3, 2, 1, 8],
    HTTP: [22, 3, 18, 1, 44],
    CANCEL: [4, 1, 7, 0, 12],
    PING: [1, 0, 6, 0, 7],
    PROG: [7, 0, 3, 0, 10],
    TASK: [34, 4, 17, 7, 62],
    PAGE: [1, 1, 5, 0, 7],
    LOG: [1, 1, 5, 0, 7],
    COMP: [5, 0, 3, 0, 8],
    TOOL: [8, 0, 13, 1, 22],
    RES: [4, 0, 6, 0, 10],
    PROMPT: [5, 0, 5, 0, 10],
    ROOTS: [4, 0, 4, 0, 8],
    SAMP: [9, 1, 10, 1, 21],
    ELIC: [22, 11, 7, 2, 42],
    AUTH: [38, 5, 16, 0, 59],
    SEC: [12, 4, 4, 0, 20],
  },
  '2026-07-28': {
    'M-BASE': [29, 12, 12, 5, 58],
    'M-VER': [4, 1, 7, 0, 12],
    'M-TRN / M-STDIO': [5, 6, 6, 1, 18],
    'M-HTTP': [38, 4, 12, 1, 55],
    'M-PAT': [10, 7, 5, 0, 22],
    'M-SUB': [2, 2, 3, 0, 7],
    'M-CANCEL': [3, 1, 12, 0, 16],
    'M-PROG': [5, 0, 3, 0, 8],
    'M-CACHE': [5, 3, 6, 1, 15],
    'M-PAGE': [1, 2, 5, 0, 8],
    'M-LOG': [1, 3, 3, 1, 8],
    'M-COMP': [5, 0, 3, 0, 8],
    'M-TOOL': [10, 1, 13, 3, 27],
    'M-RES': [7, 2, 5, 0, 14],
    'M-PROMPT': [5, 1, 4, 0, 10],
    'M-ROOTS': [3, 0, 3, 1, 7],
    'M-SAMP': [11, 1, 7, 3, 22],
    'M-ELIC': [15, 10, 6, 3, 34],
    'M-AUTH': [44, 9, 17, 1, 71],
    'M-SEC': [6, 4, 4, 0, 14],
  },
};

/** §F totals, party bound, testability and server-observable hard requirements. */
const DIGEST_F_TOTALS: Record<CatalogVersion, { rows: number; levels: LevelCounts; binds: Record<string, number>; testable: Record<string, number>; hard: number }> = {
  '2025-11-25': {
    rows: 407,
    levels: [207, 39, 145, 16, 407],
    binds: { server: 145, both: 135, client: 115, AS: 10, 'client+AS': 2 },
    testable: { S: 190, '-': 122, C: 94, 'S/C': 1 },
    hard: 129,
  },
  '2026-07-28': {
    rows: 434,
    levels: [209, 69, 136, 20, 434],
    binds: { server: 194, client: 148, both: 81, AS: 9, 'client+AS': 2 },
    testable: { S: 200, C: 120, '-': 114 },
    hard: 137,
  },
};

function levelCounts(list: readonly Requirement[]): LevelCounts {
  const n = (level: string): number => list.filter((r) => r.level === level).length;
  return [n('MUST'), n('MUST NOT'), n('SHOULD'), n('SHOULD NOT'), list.length];
}

function tally(list: readonly Requirement[], key: 'binds' | 'testable'): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of list) out[r[key]] = (out[r[key]] ?? 0) + 1;
  return out;
}

describe.each(CATALOG_VERSIONS)('requirement catalog %s against digest §F', (version) => {
  const list = requirementCatalog().versions[version];
  const totals = DIGEST_F_TOTALS[version];

  it(`has ${totals.rows} rows with the MUST / MUST NOT / SHOULD / SHOULD NOT split of §F`, () => {
    expect(list).toHaveLength(totals.rows);
    expect(levelCounts(list)).toEqual(totals.levels);
  });

  it('has the per-section counts of §F (a diff here names the section whose table disagrees)', () => {
    const sections = [...new Set(list.map((r) => r.section))];
    const actual = Object.fromEntries(sections.map((s) => [s, levelCounts(list.filter((r) => r.section === s))]));
    expect(actual).toEqual(DIGEST_F[version]);
    expect(sections).toEqual(Object.keys(DIGEST_F[version]));
  });

  it('has the party-bound and testability totals of §F', () => {
    expect(tally(list, 'binds')).toEqual(totals.binds);
    expect(tally(list, 'testable')).toEqual(totals.testable);
  });

  it(`has ${totals.hard} server-observable hard requirements`, () => {
    expect(list.filter(isServerObservableHard)).toHaveLength(totals.hard);
  });

  it('has unique ids in the form of its catalog', () => {
    expect(new Set(list.map((r) => r.id)).size).toBe(list.length);
    const pattern = version === '2026-07-28' ? /^M-[A-Z]+-\d{3}$/ : /^[A-Z]+-\d{3}$/;
    for (const r of list) expect(r.id).toMatch(pattern);
  });

  it('has text and a source on every row', () => {
    for (const r of list) {
      expect(r.text.length, r.id).toBeGreaterThan(0);
      expect(r.source.length, r.id).toBeGreaterThan(0);
    }
  });
});

describe('2026-07-28 Same-as references', () => {
  const modern = requirements('2026-07-28');

  it('name existing 2025-11-25 requirements only', () => {
    const old = new Set(requirements('2025-11-25').map((r) => r.id));
    const dangling: string[] = [];
    for (const r of modern) {
      for (const id of sameAsReference(r)?.ids ?? []) if (!old.has(id)) dangling.push(`${r.id} → ${id}`);
    }
    expect(dangling).toEqual([]);
  });

  it('split into 216 same, 33 changed (≈/≠) and 185 new, as §F says', () => {
    const refs = modern.map(sameAsReference);
    expect(refs.filter((s) => s?.relation === 'same')).toHaveLength(216);
    expect(refs.filter((s) => s !== undefined && s.relation !== 'same')).toHaveLength(33);
    expect(refs.filter((s) => s === undefined)).toHaveLength(185);
  });

  it('appear only in the 2026-07-28 catalog', () => {
    expect(requirements('2025-11-25').filter((r) => r.sameAs !== undefined)).toEqual([]);
  });

  it('keep the cell as written', () => {
    expect(requirement('M-BASE-005')?.sameAs).toBe('≈BASE-005 (relaxed)');
    expect(sameAsReference(requirement('M-BASE-005') as Requirement)).toEqual({ relation: 'changed', ids: ['BASE-005'], note: 'relaxed' });
  });
});

describe('catalog lookups', () => {
  it('maps the three oldest revisions to the 2025-11-25 catalog', () => {
    expect(PROTOCOL_VERSIONS.map(catalogVersionFor)).toEqual(['2025-11-25', '2025-11-25', '2025-11-25', '2025-11-25', '2026-07-28']);
    expect(requirements('2024-11-05')).toBe(requirements('2025-11-25'));
    expect(requirements('2026-07-28')).toHaveLength(434);
  });

  it('returns both catalogs without a version, 2025-11-25 first', () => {
    const all = requirements();
    expect(all).toHaveLength(407 + 434);
    expect(all[0]?.id).toBe('BASE-001');
    expect(all[407]?.id).toBe('M-BASE-001');
  });

  it('finds a requirement by id in either catalog', () => {
    expect(requirement('LIFE-003')).toEqual({
      id: 'LIFE-003',
      level: 'MUST',
      binds: 'server',
      testable: 'S',
      text: 'Answer `initialize` with its own `protocolVersion`, `capabilities` and `serverInfo` (`name`, `version`).',
      source: 'basic/lifecycle § Initialization',
      section: 'LIFE',
    });
    expect(requirement('M-BASE-002')?.sameAs).toBe('BASE-002');
    expect(requirement('LIFE-999')).toBeUndefined();
  });

  it('records the provenance of the catalog', () => {
    const { source } = requirementCatalog();
    expect(source.specCommit).toBe('b0f60ba5409db7a6582440a7b473cc0398890f15');
    expect(source.digest).toBe('spec-digest.md');
    expect(source.digestSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('counts as server-observable hard only MUST/MUST NOT rules on server or both that S or S/C can test', () => {
    const base: Requirement = { id: 'X-001', level: 'MUST', binds: 'server', testable: 'S', text: 't', source: 's', section: 'X' };
    expect(isServerObservableHard(base)).toBe(true);
    expect(isServerObservableHard({ ...base, level: 'MUST NOT', binds: 'both', testable: 'S/C' })).toBe(true);
    expect(isServerObservableHard({ ...base, level: 'SHOULD' })).toBe(false);
    expect(isServerObservableHard({ ...base, binds: 'client' })).toBe(false);
    expect(isServerObservableHard({ ...base, binds: 'AS' })).toBe(false);
    expect(isServerObservableHard({ ...base, testable: 'C' })).toBe(false);
    expect(isServerObservableHard({ ...base, testable: '-' })).toBe(false);
  });
});

describe('parseSameAs', () => {
  it('reads plain, changed and contradicting references with notes', () => {
    expect(parseSameAs('BASE-002')).toEqual({ relation: 'same', ids: ['BASE-002'] });
    expect(parseSameAs('≈BASE-005 (relaxed)')).toEqual({ relation: 'changed', ids: ['BASE-005'], note: 'relaxed' });
    expect(parseSameAs('≠RES-006 (was −32002)')).toEqual({ relation: 'contradicts', ids: ['RES-006'], note: 'was −32002' });
  });

  it('expands lists, bare numbers and ranges', () => {
    expect(parseSameAs('TOOL-001/TOOL-002').ids).toEqual(['TOOL-001', 'TOOL-002']);
    expect(parseSameAs('AUTH-047/048/049').ids).toEqual(['AUTH-047', 'AUTH-048', 'AUTH-049']);
    expect(parseSameAs('SEC-001..SEC-003').ids).toEqual(['SEC-001', 'SEC-002', 'SEC-003']);
    expect(parseSameAs('AUTH-051..054').ids).toEqual(['AUTH-051', 'AUTH-052', 'AUTH-053', 'AUTH-054']);
    expect(parseSameAs('≈TOOL-004/PROMPT-002/RES-002').ids).toEqual(['TOOL-004', 'PROMPT-002', 'RES-002']);
  });

  it('throws on malformed cells', () => {
    for (const cell of ['', 'see above', '047/AUTH-048', 'SEC-003..SEC-001', 'SEC-001..TOOL-003', 'AUTH-1', '≈≈BASE-001']) {
      expect(() => parseSameAs(cell), cell).toThrow(/Same-as cell/);
    }
  });
});

describe('parseDigest (scripts/generate-catalog.ts)', () => {
  const header1 = '| ID | Level | Binds | Requirement (paraphrase) | Where | Test |\n|---|---|---|---|---|---|';
  const header2 = '| ID | Level | Binds | Requirement (paraphrase) | Where | Test | Same as (E.1) |\n|---|---|---|---|---|---|---|';
  const row1 = '| BASE-001 | MUST | both | Do it. | basic/index § A | S |';
  const row2 = '| M-BASE-001 | SHOULD NOT | server | Do not. | basic/index § B | - | ≈BASE-001 |';

  function digest(e1Rows: string, e2Rows = row2): string {
    return [
      '# digest',
      'snapshot of `main` at commit',
      '`b0f60ba5409db7a6582440a7b473cc0398890f15` (2026-08-22)',
      '### E.1 Catalog — 2025-11-25',
      '',
      '#### BASE — base',
      '',
      header1,
      e1Rows,
      '',
      '### E.2 Catalog — 2026-07-28 (current)',
      '',
      'Some prose.',
      '',
      '#### M-BASE — base',
      '',
      header2,
      e2Rows,
      '',
      '## F. Counts',
      '| BASE | 1 |',
    ].join('\n');
  }

  function parseError(text: string): DigestParseError {
    try {
      parseDigest(text, 'digest.md');
    } catch (e) {
      if (e instanceof DigestParseError) return e;
      throw e;
    }
    throw new Error('expected parseDigest to throw');
  }

  it('parses both parts and stops at the next top-level heading', () => {
    const catalog = parseDigest(digest(row1), 'digest.md');
    expect(catalog.versions['2025-11-25']).toEqual([
      { id: 'BASE-001', level: 'MUST', binds: 'both', testable: 'S', text: 'Do it.', source: 'basic/index § A', section: 'BASE' },
    ]);
    expect(catalog.versions['2026-07-28']).toEqual([
      { id: 'M-BASE-001', level: 'SHOULD NOT', binds: 'server', testable: '-', text: 'Do not.', source: 'basic/index § B', section: 'M-BASE', sameAs: '≈BASE-001' },
    ]);
    expect(catalog.source.specCommit).toBe('b0f60ba5409db7a6582440a7b473cc0398890f15');
  });

  it.each([
    ['a missing cell', '| BASE-002 | MUST | both | Do it. | basic/index § A |', /row has 5 cells, expected 6/],
    ['an unknown level', '| BASE-002 | MAY | both | Do it. | w | S |', /level "MAY" is not one of/],
    ['an unknown party', '| BASE-002 | MUST | proxy | Do it. | w | S |', /binds "proxy" is not one of/],
    ['an unknown testability', '| BASE-002 | MUST | both | Do it. | w | X |', /test "X" is not one of/],
    ['a malformed id', '| BASE-2 | MUST | both | Do it. | w | S |', /id "BASE-2" does not look like/],
    ['an id of another section', '| LIFE-001 | MUST | both | Do it. | w | S |', /does not belong to section "BASE"/],
    ['a duplicate id', '| BASE-001 | MUST | both | Again. | w | S |', /duplicate id "BASE-001"/],
    ['an empty requirement', '| BASE-002 | MUST | both |  | w | S |', /has no requirement text/],
  ])('fails loudly on %s, naming the line', (_what, badRow, message) => {
    const e = parseError(digest(`${row1}\n${badRow}`));
    expect(e.message).toMatch(message);
    expect(e.line).toBe(11);
    expect(e.message).toMatch(/^digest\.md:11: /);
  });

  it('fails on a malformed Same-as cell', () => {
    const e = parseError(digest(row1, '| M-BASE-001 | MUST | both | x | w | S | see BASE-001 |'));
    expect(e.message).toMatch(/M-BASE-001: malformed Same-as cell "see BASE-001"/);
  });

  it('fails on a table with a different header', () => {
    const e = parseError(digest(row1).replace('| Where | Test |\n', '| Source | Test |\n'));
    expect(e.message).toMatch(/table header is not/);
  });

  it('fails on a section without rows', () => {
    const text = digest(row1).replace('#### BASE — base', '#### LIFE — lifecycle\n\nNo table here.\n\n#### BASE — base');
    expect(parseError(text).message).toMatch(/section "LIFE" has no requirement rows/);
  });

  it('fails when a catalog part is missing', () => {
    expect(parseError(digest(row1).replace('### E.2', '### E.3')).message).toMatch(/cannot find the "### E.2" heading/);
  });
});
