/**
 * Generates spec/catalog/requirements.json from the requirement tables of the spec digest
 * (§E.1 for 2025-11-25, §E.2 for 2026-07-28).
 *
 *   npx tsx scripts/generate-catalog.ts [DIGEST]     (default: ../shared/spec-digest.md)
 *
 * Every table row must parse: a malformed row stops the run with its line number, because a
 * silently skipped requirement is a hole in the suite nobody would notice.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  REQUIREMENT_BINDS,
  REQUIREMENT_LEVELS,
  TESTABILITY,
  catalogFile,
  type CatalogSource,
  type CatalogVersion,
  type Requirement,
  type RequirementCatalog,
} from '../spec/catalog.js';
import { packageRoot } from '../spec/paths.js';
import { parseSameAs } from '../spec/same-as.js';

interface Part {
  readonly version: CatalogVersion;
  /** Heading that opens the part. */
  readonly heading: string;
  readonly columns: readonly string[];
  readonly idPattern: RegExp;
}

const BASE_COLUMNS = ['ID', 'Level', 'Binds', 'Requirement (paraphrase)', 'Where', 'Test'];

const PARTS: readonly Part[] = [
  { version: '2025-11-25', heading: '### E.1 ', columns: BASE_COLUMNS, idPattern: /^(?<prefix>[A-Z]+)-\d{3}$/ },
  {
    version: '2026-07-28',
    heading: '### E.2 ',
    columns: [...BASE_COLUMNS, 'Same as (E.1)'],
    idPattern: /^(?<prefix>M-[A-Z]+)-\d{3}$/,
  },
];

const SECTION_HEADING = /^#### (?<section>.+?) — .+$/;
const SEPARATOR = /^\|(?:\s*:?-+:?\s*\|)+$/;

export class DigestParseError extends Error {
  override readonly name = 'DigestParseError';
  constructor(
    readonly file: string,
    readonly line: number,
    detail: string,
  ) {
    super(`${file}:${line}: ${detail}`);
  }
}

function splitRow(line: string): string[] {
  // Cells may escape a pipe as `\|`; none do today, but splitting on it would shift columns.
  const cells = line.split(/(?<!\\)\|/).map((c) => c.trim().replaceAll('\\|', '|'));
  return cells.slice(1, -1);
}

function oneOf<T extends string>(values: readonly T[], v: string, what: string, fail: (m: string) => never): T {
  if ((values as readonly string[]).includes(v)) return v as T;
  return fail(`${what} "${v}" is not one of ${values.join(', ')}`);
}

function findLine(lines: readonly string[], predicate: (l: string) => boolean, from: number, what: string, file: string): number {
  const i = lines.findIndex((l, n) => n >= from && predicate(l));
  if (i < 0) throw new DigestParseError(file, from + 1, `cannot find ${what}`);
  return i;
}

