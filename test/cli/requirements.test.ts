import { describe, expect, it } from 'vitest';
import { coverage } from '../../conformance/registry.js';
import { requirements } from '../../spec/catalog.js';
import { runCli } from '../helpers/cli.js';

interface Row {
  id: string;
  level: string;
  binds: string;
  testable: string;
  text: string;
  checks: string[];
}

describe('mcpcert requirements', () => {
  it('prints the 2025-11-25 and 2026-07-28 catalogs as JSON rows', async () => {
    for (const [version, rows] of [['2025-11-25', 407], ['2026-07-28', 434]] as const) {
      const res = await runCli(['requirements', '--protocol-version', version, '--format', 'json']);
      expect(res.code, res.stderr).toBe(0);
      const parsed = JSON.parse(res.stdout) as Row[];
      expect(parsed).toHaveLength(rows);
      expect(Object.keys(parsed[0]!).sort()).toEqual(['binds', 'checks', 'id', 'level', 'testable', 'text']);
    }
  });

  it('prints a table with the coverage total the check registry gives', async () => {
    const covered = requirements('2025-11-25').filter((r) => coverage().has(r.id)).length;
    expect(covered).toBeGreaterThan(20);
    const res = await runCli(['requirements']);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^BASE-001 /m);
    expect(res.stdout).toContain(`407 requirements for 2025-11-25; ${covered} covered by at least one check.`);
    expect(res.stdout).toMatch(/^LIFE-009 .* lifecycle\/version-echo /m);
  });

  it('lists the covering checks in the JSON rows', async () => {
    const res = await runCli(['requirements', '--protocol-version', '2026-07-28', '--format', 'json']);
    const rows = JSON.parse(res.stdout) as Row[];
    expect(rows.find((r) => r.id === 'M-VER-001')?.checks).toEqual(['modern/unsupported-version']);
    expect(rows.find((r) => r.id === 'M-BASE-001')?.checks ?? []).toEqual([]);
  });

  it('rejects bad input with exit code 2 and a message', async () => {
    for (const args of [['requirements', '--protocol-version', '1999-01-01'], ['requirements', '--format', 'xml'], ['requirements', '--bogus'], ['nonsense']]) {
      const res = await runCli(args);
      expect(res.code, args.join(' ')).toBe(2);
      expect(res.stderr).toMatch(/^mcpcert: /);
    }
  });

  it('answers --help and --version', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/mcpcert requirements/);
    expect((await runCli(['--version'])).stdout).toMatch(/^mcpcert \d+\.\d+\.\d+/);
  });
});
