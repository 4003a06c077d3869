/**
 * The console reporter: a line per notable result while running, then the failures with their
 * evidence and a summary table. In CI (`ci: true`) only the failures and the summary.
 * A pure function of the result model; all target-supplied text goes through `plain`.
 */
import type { CheckResult, RunReport, Summary, TranscriptEntry } from './model.js';

export interface ConsoleOptions {
  /** CI mode: no progress, no warnings detail. */
  ci: boolean;
  /** Transcript lines shown per failure (the JSON report has them all). */
  transcriptLines?: number;
}

const LABEL: Readonly<Record<CheckResult['status'], string>> = { pass: 'PASS', fail: 'FAIL', warn: 'WARN', skip: 'SKIP', error: 'ERROR' };

/** Target text made safe for a terminal: no control characters (escape sequences), bounded length. */
export function plain(text: string, max = 400): string {
  // eslint-disable-next-line no-control-regex
  const cleaned = text.replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, '?').replace(/\n/g, ' ⏎ ');
  return cleaned.length > max ? `${cleaned.slice(0, max)}…` : cleaned;
}

function where(r: CheckResult): string {
  return `[${r.transport} ${r.protocolVersion}]`;
}

/** One line for a result worth seeing as it happens (not a pass, not a skip); undefined otherwise. */
export function renderProgress(result: CheckResult, options: ConsoleOptions): string | undefined {
  if (options.ci || result.status === 'pass' || result.status === 'skip') return undefined;
  const known = result.baseline === 'known' ? ' (known, in baseline)' : '';
  return `${LABEL[result.status].padEnd(5)} ${result.check} ${where(result)}${known}: ${plain(result.message, 200)}\n`;
}

function entryLine(e: TranscriptEntry): string {
  const arrow = e.direction === 'sent' ? '→' : e.direction === 'received' ? '←' : '·';
  const http = e.http ? `${e.http.method} ${e.http.status ?? ''} `.trimEnd() + ' ' : '';
  const body = e.message !== undefined ? JSON.stringify(e.message) : (e.text ?? e.http?.body ?? '');
  return `${String(e.atMs).padStart(6)}ms ${e.connection ?? ''} ${arrow} ${e.kind === 'message' ? '' : `${e.kind} `}${http}${plain(body, 160)}`;
}

function detail(r: CheckResult, options: ConsoleOptions): string {
  const lines = [`${LABEL[r.status]}  ${r.check} ${where(r)}  ${r.level}${r.requirements.length > 0 ? ` ${r.requirements.join(', ')}` : ''}${r.baseline === 'known' ? '  (known, in baseline)' : ''}`, `      ${plain(r.message, 600)}`];
  const first = r.evidence?.failures[0];
  if (first?.expected !== undefined) lines.push(`      expected: ${plain(first.expected, 300)}`);
  if (first?.observed !== undefined) lines.push(`      observed: ${plain(first.observed, 300)}`);
  const transcript = r.evidence?.transcript ?? [];
  const shown = options.transcriptLines ?? 6;
  if (transcript.length > 0 && shown > 0) {
    lines.push(`      transcript (last ${Math.min(shown, transcript.length)} of ${transcript.length + (r.evidence?.transcriptDropped ?? 0)}):`);
    for (const e of transcript.slice(-shown)) lines.push(`        ${entryLine(e)}`);
  }
  if (r.repro) {
    lines.push(`      rerun: ${r.repro.command}`);
    if (r.repro.curl) lines.push(`      curl:  ${plain(r.repro.curl, 2000)}`);
    if (r.repro.shell) lines.push(`      shell: ${plain(r.repro.shell, 2000)}`);
  }
  return `${lines.join('\n')}\n`;
}

function row(cells: string[], widths: number[]): string {
  return cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
}

function summaryTable(report: RunReport): string {
  const groups = new Map<string, Summary>();
  for (const t of report.targets) groups.set(`${t.transport} ${t.protocolVersion}`, { pass: 0, fail: 0, warn: 0, skip: 0, error: 0, total: 0 });
  for (const r of report.results) {
    const key = `${r.transport} ${r.protocolVersion}`;
    const s = groups.get(key) ?? { pass: 0, fail: 0, warn: 0, skip: 0, error: 0, total: 0 };
    s[r.status] += 1;
    s.total += 1;
    groups.set(key, s);
  }
  const header = ['target', 'pass', 'fail', 'warn', 'skip', 'error', 'total'];
  const body = [...groups].map(([k, s]) => [k, String(s.pass), String(s.fail), String(s.warn), String(s.skip), String(s.error), String(s.total)]);
  const t = report.summary;
  const total = ['all', String(t.pass), String(t.fail), String(t.warn), String(t.skip), String(t.error), String(t.total)];
  const widths = header.map((h, i) => Math.max(h.length, ...[...body, total].map((r) => r[i]!.length)));
  return [row(header, widths), ...body.map((r) => row(r, widths)), row(total, widths)].join('\n') + '\n';
}

/** The end-of-run text: failures (and warnings and errors outside CI) in detail, then the summary. */
export function renderConsole(report: RunReport, options: ConsoleOptions): string {
  const out: string[] = [];
  // A target that could not be reached gets one line, not one error per check.
  const broken = new Set(report.targets.filter((t) => t.problem !== undefined).map((t) => `${t.transport} ${t.protocolVersion}`));
  const shown = report.results.filter((r) => !broken.has(`${r.transport} ${r.protocolVersion}`) && (r.status === 'fail' || r.status === 'error' || (!options.ci && r.status === 'warn')));
  if (shown.length > 0) out.push('', ...shown.map((r) => detail(r, options)));
  for (const t of report.targets) {
    if (t.problem === undefined) continue;
    const unjudged = report.results.filter((r) => r.transport === t.transport && r.protocolVersion === t.protocolVersion).length;
    out.push(`target ${t.target} (${t.transport} ${t.protocolVersion}): ${plain(t.problem, 600)}; ${unjudged} check(s) could not run\n`);
  }
  out.push(summaryTable(report));
  if (report.baseline) {
    out.push(`baseline ${report.baseline.file}: ${report.baseline.known} known failure(s) matched${report.baseline.stale.length > 0 ? `; stale entries (now passing): ${report.baseline.stale.map((s) => [s.check, s.transport, s.protocolVersion].filter(Boolean).join(' ')).join(', ')}` : ''}\n`);
  }
  const servers = report.targets.filter((t) => t.serverInfo).map((t) => `${t.transport}: ${plain(t.serverInfo!.name, 80)} ${plain(t.serverInfo!.version, 40)}`);
  if (servers.length > 0 && !options.ci) out.push(`servers: ${[...new Set(servers)].join('; ')}\n`);
  out.push(`${report.summary.total} results in ${(report.durationMs / 1000).toFixed(1)} s\n`);
  return out.join('\n');
}
