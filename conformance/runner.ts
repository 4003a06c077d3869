/**
 * Runs the suite: for each target, negotiate the versions to test, then every selected check
 * that applies, each bounded by the per-check timeout, and turn what each check saw into a
 * result (reports/model.ts). Targets run concurrently; the checks of one target one after
 * another, so a stdio target never has more than a few processes at once.
 */
import { LATEST_HANDSHAKE_VERSION, type ProtocolVersion } from '../spec/versions.js';
import type { CheckResult, CheckStatus, RunReport, TargetRecord, TransportName } from '../reports/model.js';
import { summarize } from '../reports/summary.js';
import { appliesTo, requirementsFor, type Check, type PropertySettings } from './check.js';
import { declares, RunningCheck, SkipSignal, type Unit } from './context.js';
import { CheckTimeoutError, messageOf } from './errors.js';
import { negotiate, type VersionMode } from './negotiate.js';
import { Recorder } from './record.js';
import { buildRepro } from './repro.js';
import { describeTarget, type Target } from './target.js';

export const DEFAULT_TIMEOUT_MS = 10_000;

export interface RunOptions {
  targets: readonly Target[];
  checks: readonly Check[];
  protocolVersion: VersionMode;
  /** Per-check timeout; requests and handshakes are bounded by it too. */
  timeoutMs: number;
  tool: { name: string; version: string };
  onResult?: (result: CheckResult) => void;
  onTarget?: (target: TargetRecord) => void;
  options?: RunReport['options'];
  /** Keep the transcript of passing and skipped checks too (default: only of the others). */
  keepAllEvidence?: boolean;
  /** Seed, replay path and effort of property checks (default: a random seed, their own effort). */
  property?: Partial<PropertySettings>;
}

export interface RunOutcome {
  report: RunReport;
  /** True when no target could be started or reached at all (exit code 3). */
  unreachable: boolean;
}

/** Extra time a check gets beyond its budget, so its own request timeouts fire first (with better messages). */
const GRACE_MS = 500;

function statusOf(check: Check, failed: boolean): CheckStatus {
  if (!failed) return 'pass';
  return check.level === 'MUST' ? 'fail' : 'warn';
}

function failureMessage(ctx: RunningCheck): string {
  const [first] = ctx.failures;
  if (first === undefined) return '';
  const more = ctx.failures.length - 1;
  return more > 0 ? `${first.message} (and ${more} more)` : first.message;
}

async function runCheck(check: Check, unit: Unit, transport: TransportName, keepAllEvidence: boolean): Promise<CheckResult> {
  const started = Date.now();
  const base = { check: check.id, title: check.title, transport, protocolVersion: unit.version, level: check.level, requirements: requirementsFor(check, unit.version) };
  const missing = (check.needs ?? []).filter((path) => !declares(unit.serverCapabilities, path));
  if (missing.length > 0) {
    return { ...base, status: 'skip', message: `the target does not declare the ${missing.join(', ')} capabilit${missing.length > 1 ? 'ies' : 'y'}`, durationMs: 0, evidence: null, repro: null };
  }
  const recorder = new Recorder(started);
  const ctx = new RunningCheck(check, unit, recorder);
  const budgetMs = unit.timeoutMs * (check.timeoutFactor ?? 1);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), budgetMs + GRACE_MS);
  });
  const running = check.run(ctx).then(() => 'done' as const);
  // If the deadline wins, the check still settles later; its outcome no longer matters.
  running.catch(() => undefined);
  let status: CheckStatus;
  let message: string;
  try {
    const outcome = await Promise.race([running, deadline]);
    if (outcome === 'timeout') {
      const error = new CheckTimeoutError(budgetMs + GRACE_MS);
      ctx.abort(error.message);
      [status, message] = ctx.failures.length > 0 ? [statusOf(check, true), `${failureMessage(ctx)}; then ${error.message}`] : ['error', error.message];
    } else if (ctx.failures.length > 0) {
      [status, message] = [statusOf(check, true), failureMessage(ctx)];
    } else if (recorder.received === 0) {
      // Nothing passes on zero evidence (DESIGN.md "Checks").
      [status, message] = ['error', 'the check observed no message from the target, so it cannot pass'];
    } else {
      [status, message] = ['pass', ''];
    }
  } catch (err) {
    if (err instanceof SkipSignal) [status, message] = ['skip', err.message];
    else if (ctx.failures.length > 0) [status, message] = [statusOf(check, true), `${failureMessage(ctx)}; then the check stopped: ${messageOf(err)}`];
    else [status, message] = ['error', messageOf(err)];
    recorder.note(`check ended: ${messageOf(err)}`);
  } finally {
    clearTimeout(timer);
  }
  await ctx.finish();
  const result: CheckResult = { ...base, status, message, durationMs: Date.now() - started, evidence: null, repro: null };
  const judged = status === 'fail' || status === 'warn' || status === 'error';
  if (judged || keepAllEvidence) {
    result.evidence = {
      failures: ctx.failures.map((f) => ({ message: f.message, ...(f.expected === undefined ? {} : { expected: f.expected }), ...(f.observed === undefined ? {} : { observed: f.observed }) })),
      transcript: recorder.entries,
      transcriptDropped: recorder.dropped,
    };
  }
  if (judged) {
    const failure = ctx.failures[0];
    result.repro = buildRepro({ target: unit.target, check: check.id, version: unit.version, transcript: recorder.entries, ...(failure ? { failure } : {}) });
  }
  return result;
}

