/** `mcpcert test`: the conformance suite against a TARGET, or the embedded reference server. */
import { readFileSync } from 'node:fs';
import { CHECKS } from '../conformance/registry.js';
import { startEmbedded, type Embedded } from '../conformance/embedded.js';
import { TargetSyntaxError } from '../conformance/errors.js';
import type { VersionMode } from '../conformance/negotiate.js';
import { DEFAULT_TIMEOUT_MS, runSuite } from '../conformance/runner.js';
import { LEVEL_FILTERS, selectChecks } from '../conformance/select.js';
import { parseHeader, parseTarget, stdioTarget, type Target } from '../conformance/target.js';
import { applyBaseline, BaselineError, loadBaseline } from '../reports/baseline.js';
import { renderConsole, renderProgress } from '../reports/console.js';
import { writeJsonReport } from '../reports/json.js';
import type { CheckResult, JsonValue, RunReport, StaleEntry, TargetRecord } from '../reports/model.js';
import { isClean, summarize } from '../reports/summary.js';
import { dataPath } from '../spec/paths.js';
import { isProtocolVersion, PROTOCOL_VERSIONS } from '../spec/versions.js';
import { oneOf, parse, str, type ParsedArgs } from './args.js';
import { EXIT, UsageError } from './usage.js';

const REPORT_FORMATS = ['json'] as const;

function strings(parsed: ParsedArgs, name: string): string[] {
  const value = parsed.values[name];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
}

