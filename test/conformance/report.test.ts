/** The report side of a run: the JSON file and its schema, the console text, the baseline. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyBaseline, BaselineError, parseBaseline } from '../../reports/baseline.js';
import { renderConsole, renderProgress } from '../../reports/console.js';
import { writeJsonReport } from '../../reports/json.js';
import type { CheckResult, RunReport } from '../../reports/model.js';
import { isClean, summarize } from '../../reports/summary.js';
import { reportProblems } from './report-schema.js';

function result(check: string, status: CheckResult['status'], extra: Partial<CheckResult> = {}): CheckResult {
  return { check, title: `title of ${check}`, transport: 'tcp', protocolVersion: '2025-11-25', level: status === 'warn' ? 'SHOULD' : 'MUST', requirements: ['LIFE-009'], status, message: status === 'pass' ? '' : `${check} went wrong`, durationMs: 3, evidence: null, repro: null, ...extra };
}

/** A fixed run record: one of each status, a failure with evidence and a hostile message. */
function fixedReport(): RunReport {
  const results = [
    result('lifecycle/ping', 'pass'),
    result('lifecycle/version-echo', 'fail', {
      message: 'answered "2025-06-18"\u001b[31m with an escape',
      evidence: { failures: [{ message: 'answered', expected: 'protocolVersion "2025-11-25"', observed: 'protocolVersion "2025-06-18"' }], transcript: [{ atMs: 1, direction: 'sent', kind: 'message', connection: '#1', message: { jsonrpc: '2.0', id: 1, method: 'initialize' } }, { atMs: 2, direction: 'received', kind: 'http', http: { method: 'POST', url: 'http://x/mcp', status: 200, headers: { 'content-type': 'application/json' } } }], transcriptDropped: 0 },
      repro: { command: 'mcpcert test tcp://127.0.0.1:1 --only lifecycle/version-echo --protocol-version 2025-11-25', shell: "printf '%s\\n' '{}' | nc 127.0.0.1 1" },
    }),
    result('tools/names', 'warn'),
    result('tools/list-valid', 'skip', { message: 'the target does not declare the tools capability' }),
    result('base/parse-error', 'error', { message: 'timed out after 300 ms waiting for the response to ping (id 3)' }),
  ];
  return { tool: { name: 'mcpcert', version: '0.1.0' }, startedAt: '2026-01-01T00:00:00.000Z', durationMs: 1234, targets: [{ target: 'tcp://127.0.0.1:1', transport: 'tcp', protocolVersion: '2025-11-25', serverInfo: { name: 'mini', version: '1' } }], summary: summarize(results), results };
}

const dir = mkdtempSync(join(tmpdir(), 'mcpcert-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the JSON report', () => {
  it('is written as the schema describes it and reads back the same', async () => {
    const report = fixedReport();
    const file = join(dir, 'nested', 'report.json');
    await writeJsonReport(report, file);
    const back = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    expect(back).toEqual(report);
    expect(reportProblems(back)).toEqual([]);
  });

  it('is refused by the schema when a required field is missing or a status is unknown', () => {
    const { summary: _summary, ...noSummary } = fixedReport();
    expect(reportProblems(noSummary).join()).toMatch(/summary/);
    const bad = fixedReport();
    (bad.results[0] as { status: string }).status = 'ok';
    expect(reportProblems(bad).length).toBeGreaterThan(0);
  });
});

describe('the console reporter', () => {
  it('shows failures with evidence and rerun lines, then the summary table', () => {
    const text = renderConsole(fixedReport(), { ci: false });
    expect(text).toMatch(/^FAIL  lifecycle\/version-echo \[tcp 2025-11-25\]  MUST LIFE-009$/m);
    expect(text).toContain('expected: protocolVersion "2025-11-25"');
    expect(text).toContain('rerun: mcpcert test tcp://127.0.0.1:1 --only lifecycle/version-echo');
    expect(text).toMatch(/^WARN  tools\/names/m);
    expect(text).toMatch(/^ERROR  base\/parse-error/m);
    expect(text).toMatch(/^tcp 2025-11-25 +1 +1 +1 +1 +1 +5$/m);
    expect(text).toMatch(/^all +1 +1 +1 +1 +1 +5$/m);
  });

  it('never passes terminal control characters from the target through', () => {
    const text = renderConsole(fixedReport(), { ci: false });
    expect(text).not.toContain('\u001b');
    expect(text).toContain('answered "2025-06-18"?[31m with an escape');
  });

  it('in CI prints no progress and no warnings detail, only failures, errors and the summary', () => {
    const report = fixedReport();
    expect(report.results.map((r) => renderProgress(r, { ci: true }))).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(renderProgress(report.results[1]!, { ci: false })).toMatch(/^FAIL  lifecycle\/version-echo \[tcp 2025-11-25\]: /);
    const text = renderConsole(report, { ci: true });
    expect(text).toMatch(/^FAIL  lifecycle\/version-echo/m);
    expect(text).not.toMatch(/^WARN/m);
    expect(text).not.toMatch(/^servers:/m);
  });
});

describe('the baseline', () => {
  it('reads a report (its non-passing results) or an entry array, and refuses anything else', () => {
    expect(parseBaseline(JSON.stringify(fixedReport()), 'r.json').map((e) => e.check)).toEqual(['lifecycle/version-echo', 'tools/names', 'base/parse-error']);
    expect(parseBaseline('[{"check":"a/b","transport":"tcp"}]', 'b.json')).toEqual([{ check: 'a/b', transport: 'tcp' }]);
    expect(() => parseBaseline('{"x":1}', 'x.json')).toThrow(BaselineError);
    expect(() => parseBaseline('[{"transport":"tcp"}]', 'y.json')).toThrow(/needs a "check"/);
    expect(() => parseBaseline('not json', 'z.json')).toThrow(/is not JSON/);
  });

  it('marks known failures so the run is clean, and reports entries that now pass as stale', () => {
    const report = fixedReport();
    expect(isClean(report.results)).toBe(false);
    const record = applyBaseline(report.results, [{ check: 'lifecycle/version-echo' }, { check: 'base/parse-error', protocolVersion: '2025-11-25' }, { check: 'lifecycle/ping' }, { check: 'not/run' }, { check: 'tools/list-valid' }], 'b.json');
    expect(record).toEqual({ file: 'b.json', known: 2, stale: [{ check: 'lifecycle/ping' }] });
    expect(report.results.filter((r) => r.baseline === 'known').map((r) => r.check)).toEqual(['lifecycle/version-echo', 'base/parse-error']);
    expect(isClean(report.results)).toBe(true);
  });

  it('does not match an entry for another transport or version', () => {
    const report = fixedReport();
    const record = applyBaseline(report.results, [{ check: 'lifecycle/version-echo', transport: 'http' }, { check: 'base/parse-error', protocolVersion: '2026-07-28' }], 'b.json');
    expect(record.known).toBe(0);
    expect(isClean(report.results)).toBe(false);
  });
});