function parsePart(lines: readonly string[], start: number, end: number, part: Part, file: string): Requirement[] {
  const out: Requirement[] = [];
  const seen = new Set<string>();
  let section: string | undefined;
  let sectionRows = 0;
  let sectionLine = 0;
  // 'none' → between tables; 'header' → header read, separator expected; 'rows' → in a table.
  let table: 'none' | 'header' | 'rows' = 'none';

  const closeSection = (): void => {
    if (section !== undefined && sectionRows === 0) {
      throw new DigestParseError(file, sectionLine, `section "${section}" has no requirement rows`);
    }
  };

  for (let n = start + 1; n < end; n++) {
    const line = lines[n] as string;
    const fail = (detail: string): never => {
      throw new DigestParseError(file, n + 1, detail);
    };
    if (line.startsWith('#')) {
      closeSection();
      const m = SECTION_HEADING.exec(line);
      if (m?.groups?.section === undefined) fail(`unexpected heading inside the catalog: ${line}`);
      section = m?.groups?.section as string;
      sectionRows = 0;
      sectionLine = n + 1;
      table = 'none';
      continue;
    }
    if (!line.startsWith('|')) {
      table = 'none';
      continue;
    }
    if (section === undefined) fail('table row before any "#### SECTION — title" heading');
    if (table === 'none') {
      const header = splitRow(line);
      if (header.join('|') !== part.columns.join('|')) fail(`table header is not | ${part.columns.join(' | ')} |`);
      table = 'header';
      continue;
    }
    if (table === 'header') {
      if (!SEPARATOR.test(line)) fail('expected the table separator row after the header');
      table = 'rows';
      continue;
    }
    const cells = splitRow(line);
    if (cells.length !== part.columns.length) fail(`row has ${cells.length} cells, expected ${part.columns.length}`);
    const [id = '', level = '', binds = '', text = '', where = '', test = '', sameAs = ''] = cells;
    const idMatch = part.idPattern.exec(id);
    if (idMatch?.groups?.prefix === undefined) fail(`id "${id}" does not look like ${part.idPattern.source}`);
    // Ids start with their section's prefix; SEC also holds SECX-* (rules added to the
    // 2025-11-25 docs after the tag), hence a prefix match rather than equality.
    const prefix = idMatch?.groups?.prefix as string;
    if (!(section as string).split(' / ').some((s) => prefix.startsWith(s))) fail(`id "${id}" does not belong to section "${section}"`);
    if (seen.has(id)) fail(`duplicate id "${id}"`);
    if (text === '') fail(`${id} has no requirement text`);
    if (where === '') fail(`${id} has no "Where" source`);
    if (sameAs !== '') {
      try {
        parseSameAs(sameAs);
      } catch (e) {
        fail(`${id}: ${(e as Error).message}`);
      }
    }
    seen.add(id);
    sectionRows++;
    out.push({
      id,
      level: oneOf(REQUIREMENT_LEVELS, level, `${id} level`, fail),
      binds: oneOf(REQUIREMENT_BINDS, binds, `${id} binds`, fail),
      testable: oneOf(TESTABILITY, test, `${id} test`, fail),
      text,
      source: where,
      section: section as string,
      ...(sameAs === '' ? {} : { sameAs }),
    });
  }
  closeSection();
  return out;
}

/** The spec commit the digest names in its opening paragraph. */
function specCommitOf(text: string, file: string): string {
  const m = /snapshot of `main` at commit\s+`([0-9a-f]{40})`/.exec(text);
  if (m?.[1] === undefined) throw new DigestParseError(file, 1, 'cannot find the spec commit ("snapshot of `main` at commit `…`")');
  return m[1];
}

/**
 * Parses the digest text into the catalog.
 * @throws DigestParseError (with file and line) on any malformed heading, table or row.
 */
export function parseDigest(text: string, file: string): RequirementCatalog {
  const lines = text.split(/\r?\n/);
  const starts = PARTS.map((p) => findLine(lines, (l) => l.startsWith(p.heading), 0, `the "${p.heading.trim()}" heading`, file));
  const last = starts[starts.length - 1] as number;
  const end = findLine(lines, (l) => l.startsWith('## '), last + 1, 'the heading after the last catalog part', file);
  const versions = {} as Record<CatalogVersion, Requirement[]>;
  PARTS.forEach((part, i) => {
    const start = starts[i] as number;
    const stop = i + 1 < starts.length ? (starts[i + 1] as number) : end;
    versions[part.version] = parsePart(lines, start, stop, part, file);
  });
  const source: CatalogSource = {
    digest: basename(file),
    digestSha256: createHash('sha256').update(text).digest('hex'),
    specRepository: 'modelcontextprotocol/modelcontextprotocol',
    specCommit: specCommitOf(text, file),
    generator: 'scripts/generate-catalog.ts',
  };
  return { source, versions };
}

function main(argv: readonly string[]): void {
  const digestFile = resolve(argv[0] ?? join(packageRoot(), '..', 'shared', 'spec-digest.md'));
  const catalog = parseDigest(readFileSync(digestFile, 'utf8'), digestFile);
  const out = catalogFile();
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(catalog, null, 2)}\n`);
  const counts = Object.entries(catalog.versions).map(([v, list]) => `${v}: ${list.length}`);
  process.stdout.write(`wrote ${out} (${counts.join(', ')})\n`);
}

const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(resolve(entry)).href) {
  try {
    main(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`generate-catalog: ${(e as Error).message}\n`);
    process.exitCode = 1;
  }
}