function toolVersion(): string {
  const pkg = JSON.parse(readFileSync(dataPath('package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/** Without --protocol-version: every version for the embedded server (it serves them all), else the newest the target accepts. */
function versionMode(parsed: ParsedArgs, embedded: boolean): VersionMode {
  const value = str(parsed, 'protocol-version');
  if (value === undefined) return embedded ? 'all' : 'auto';
  if (value === 'all' || isProtocolVersion(value)) return value;
  throw new UsageError(`test: --protocol-version must be one of ${PROTOCOL_VERSIONS.join(', ')} or all (got "${value}")`);
}

function timeoutOf(parsed: ParsedArgs): number {
  const text = str(parsed, 'timeout');
  if (text === undefined) return DEFAULT_TIMEOUT_MS;
  const ms = Number(text);
  if (!/^\d+$/.test(text) || ms < 50 || ms > 600_000) throw new UsageError(`test: --timeout must be a number of milliseconds from 50 to 600000 (got "${text}")`);
  return ms;
}

/** `--seed S [--path P]` replays a property failure; `--runs N` sets the effort of every property. */
function propertyOptions(parsed: ParsedArgs): { seed?: number; path?: string; runs?: number } {
  const out: { seed?: number; path?: string; runs?: number } = {};
  const seed = str(parsed, 'seed');
  if (seed !== undefined) {
    if (!/^-?\d+$/.test(seed) || Math.abs(Number(seed)) > 0x7fffffff) throw new UsageError(`test: --seed must be an integer from -2147483647 to 2147483647 (got "${seed}")`);
    out.seed = Number(seed);
  }
  const path = str(parsed, 'path');
  if (path !== undefined) {
    if (!/^\d+(:\d+)*$/.test(path)) throw new UsageError(`test: --path must be a fast-check path such as 0:1:0, as a failure report prints it (got "${path}")`);
    if (out.seed === undefined) throw new UsageError('test: --path replays a failure of one seed: pass its --seed too');
    out.path = path;
  }
  const runs = str(parsed, 'runs');
  if (runs !== undefined) {
    if (!/^\d+$/.test(runs) || Number(runs) < 1 || Number(runs) > 100_000) throw new UsageError(`test: --runs must be an integer from 1 to 100000 (got "${runs}")`);
    out.runs = Number(runs);
  }
  return out;
}

function reportFiles(parsed: ParsedArgs): { json?: string } {
  const files: { json?: string } = {};
  for (const spec of strings(parsed, 'report')) {
    const eq = spec.indexOf('=');
    const format = spec.slice(0, eq);
    if (eq < 1 || eq === spec.length - 1 || !(REPORT_FORMATS as readonly string[]).includes(format)) {
      throw new UsageError(`test: --report must be FORMAT=FILE with FORMAT one of ${REPORT_FORMATS.join(', ')} (got "${spec}"; junit and html are not built yet)`);
    }
    files.json = spec.slice(eq + 1);
  }
  return files;
}

/** The TARGET from the positionals: `--stdio -- CMD…`, `stdio:CMD ARGS…`, a URL, or none. */
function targetOf(parsed: ParsedArgs): Target | undefined {
  const headers: Record<string, string> = {};
  try {
    for (const h of strings(parsed, 'header')) {
      const [name, value] = parseHeader(h);
      headers[name] = value;
    }
    const [first, ...rest] = parsed.positionals;
    if (parsed.values.stdio === true) {
      if (first === undefined) throw new UsageError('test: --stdio needs a command: mcpcert test --stdio -- COMMAND ARGS…');
      return stdioTarget(first, rest);
    }
    const foreignToken = str(parsed, 'foreign-token');
    if (first === undefined) {
      if (Object.keys(headers).length > 0) throw new UsageError('test: --header needs an HTTP-based TARGET');
      if (foreignToken !== undefined) throw new UsageError('test: --foreign-token needs an HTTP TARGET');
      return undefined;
    }
    if (foreignToken !== undefined && !/^[A-Za-z0-9\-._~+/]+=*$/.test(foreignToken)) throw new UsageError('test: --foreign-token must be a bearer token (RFC 6750 b64token characters), without "Bearer "');
    const target = parseTarget(first, { headers, extraArgs: rest, ...(foreignToken === undefined ? {} : { foreignToken }) });
    if (Object.keys(headers).length > 0 && (target.kind === 'stdio' || target.kind === 'tcp')) throw new UsageError(`test: --header applies to http, sse and ws targets, not ${target.kind}`);
    if (foreignToken !== undefined && target.kind !== 'http') throw new UsageError(`test: --foreign-token applies to http targets, not ${target.kind}`);
    return target;
  } catch (err) {
    if (err instanceof TargetSyntaxError) throw new UsageError(`test: ${err.message}`);
    throw err;
  }
}

function optionsRecord(parsed: ParsedArgs, seed?: number): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = seed === undefined ? {} : { seed };
  for (const [name, value] of Object.entries(parsed.values)) {
    // Credentials never reach a report.
    if (value === undefined || name === 'header' || name === 'foreign-token' || name === 'seed') continue;
    out[name] = Array.isArray(value) ? value.map(String) : value;
  }
  return out;
}

export async function runTest(args: string[]): Promise<number> {
  const parsed = parse(
    'test',
    args,
    {
      'protocol-version': { type: 'string' },
      only: { type: 'string', multiple: true },
      level: { type: 'string' },
      timeout: { type: 'string' },
      baseline: { type: 'string' },
      header: { type: 'string', multiple: true },
      'foreign-token': { type: 'string' },
      report: { type: 'string', multiple: true },
      stdio: { type: 'boolean' },
      seed: { type: 'string' },
      path: { type: 'string' },
      runs: { type: 'string' },
    },
    true,
  );
  const level = oneOf(parsed, 'level', LEVEL_FILTERS, 'all');
  const timeoutMs = timeoutOf(parsed);
  const property = propertyOptions(parsed);
  // Drawn here, not in the runner, so that even an interrupted run's report names it.
  property.seed ??= Math.floor(Math.random() * 0x7fffffff);
  const files = reportFiles(parsed);
  const only = strings(parsed, 'only');
  const checks = selectChecks(CHECKS, only, level);
  if (checks.length === 0) throw new UsageError(`test: no check matches --only ${only.join(',')} at --level ${level}`);
  const target = targetOf(parsed);
  const mode = versionMode(parsed, target === undefined);
  const baselineFile = str(parsed, 'baseline');
  let baseline: StaleEntry[] | undefined;
  if (baselineFile !== undefined) {
    try {
      baseline = await loadBaseline(baselineFile);
    } catch (err) {
      if (err instanceof BaselineError) throw new UsageError(`test: ${err.message}`);
      throw err;
    }
  }

  const ci = process.env.CI === 'true' || process.env.CI === '1';
  let embedded: Embedded | undefined;
  let targets: Target[];
  if (target === undefined) {
    try {
      embedded = await startEmbedded();
    } catch (err) {
      process.stderr.write(`mcpcert: test: cannot start the embedded reference server: ${err instanceof Error ? err.message : String(err)}\n`);
      return EXIT.unreachable;
    }
    targets = embedded.targets;
    if (!ci) process.stderr.write(`mcpcert test: no TARGET given, testing the embedded reference server on ${targets.map((t) => t.kind).join(', ')}\n`);
  } else {
    targets = [target];
  }

  const known = (check: string, transport: string, version: string): boolean =>
    baseline?.some((e) => e.check === check && (e.transport === undefined || e.transport === transport) && (e.protocolVersion === undefined || e.protocolVersion === version)) ?? false;
  // Ctrl-C (or a CI runner's SIGTERM) ends the run, but keeps what it found: the results so
  // far go to the console and the JSON report, marked as interrupted.
  const startedAt = new Date();
  const seen: CheckResult[] = [];
  const seenTargets: TargetRecord[] = [];
  const interrupt = (signal: NodeJS.Signals): void => {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
    process.stderr.write(`\nmcpcert test: ${signal}: stopping; reporting the ${seen.length} results so far\n`);
    const partial: RunReport = { tool: { name: 'mcpcert', version: toolVersion() }, startedAt: startedAt.toISOString(), durationMs: Date.now() - startedAt.getTime(), targets: seenTargets, summary: summarize(seen), results: seen, options: { ...optionsRecord(parsed, property.seed), interrupted: signal } };
    process.stdout.write(renderConsole(partial, { ci }));
    const written = files.json === undefined ? Promise.resolve() : writeJsonReport(partial, files.json).catch((err: unknown) => process.stderr.write(`mcpcert: test: cannot write the JSON report ${files.json}: ${err instanceof Error ? err.message : String(err)}\n`));
    const closed = Promise.race([embedded?.close(), new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
    void Promise.all([written, closed]).finally(() => process.exit(EXIT.interrupted));
  };
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);
  let outcome;
  try {
    outcome = await runSuite({
      targets,
      checks,
      protocolVersion: mode,
      timeoutMs,
      property,
      tool: { name: 'mcpcert', version: toolVersion() },
      options: optionsRecord(parsed, property.seed),
      onTarget: (t) => {
        seenTargets.push(t);
        if (!ci) process.stderr.write(`testing ${t.target} (${t.transport}, ${t.protocolVersion}${t.serverInfo ? `, ${t.serverInfo.name} ${t.serverInfo.version}` : ''})\n`);
      },
      onResult: (r) => {
        seen.push(r);
        const line = renderProgress(known(r.check, r.transport, r.protocolVersion) ? { ...r, baseline: 'known' } : r, { ci });
        if (line !== undefined) process.stderr.write(line);
      },
    });
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
    await embedded?.close();
  }
  const { report } = outcome;
  if (baseline !== undefined && baselineFile !== undefined) {
    report.baseline = applyBaseline(report.results, baseline, baselineFile);
    report.summary = summarize(report.results);
  }
  process.stdout.write(renderConsole(report, { ci }));
  if (files.json !== undefined) {
    try {
      await writeJsonReport(report, files.json);
    } catch (err) {
      process.stderr.write(`mcpcert: test: cannot write the JSON report ${files.json}: ${err instanceof Error ? err.message : String(err)}\n`);
      return EXIT.usage;
    }
  }
  if (outcome.unreachable) return EXIT.unreachable;
  return isClean(report.results) ? EXIT.ok : EXIT.failed;
}
