/**
 * The normative requirement catalog (spec digest §E), as generated into
 * spec/catalog/requirements.json by scripts/generate-catalog.ts. Check ids name these
 * requirement ids; reports and `mcpcert requirements` list them.
 */
import { readFileSync } from 'node:fs';
import { dataPath } from './paths.js';
import { parseSameAs, type SameAsReference } from './same-as.js';
import type { ProtocolVersion } from './versions.js';

export const REQUIREMENT_LEVELS = ['MUST', 'MUST NOT', 'SHOULD', 'SHOULD NOT'] as const;
export type RequirementLevel = (typeof REQUIREMENT_LEVELS)[number];

/** Which party the rule binds; `AS` is the OAuth authorization server (§E.0). */
export const REQUIREMENT_BINDS = ['server', 'client', 'both', 'AS', 'client+AS'] as const;
export type RequirementBinds = (typeof REQUIREMENT_BINDS)[number];

/** `S` observable against a server, `C` against a client, `S/C` both, `-` not from the wire. */
export const TESTABILITY = ['S', 'C', 'S/C', '-'] as const;
export type Testability = (typeof TESTABILITY)[number];

/** The two revisions the digest catalogues; the older ones borrow 2025-11-25's catalog. */
export const CATALOG_VERSIONS = ['2025-11-25', '2026-07-28'] as const;
export type CatalogVersion = (typeof CATALOG_VERSIONS)[number];

export interface Requirement {
  /** Stable project id: `LIFE-003` (2025-11-25) or `M-VER-002` (2026-07-28). */
  readonly id: string;
  readonly level: RequirementLevel;
  readonly binds: RequirementBinds;
  readonly testable: Testability;
  /** The digest's paraphrase of the rule. */
  readonly text: string;
  /** The "Where" column: spec page and heading, or a schema.ts doc comment. */
  readonly source: string;
  /** The digest subsection, as in §F: `BASE`, `TRN / STDIO`, `M-HTTP` … */
  readonly section: string;
  /** 2026-07-28 only, as written: `BASE-002`, `≈BASE-005 (relaxed)`, `≠RES-006 (was −32002)`. */
  readonly sameAs?: string;
}

export interface CatalogSource {
  /** File name of the digest the catalog was generated from. */
  readonly digest: string;
  readonly digestSha256: string;
  readonly specRepository: string;
  /** Commit of the specification repository the digest was read from. */
  readonly specCommit: string;
  readonly generator: string;
}

export interface RequirementCatalog {
  readonly source: CatalogSource;
  readonly versions: Readonly<Record<CatalogVersion, readonly Requirement[]>>;
}

interface Loaded {
  readonly catalog: RequirementCatalog;
  readonly byId: ReadonlyMap<string, Requirement>;
}

let loaded: Loaded | undefined;

export function catalogFile(): string {
  return dataPath('spec', 'catalog', 'requirements.json');
}

function isOneOf<T extends string>(values: readonly T[], v: unknown): v is T {
  return typeof v === 'string' && (values as readonly string[]).includes(v);
}

/** A hand-edited or stale file must fail here, not produce checks citing garbage. */
function checkRequirement(r: unknown, where: string): Requirement {
  const o = r as Record<string, unknown> | null;
  const ok =
    typeof o === 'object' &&
    o !== null &&
    typeof o.id === 'string' &&
    isOneOf(REQUIREMENT_LEVELS, o.level) &&
    isOneOf(REQUIREMENT_BINDS, o.binds) &&
    isOneOf(TESTABILITY, o.testable) &&
    typeof o.text === 'string' &&
    typeof o.source === 'string' &&
    typeof o.section === 'string' &&
    (o.sameAs === undefined || typeof o.sameAs === 'string');
  if (!ok) throw new Error(`${catalogFile()}: malformed requirement at ${where}: ${JSON.stringify(r)}`);
  return Object.freeze(o as unknown as Requirement);
}

function load(): Loaded {
  const file = catalogFile();
  const raw = JSON.parse(readFileSync(file, 'utf8')) as { source?: CatalogSource; versions?: Record<string, unknown> };
  const byId = new Map<string, Requirement>();
  const versions = {} as Record<CatalogVersion, readonly Requirement[]>;
  for (const v of CATALOG_VERSIONS) {
    const list = raw.versions?.[v];
    if (!Array.isArray(list)) throw new Error(`${file}: no requirement list for ${v}`);
    versions[v] = Object.freeze(
      list.map((r: unknown, i) => {
        const req = checkRequirement(r, `versions["${v}"][${i}]`);
        if (byId.has(req.id)) throw new Error(`${file}: duplicate requirement id ${req.id}`);
        byId.set(req.id, req);
        return req;
      }),
    );
  }
  if (raw.source === undefined) throw new Error(`${file}: no "source" provenance`);
  return { catalog: Object.freeze({ source: raw.source, versions: Object.freeze(versions) }), byId };
}

function state(): Loaded {
  loaded ??= load();
  return loaded;
}

/** The whole catalog with its provenance (read from disk once). */
export function requirementCatalog(): RequirementCatalog {
  return state().catalog;
}

/**
 * The catalog that applies to a revision. The digest catalogues only 2025-11-25 and
 * 2026-07-28; 2024-11-05, 2025-03-26 and 2025-06-18 are judged by the 2025-11-25 catalog,
 * so a check must still declare (via its `versions`) which of those rules existed then —
 * e.g. the tasks, icons and URL-elicitation rows are 2025-11-25 additions.
 */
export function catalogVersionFor(version: ProtocolVersion): CatalogVersion {
  return version === '2026-07-28' ? '2026-07-28' : '2025-11-25';
}

/**
 * Requirements of the catalog that applies to `version` (see catalogVersionFor); with no
 * version, every requirement of both catalogs, 2025-11-25 first.
 */
export function requirements(version?: ProtocolVersion): readonly Requirement[] {
  const { versions } = requirementCatalog();
  if (version === undefined) return [...versions['2025-11-25'], ...versions['2026-07-28']];
  return versions[catalogVersionFor(version)];
}

/** A requirement by id from either catalog (ids never collide: the modern ones start with `M-`). */
export function requirement(id: string): Requirement | undefined {
  return state().byId.get(id);
}

/** A hard rule (MUST / MUST NOT) on the server side that a black-box test can observe. */
export function isServerObservableHard(r: Requirement): boolean {
  return (
    (r.level === 'MUST' || r.level === 'MUST NOT') &&
    (r.binds === 'server' || r.binds === 'both') &&
    (r.testable === 'S' || r.testable === 'S/C')
  );
}

/** The parsed Same-as reference of a 2026-07-28 requirement; undefined when it is new. */
export function sameAsReference(r: Requirement): SameAsReference | undefined {
  return r.sameAs === undefined ? undefined : parseSameAs(r.sameAs);
}
