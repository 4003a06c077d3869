/**
 * A check is data plus a function (DESIGN.md "Checks", STYLE.md "Check"): it names the catalog
 * requirements it verifies, its level, the versions and transports it applies to and the server
 * capabilities it needs, and `run(ctx)` talks to the target through `ctx` only.
 */
import type { TransportKind } from '../transport/connection.js';
import type { JsonObject, JsonRpcPayload } from '../transport/jsonrpc.js';
import { PROTOCOL_VERSIONS, type ProtocolVersion } from '../spec/versions.js';
import type { CheckLevel, HttpRecord, JsonValue } from '../reports/model.js';
import type { HttpAnswer, HttpRequestSpec } from './http-probe.js';
import type { Reply, Session } from './session.js';
import type { Target } from './target.js';

export type { CheckLevel } from '../reports/model.js';

export interface CheckDefinition {
  /** `group/kebab-name`, stable once published; the file is conformance/checks/GROUP/NAME.ts. */
  id: string;
  title: string;
  /**
   * Catalog ids (spec/catalog/requirements.json). 2026-07-28 ids start with `M-`; a check that
   * spans both eras lists both, and each result shows the ids of its version's catalog.
   */
  requirements: readonly string[];
  level: CheckLevel;
  versions: readonly ProtocolVersion[];
  transports: readonly TransportKind[] | 'all';
  /** Server capability paths (`tools`, `resources.subscribe`); undeclared → skipped with that reason. */
  needs?: readonly string[];
  /** For checks that make many calls: their time budget is this many per-check timeouts. */
  timeoutFactor?: number;
  run(ctx: CheckContext): Promise<void>;
}

export interface Check extends Readonly<CheckDefinition> {
  readonly group: string;
}

/** What a failure shows besides its message: the expectation, what was seen, and how to replay it. */
/** How property checks draw their inputs (`--seed`, `--path`, `--runs`). */
export interface PropertySettings {
  /** fast-check's seed; one per run, recorded in the report, so any failure can be replayed. */
  seed: number;
  /** Replays this counterexample path of a previous failure (with its seed) instead of searching. */
  path?: string;
  /** Cases per property; undefined leaves each property its own default. */
  runs?: number;
}

export interface FailureDetails {
  expected?: string;
  observed?: string;
  /** The message (or raw text) that exposed the failure; defaults to the last one the check sent. */
  request?: JsonRpcPayload | JsonValue;
  /** For a raw HTTP exchange: replayed as a curl line. */
  http?: HttpRequestSpec;
  /** For a property failure: the seed and shrink path that replay its minimal counterexample. */
  replay?: { seed: number; path: string; counterexample?: JsonValue };
}

export interface CheckContext {
  readonly target: Target;
  readonly transport: TransportKind;
  readonly version: ProtocolVersion;
  readonly era: 'legacy' | 'modern';
  /** What the target declared (initialize result or server/discover). */
  readonly serverCapabilities: JsonObject;
  /** The per-check timeout, in ms; requests default to it. */
  readonly timeoutMs: number;
  /** Seed, replay path and effort for property checks. */
  readonly property: PropertySettings;
  /** Aborted when the check runs out of time. */
  readonly signal: AbortSignal;
  /**
   * A session ready for requests: initialized in the handshake era. Shared by the checks of one
   * target and version unless `fresh` is set; a fresh one is closed when the check ends.
   */
  session(options?: { fresh?: boolean }): Promise<Session>;
  /** A fresh connection with no handshake made (closed when the check ends). */
  connect(): Promise<Session>;
  /**
   * What the target answered to the version negotiation's `initialize` for exactly this
   * version, on a connection of its own, with that exchange copied into this check's
   * transcript; undefined when the negotiation asked for another version (or the era has no
   * handshake). Saves a connection (a process, on stdio) for checks that judge one handshake.
   */
  negotiationHandshake(): Reply | undefined;
  /** A raw HTTP exchange with an HTTP-based target, recorded in the transcript. */
  http(request: HttpRequestSpec): Promise<HttpAnswer>;
  /** Records one side of an HTTP exchange made outside `http()` (a stream held open and read as it comes). */
  recordHttp(direction: 'sent' | 'received', record: HttpRecord): void;
  /** Records a failure when `condition` is false; returns `condition`. */
  expect(condition: boolean, message: string, details?: FailureDetails): boolean;
  fail(message: string, details?: FailureDetails): void;
  /**
   * Validates `value` against a definition of the negotiated version's official schema; a
   * mismatch is a failure naming `what` and the schema's complaint.
   */
  validate(definition: string, value: unknown, what: string, details?: FailureDetails): boolean;
  /** Ends the check as skipped; the reason says what the target did not declare or offer. */
  skip(reason: string): never;
  /** A line in the transcript, e.g. which tool is being called. */
  note(text: string): void;
  hasCapability(path: string): boolean;
  /** How many failures were recorded so far. */
  readonly failureCount: number;
}

const ID = /^[a-z0-9]+(-[a-z0-9]+)*\/[a-z0-9]+(-[a-z0-9]+)*$/;

/** Builds a check once; its metadata is never repeated elsewhere. @throws Error on a malformed id or empty lists. */
export function defineCheck(definition: CheckDefinition): Check {
  if (!ID.test(definition.id)) throw new Error(`check id "${definition.id}" must be group/kebab-name`);
  if (definition.requirements.length === 0) throw new Error(`check ${definition.id} names no requirement`);
  if (definition.versions.length === 0) throw new Error(`check ${definition.id} applies to no version`);
  return Object.freeze({ ...definition, group: definition.id.slice(0, definition.id.indexOf('/')) });
}

/** Version lists for check definitions. */
export const ALL_VERSIONS: readonly ProtocolVersion[] = PROTOCOL_VERSIONS;
export const HANDSHAKE_VERSIONS: readonly ProtocolVersion[] = PROTOCOL_VERSIONS.filter((v) => v !== '2026-07-28');
export const MODERN_VERSIONS: readonly ProtocolVersion[] = ['2026-07-28'];

/** Versions from `first` on, optionally up to `last`. */
export function versionsFrom(first: ProtocolVersion, last?: ProtocolVersion): readonly ProtocolVersion[] {
  return PROTOCOL_VERSIONS.filter((v) => v >= first && (last === undefined || v <= last));
}

/** The ids that apply to a version: `M-` ids for 2026-07-28, the others before it. */
export function requirementsFor(check: Pick<CheckDefinition, 'requirements'>, version: ProtocolVersion): string[] {
  const modern = version === '2026-07-28';
  return check.requirements.filter((id) => id.startsWith('M-') === modern);
}

export function appliesTo(check: Check, version: ProtocolVersion, transport: TransportKind): boolean {
  return check.versions.includes(version) && (check.transports === 'all' || check.transports.includes(transport)) && requirementsFor(check, version).length > 0;
}
