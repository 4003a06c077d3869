/**
 * The task lifecycle, id, result, list and progress checks against the tasks mini server with
 * one rule broken at a time (the unbroken server is the control). That they pass on the
 * reference server is runner.test.ts's job.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Check } from '../../conformance/check.js';
import statusLifecycle from '../../conformance/checks/tasks/status-lifecycle.js';
import taskIds, { estimatedBits, isSequential } from '../../conformance/checks/tasks/task-ids.js';
import resultMatchesDirect from '../../conformance/checks/tasks/result-matches-direct.js';
import taskIdAuthoritative from '../../conformance/checks/tasks/task-id-authoritative.js';
import listCursor from '../../conformance/checks/tasks/list-cursor.js';
import metadataIgnored from '../../conformance/checks/tasks/metadata-ignored.js';
import taskProgress from '../../conformance/checks/tasks/progress.js';
import { runSuite } from '../../conformance/runner.js';
import { parseTarget } from '../../conformance/target.js';
import { listenTasksMini, type TaskMutations } from './fixtures/tasks-server.js';

const TOOL = { name: 'mcpcert', version: '0.0.0-test' };
const CHECKS: readonly Check[] = [statusLifecycle, taskIds, resultMatchesDirect, taskIdAuthoritative, listCursor, metadataIgnored, taskProgress];

describe('task checks against a broken tasks server', () => {
  const closers: Array<() => Promise<void>> = [];
  afterAll(async () => {
    await Promise.all(closers.map((c) => c()));
  });
  async function run(m: TaskMutations, checks: readonly Check[]): Promise<Record<string, string>> {
    const server = await listenTasksMini(m);
    closers.push(server.close);
    const { report } = await runSuite({ targets: [parseTarget(server.url)], checks, protocolVersion: '2025-11-25', timeoutMs: 2000, tool: TOOL, keepAllEvidence: false });
    for (const r of report.results) if (r.status === 'fail' || r.status === 'warn') expect(r.evidence!.failures[0]!.expected, r.check).toBeTruthy();
    return Object.fromEntries(report.results.map((r) => [r.check, r.status]));
  }

  it('the unbroken server passes every check (the control)', async () => {
    expect(await run({}, CHECKS)).toEqual(Object.fromEntries(CHECKS.map((c) => [c.id, 'pass'])));
  });

  it.each([
    [{ statusFlipsAfterTerminal: true }, statusLifecycle],
    [{ cancelledThenCompletes: true }, statusLifecycle],
    [{ sharedTasks: true }, taskIds],
    [{ takesSuggestedId: true }, taskIds],
    [{ taskResultDiffers: true }, resultMatchesDirect],
    [{ metaOverridesTaskId: true }, taskIdAuthoritative],
    [{ listIgnoresBadCursor: true }, listCursor],
    [{ listNoNextCursor: true }, listCursor],
    [{ taskMetaRejected: true }, metadataIgnored],
    [{ taskProgressAfterTerminal: true }, taskProgress],
    [{ taskProgressNewToken: true }, taskProgress],
  ] as const)('%o fails its check', async (mutation, check) => {
    expect(await run(mutation, [check])).toEqual({ [check.id]: 'fail' });
  });

  it('judges task-id entropy without flagging random ids', () => {
    expect(estimatedBits('5f988d09d71b04206b0461baf217a458')).toBeGreaterThanOrEqual(64);
    expect(estimatedBits('0f8fad5b-d9cb-469f-a165-70867728950e')).toBeGreaterThanOrEqual(64);
    expect(estimatedBits('01ARZ3NDEKTSV4RRFFQ69G5FAV')).toBeGreaterThanOrEqual(64);
    expect(estimatedBits('task-1732550000123')).toBeLessThan(64);
    expect(isSequential('task-7', 'task-8')).toBe(true);
    expect(isSequential('0f8fad5b-d9cb-469f', '1a2b3c4d-d9cb-469f')).toBe(false);
  });
});
