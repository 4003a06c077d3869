/**
 * The tasks, progress and cancellation checks: every one passes (or skips with a reason) on the
 * reference server over tcp and http, and each fails against a server broken for its rule.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Check } from '../../conformance/check.js';
import { startEmbedded, type Embedded } from '../../conformance/embedded.js';
import { runSuite } from '../../conformance/runner.js';
import { parseTarget, type Target } from '../../conformance/target.js';
import type { CheckResult } from '../../reports/model.js';
import createTaskResult from '../../conformance/checks/tasks/create-task-result.js';
import getAndResult from '../../conformance/checks/tasks/get-and-result.js';
import unknownTask from '../../conformance/checks/tasks/unknown-task.js';
import requiredWithoutTask from '../../conformance/checks/tasks/required-without-task.js';
import cancelTerminal from '../../conformance/checks/tasks/cancel-terminal.js';
import progressMonotonic from '../../conformance/checks/progress/monotonic.js';
import unknownRequestIgnored from '../../conformance/checks/cancellation/unknown-request-ignored.js';
import { listenMiniTcp } from './fixtures/mini-server.js';
import { listenTasksMini, type TaskMutations } from './fixtures/tasks-server.js';

const TOOL = { name: 'mcpcert', version: '0.0.0-test' };
const CHECKS: readonly Check[] = [createTaskResult, getAndResult, unknownTask, requiredWithoutTask, cancelTerminal, progressMonotonic, unknownRequestIgnored];

function statuses(results: readonly CheckResult[]): Record<string, string> {
  return Object.fromEntries(results.map((r) => [`${r.check}@${r.protocolVersion}`, `${r.status}${r.status === 'pass' ? '' : `: ${r.message}`}`]));
}

describe('against the reference server', () => {
  let embedded: Embedded;
  beforeAll(async () => {
    embedded = await startEmbedded();
  });
  afterAll(async () => {
    await embedded?.close();
  });

  for (const version of ['2025-11-25', '2026-07-28'] as const) {
    it(`passes at ${version} on tcp and http`, async () => {
      const targets = embedded.targets.filter((t) => t.kind === 'tcp' || t.kind === 'http');
      const { report } = await runSuite({ targets, checks: CHECKS, protocolVersion: version, timeoutMs: 5000, tool: TOOL, keepAllEvidence: false });
      const bad = report.results.filter((r) => r.status !== 'pass' && r.status !== 'skip');
      expect(statuses(bad)).toEqual({});
      const passed = report.results.filter((r) => r.status === 'pass').map((r) => r.check);
      if (version === '2025-11-25') {
        for (const id of ['tasks/create-task-result', 'tasks/get-and-result', 'tasks/unknown-task', 'tasks/cancel-terminal', 'progress/monotonic', 'cancellation/unknown-request-ignored']) expect(passed.filter((p) => p === id)).toHaveLength(2);
        // The reference server lists no tool whose taskSupport is "required".
        expect(report.results.filter((r) => r.check === 'tasks/required-without-task').map((r) => r.status)).toEqual(['skip', 'skip']);
      } else {
        expect(passed.sort()).toEqual(['cancellation/unknown-request-ignored', 'cancellation/unknown-request-ignored']);
      }
    });
  }
});

describe('against deliberately broken servers', () => {
  const closers: Array<() => Promise<void>> = [];
  afterAll(async () => {
    await Promise.all(closers.map((c) => c()));
  });
  async function tasksMini(m: TaskMutations): Promise<Target> {
    const server = await listenTasksMini(m);
    closers.push(server.close);
    return parseTarget(server.url);
  }
  async function run(target: Target): Promise<Record<string, string>> {
    const { report } = await runSuite({ targets: [target], checks: CHECKS, protocolVersion: '2025-11-25', timeoutMs: 2000, tool: TOOL, keepAllEvidence: false });
    for (const r of report.results) if (r.status === 'fail' || r.status === 'warn') expect(r.evidence!.failures[0]!.expected, r.check).toBeTruthy();
    return Object.fromEntries(report.results.map((r) => [r.check, r.status]));
  }

  it('the unbroken tasks mini server passes every check (the control)', async () => {
    expect(await run(await tasksMini({}))).toEqual(Object.fromEntries(CHECKS.map((c) => [c.id, 'pass'])));
  });

  it.each([
    [{ noTaskResult: true }, ['tasks/create-task-result']],
    [{ badTimestamps: true }, ['tasks/create-task-result']],
    [{ noRelatedMeta: true }, ['tasks/get-and-result']],
    [{ unknownTaskInternalError: true }, ['tasks/unknown-task']],
    [{ requiredRunsPlain: true }, ['tasks/required-without-task']],
    [{ cancelTwiceOk: true }, ['tasks/cancel-terminal']],
    [{ progressDecreasing: true }, ['progress/monotonic']],
    [{ progressAfterResponse: true }, ['progress/monotonic']],
    [{ progressForeignToken: true }, ['progress/monotonic']],
  ] as const)('%o fails %o', async (mutation, expected) => {
    const outcome = await run(await tasksMini(mutation));
    const failed = Object.entries(outcome).filter(([, s]) => s === 'fail' || s === 'warn' || s === 'error').map(([c]) => c);
    expect(failed).toEqual(expected);
  });

  it('cancellation/unknown-request-ignored warns when the server answers the cancellation', async () => {
    expect((await run(await tasksMini({ answerCancelled: true })))['cancellation/unknown-request-ignored']).toBe('warn');
    const mini = await listenMiniTcp({ answerNotifications: true });
    closers.push(mini.close);
    const { report } = await runSuite({ targets: [parseTarget(mini.url)], checks: [unknownRequestIgnored], protocolVersion: 'auto', timeoutMs: 2000, tool: TOOL, keepAllEvidence: false });
    expect(report.results.map((r) => [r.status, r.requirements])).toEqual([['warn', ['CANCEL-012']]]);
  });
});
