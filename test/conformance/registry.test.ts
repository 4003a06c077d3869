import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { requirementsFor } from '../../conformance/check.js';
import { CHECKS } from '../../conformance/registry.js';
import { selectChecks } from '../../conformance/select.js';
import { requirement } from '../../spec/catalog.js';

describe('the check registry', () => {
  it('holds each check once, in the file its id names', () => {
    const ids = CHECKS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(existsSync(fileURLToPath(new URL(`../../conformance/checks/${id}.ts`, import.meta.url))), id).toBe(true);
  });

  it('registers every check file (a check left out of its group index would never run)', () => {
    const root = fileURLToPath(new URL('../../conformance/checks/', import.meta.url));
    const files = readdirSync(root, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .flatMap((d) => readdirSync(`${root}/${d.name}`).filter((f) => f.endsWith('.ts') && f !== 'index.ts').map((f) => `${d.name}/${f.slice(0, -3)}`));
    expect(files.sort()).toEqual(CHECKS.map((c) => c.id).sort());
  });

  it('names only requirement ids of the catalog, each with a level no stronger than the catalog row', () => {
    for (const check of CHECKS) {
      for (const id of check.requirements) {
        const row = requirement(id);
        expect(row, `${check.id} names ${id}`).toBeDefined();
        if (check.level === 'MUST') expect(row!.level.startsWith('MUST'), `${check.id} is MUST but ${id} is ${row!.level}`).toBe(true);
      }
    }
  });

  it('gives every version it applies to at least one requirement of that version', () => {
    for (const check of CHECKS) for (const v of check.versions) expect(requirementsFor(check, v).length, `${check.id} at ${v}`).toBeGreaterThan(0);
  });

  it('selects by check-id glob, requirement id and level', () => {
    expect(selectChecks(CHECKS, ['lifecycle/*'], 'all').every((c) => c.group === 'lifecycle')).toBe(true);
    expect(selectChecks(CHECKS, ['LIFE-009'], 'all').map((c) => c.id)).toEqual(['lifecycle/version-echo']);
    expect(selectChecks(CHECKS, ['*origin-forbidden*,lifecycle/ping'], 'all').map((c) => c.id).sort()).toEqual(['http/origin-forbidden', 'lifecycle/ping']);
    expect(selectChecks(CHECKS, [], 'must').every((c) => c.level === 'MUST')).toBe(true);
    expect(selectChecks(CHECKS, [], 'should').some((c) => c.level === 'SHOULD')).toBe(true);
    expect(selectChecks(CHECKS, ['nothing/matches'], 'all')).toEqual([]);
  });
});
