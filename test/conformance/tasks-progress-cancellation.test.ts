/**
 * The tasks, progress and cancellation checks against servers broken for their rules (each
 * must fail, the unbroken control must pass). That they pass on the reference server is
 * runner.test.ts's job, which runs the whole registry there.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Check } from '../../conformance/check.js';
import { runSuite } from '../../conformance/runner.js';
import { parseTarget, type Target } from '../../conformance/target.js';
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
