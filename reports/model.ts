/**
 * The result model every reporter renders (DESIGN.md "Reports", "Machine-readable outputs").
 * Conformance and chaos produce it; reporters never learn how a result was obtained, so this
 * module imports nothing but JSON types. reports/report.schema.json describes the same shape
 * and every report written is valid against it.
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** pass; fail (a MUST the target broke); warn (a SHOULD or MAY it broke); skip (with a reason); error (we could not judge). */
export const CHECK_STATUSES = ['pass', 'fail', 'warn', 'skip', 'error'] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

export const CHECK_LEVELS = ['MUST', 'SHOULD', 'MAY'] as const;
export type CheckLevel = (typeof CHECK_LEVELS)[number];

export type TransportName = 'stdio' | 'http' | 'sse' | 'ws' | 'tcp';

/** What the HTTP layer showed for one exchange (lower-cased header names). */
export interface HttpRecord {
  method: string;
  url: string;
  status?: number;
  requestHeaders?: Record<string, string>;
  headers?: Record<string, string>;
  /** A (clipped) body, for exchanges that carry no JSON-RPC message we could decode. */
  body?: string;
}

/**
 * One line of a transcript. `sent`/`received` are messages and HTTP answers; `local` entries
 * are what the harness noticed (an unusable frame, a closed connection, a stderr line, a note).
 */
export interface TranscriptEntry {
  /** Milliseconds since the check started. */
  atMs: number;
  direction: 'sent' | 'received' | 'local';
  kind: 'message' | 'raw' | 'http' | 'frame-error' | 'stderr' | 'close' | 'note';
  /** Which connection of the check, e.g. `#1` (a check may open several). */
  connection?: string;
  /** The JSON-RPC message as sent or received, when it fits the evidence limit. */
  message?: JsonValue;
  /** Raw or clipped text: an unusable frame, an oversized message, a stderr line, a note. */
  text?: string;
  http?: HttpRecord;
}

export interface FailureRecord {
  message: string;
  expected?: string;
  observed?: string;
}

export interface Evidence {
  /** Every expectation the target missed, in order; the result's `message` is the first. */
  failures: FailureRecord[];
  transcript: TranscriptEntry[];
  /** Transcript entries left out to bound the report (a flooding target). */
  transcriptDropped: number;
}

/** How to replay a failure by hand. */
export interface Repro {
  /** The mcpcert command that re-runs just this check. */
  command: string;
  /** The exact JSON-RPC message (or raw text) that exposed the failure. */
  request?: JsonValue;
  /** A ready curl line, for HTTP targets. */
  curl?: string;
  /** A shell line feeding the messages to a stdio or TCP target. */
  shell?: string;
  /** A property failure's seed and shrink path: `--seed` and `--path` replay its minimal counterexample. */
  seed?: number;
  path?: string;
  counterexample?: JsonValue;
}

export interface CheckResult {
  check: string;
  title: string;
  transport: TransportName;
  protocolVersion: string;
  level: CheckLevel;
  requirements: string[];
  status: CheckStatus;
  message: string;
  durationMs: number;
  evidence: Evidence | null;
  repro: Repro | null;
  /** Set when the failure is listed in the --baseline file: it does not fail the run. */
  baseline?: 'known';
}

export interface ServerInfo {
  name: string;
  version: string;
  [key: string]: JsonValue;
}

export interface TargetRecord {
  target: string;
  transport: TransportName;
  protocolVersion: string;
  /** What the target answered to the handshake, when it differs from `protocolVersion`. */
  negotiatedVersion?: string;
  serverInfo: ServerInfo | null;
  /** Why no check could run against it (unreachable, no handshake answer). */
  problem?: string;
}

export interface Summary {
  pass: number;
  fail: number;
  warn: number;
  skip: number;
  error: number;
  total: number;
}

/** A baseline entry that matched no failure in this run: the target now passes it. */
export interface StaleEntry {
  check: string;
  transport?: string;
  protocolVersion?: string;
}

export interface BaselineRecord {
  file: string;
  /** Failures of this run that the baseline lists. */
  known: number;
  stale: StaleEntry[];
}

export interface RunReport {
  tool: { name: string; version: string };
  startedAt: string;
  durationMs: number;
  targets: TargetRecord[];
  summary: Summary;
  results: CheckResult[];
  baseline?: BaselineRecord;
  /** The options the run was made with, as given on the command line. */
  options?: Record<string, JsonValue>;
}