/** Every applicable check ends as `error` with one reason: the target was not usable. */
function errorsFor(checks: readonly Check[], target: Target, version: ProtocolVersion, reason: string, recorder: Recorder): CheckResult[] {
  const transport = target.kind;
  return checks
    .filter((c) => appliesTo(c, version, transport))
    .map((c) => ({
      check: c.id,
      title: c.title,
      transport,
      protocolVersion: version,
      level: c.level,
      requirements: requirementsFor(c, version),
      status: 'error' as const,
      message: reason,
      durationMs: 0,
      evidence: { failures: [], transcript: recorder.entries, transcriptDropped: recorder.dropped },
      repro: { command: `mcpcert test ${describeTarget(target)} --protocol-version ${version}` },
    }));
}

/** A 401 on the handshake most often means the user has a token and did not pass it. */
function authHint(reason: string): string {
  return /\b401\b/.test(reason) ? " (the target requires authorization: pass a token with --header 'Authorization: Bearer TOKEN')" : '';
}

/**
 * Checks run at once per target × version. A stdio lane costs a server process, so stdio has
 * fewer; every lane opens its own session, which a target must serve side by side anyway. A
 * run with few units (one target, one version) gets more lanes, up to its share of the
 * run-wide limit: its checks mostly wait on the target, and would otherwise leave the CPU idle.
 */
function laneCount(transport: TransportName, unitsInRun: number): number {
  const base = transport === 'stdio' ? 3 : 10;
  const most = transport === 'stdio' ? 6 : 24;
  return Math.max(base, Math.min(most, Math.floor(MAX_RUNNING_CHECKS / Math.max(1, unitsInRun))));
}

/**
 * Checks running at once over the whole run. Past this, targets × versions × lanes would only
 * queue on the CPU (the embedded server shares this process), and waits would turn into timeouts.
 */
const MAX_RUNNING_CHECKS = 32;

/** A counting semaphore: at most `size` tasks run; the others wait their turn in order. */
class Slots {
  #free: number;
  readonly #waiting: (() => void)[] = [];
  constructor(size: number) {
    this.#free = size;
  }
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#free > 0) this.#free -= 1;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#free += 1;
    }
  }
}

interface TargetOutcome {
  records: TargetRecord[];
  results: CheckResult[];
  unreachable: boolean;
}

