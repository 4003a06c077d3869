/** `mcpcert requirements`: the requirement catalog, with the checks covering each row. */
import { coverage } from '../conformance/registry.js';
import { isServerObservableHard, requirements, type Requirement } from '../spec/catalog.js';
import { isProtocolVersion, LATEST_HANDSHAKE_VERSION } from '../spec/versions.js';
import { oneOf, parse, str } from './args.js';
import { EXIT, UsageError } from './usage.js';

export interface RequirementRow {
  id: string;
  level: Requirement['level'];
  binds: Requirement['binds'];
  testable: Requirement['testable'];
  text: string;
  checks: string[];
}

/** The ids of the registered checks that name the requirement. */
function checksCovering(id: string): string[] {
  return [...(coverage().get(id) ?? [])];
}

export async function runRequirements(args: string[]): Promise<number> {
  const parsed = parse('requirements', args, {
    'protocol-version': { type: 'string' },
    format: { type: 'string' },
  });
  const version = str(parsed, 'protocol-version') ?? LATEST_HANDSHAKE_VERSION;
  if (!isProtocolVersion(version)) throw new UsageError(`requirements: unknown protocol version "${version}"`);
  const format = oneOf(parsed, 'format', ['table', 'json'] as const, 'table');
  const rows: RequirementRow[] = requirements(version).map((r) => ({
    id: r.id,
    level: r.level,
    binds: r.binds,
    testable: r.testable,
    text: r.text,
    checks: checksCovering(r.id),
  }));
  if (format === 'json') {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return EXIT.ok;
  }
  const covered = rows.filter((r) => r.checks.length > 0).length;
  for (const r of rows) process.stdout.write(`${r.id.padEnd(14)} ${r.level.padEnd(10)} ${r.binds.padEnd(9)} ${r.testable.padEnd(3)} ${r.checks.length > 0 ? r.checks.join(',') : '-'}  ${r.text}\n`);
  const catalog = requirements(version);
  const share = (pick: (r: Requirement) => boolean): string => {
    const picked = catalog.filter(pick);
    return `${picked.filter((r) => checksCovering(r.id).length > 0).length}/${picked.length}`;
  };
  const serverShould = (r: Requirement): boolean => (r.level === 'SHOULD' || r.level === 'SHOULD NOT') && (r.binds === 'server' || r.binds === 'both') && (r.testable === 'S' || r.testable === 'S/C');
  process.stdout.write(`\n${rows.length} requirements for ${version}; ${covered} covered by at least one check.\n`);
  process.stdout.write(`server-observable MUST/MUST NOT covered: ${share(isServerObservableHard)}; server-observable SHOULD/SHOULD NOT covered: ${share(serverShould)}.\n`);
  return EXIT.ok;
}