async function runTarget(target: Target, options: RunOptions, slots: Slots, property: PropertySettings): Promise<TargetOutcome> {
  const clientInfo = { name: options.tool.name, version: options.tool.version };
  const probe = await negotiate(target, options.protocolVersion, { timeoutMs: options.timeoutMs, clientInfo });
  const label = describeTarget(target);
  if (probe.kind !== 'ok') {
    const version = probe.kind === 'failed' ? probe.version : options.protocolVersion === 'all' || options.protocolVersion === 'auto' ? LATEST_HANDSHAKE_VERSION : options.protocolVersion;
    const record: TargetRecord = { target: label, transport: target.kind, protocolVersion: version, serverInfo: null, problem: `${probe.reason}${authHint(probe.reason)}` };
    options.onTarget?.(record);
    const results = errorsFor(options.checks, target, version, probe.kind === 'unreachable' ? `the target could not be reached: ${probe.reason}` : `no check could run: ${probe.reason}${authHint(probe.reason)}`, probe.recorder);
    results.forEach((r) => options.onResult?.(r));
    return { records: [record], results, unreachable: probe.kind === 'unreachable' };
  }
  // Each version the target accepts is an independent unit with its own session: they run at
  // once, and their results are kept in version order.
  const units = await Promise.all(
    probe.units.map(async (negotiated) => {
      const record: TargetRecord = { target: label, transport: target.kind, protocolVersion: negotiated.version, serverInfo: negotiated.serverInfo };
      if (negotiated.negotiatedVersion !== undefined) record.negotiatedVersion = negotiated.negotiatedVersion;
      options.onTarget?.(record);
      negotiated.session.recorder = undefined;
      const unit: Unit = {
        target,
        transport: target.kind,
        version: negotiated.version,
        serverCapabilities: negotiated.capabilities,
        serverInfo: negotiated.serverInfo,
        timeoutMs: options.timeoutMs,
        clientInfo,
        shared: negotiated.session,
        // Labels #1… went to the negotiation's connections; the checks' count on from here.
        connections: { count: 10 },
        property,
      };
      if (negotiated.handshake !== undefined) unit.handshake = negotiated.handshake;
      const applicable = options.checks.filter((check) => appliesTo(check, unit.version, unit.transport));
      const results: (CheckResult | undefined)[] = new Array(applicable.length);
      // Checks mostly wait on the target (slow tools, settle windows, timeouts), so a unit runs
      // them in lanes: each lane has its own shared session, and a check has its lane's session
      // to itself while it runs, as it would in a serial run. Results keep registry order.
      const lanes: Unit[] = Array.from({ length: Math.min(laneCount(unit.transport, options.targets.length * probe.units.length), Math.max(1, applicable.length)) }, (_, i) => (i === 0 ? unit : { ...unit, shared: undefined }));
      // Long checks (a larger time budget says so) start first, so none is left alone at the end.
      const order = applicable.map((_, i) => i).sort((a, b) => (applicable[b]!.timeoutFactor ?? 1) - (applicable[a]!.timeoutFactor ?? 1));
      let next = 0;
      try {
        await Promise.all(
          lanes.map(async (lane) => {
            while (next < order.length) {
              const index = order[next++]!;
              const result = await slots.run(() => runCheck(applicable[index]!, lane, target.kind, options.keepAllEvidence === true));
              results[index] = result;
              options.onResult?.(result);
            }
          }),
        );
      } finally {
        await Promise.all(lanes.map((lane) => lane.shared?.close()));
      }
      return { record, results: results.filter((r): r is CheckResult => r !== undefined) };
    }),
  );
  const records = units.map((u) => u.record);
  const results = units.flatMap((u) => u.results);
  return { records, results, unreachable: false };
}

/** The run's seed is drawn once, so every property check of the run can be replayed with it. */
function propertySettings(given: Partial<PropertySettings> = {}): PropertySettings {
  const settings: PropertySettings = { seed: given.seed ?? Math.floor(Math.random() * 0x7fffffff) };
  if (given.path !== undefined) settings.path = given.path;
  if (given.runs !== undefined) settings.runs = given.runs;
  return settings;
}

/** Runs the whole suite; never throws for anything a target does. */
export async function runSuite(options: RunOptions): Promise<RunOutcome> {
  const startedAt = new Date();
  const slots = new Slots(MAX_RUNNING_CHECKS);
  const property = propertySettings(options.property);
  const outcomes = await Promise.all(options.targets.map((t) => runTarget(t, options, slots, property)));
  const results = outcomes.flatMap((o) => o.results);
  const report: RunReport = {
    tool: { ...options.tool },
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    targets: outcomes.flatMap((o) => o.records),
    summary: summarize(results),
    results,
  };
  report.options = { ...options.options, seed: property.seed };
  return { report, unreachable: outcomes.length > 0 && outcomes.every((o) => o.unreachable) };
}
