/**
 * The suite against real servers nobody here wrote, with every outcome that is not a pass
 * pinned: a new false failure (a bug in mcpcert) or a departure that goes unnoticed both break
 * these tests. Each pinned failure is a real departure from the spec, explained beside it.
 */
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../conformance/registry.js';
import { runSuite } from '../../conformance/runner.js';
import { parseTarget, stdioTarget, type Target } from '../../conformance/target.js';
import type { CheckResult, CheckStatus } from '../../reports/model.js';
import { modulePath, startThirdParty, type RunningServer } from '../helpers/third-party.js';
import { reportProblems } from '../conformance/report-schema.js';

const TOOL = { name: 'mcpcert', version: '0.0.0-test' };
const EVERYTHING = modulePath('@modelcontextprotocol/server-everything/dist/index.js');
const SDK_EXAMPLES = modulePath('@modelcontextprotocol/sdk/dist/esm/examples/server/');

type Pinned = Record<string, Exclude<CheckStatus, 'pass'>>;

/** Departures every server-everything transport shows (2026.8.31, SDK 1.x underneath). */
const EVERYTHING_COMMON: Pinned = {
  // Its tool simulate-research-query declares execution.taskSupport "required", yet a call
  // without `task` is served instead of refused with -32601 (TASK-008, MUST).
  'tasks/required-without-task': 'fail',
  // An invalid cursor is accepted as if absent (PAGE-003 SHOULD: -32602).
  'pagination/invalid-cursor': 'warn',
  // An unknown resource gets -32602, where 2025-11-25 says -32002 SHOULD be used (RES-006).
  'resources/not-found-code': 'warn',
  // tasks/get and tasks/result are routed by a related-task `_meta` instead of their taskId
  // param (TASK-031, MUST: the param is authoritative): a decoy in `_meta` gets "Task not
  // found" over HTTP, and no answer at all over stdio. The SDK's Protocol does this.
  'tasks/task-id-authoritative': 'fail',
  // logging/setLevel with a level that does not exist gets -32603 carrying a zod error, where
  // -32602 SHOULD be used (LOG-002).
  'recommended/log-level-invalid': 'warn',
};

const SDK_COMMON: Pinned = {
  // Express answers unparseable JSON with an HTML 400 page, not a JSON-RPC -32700 error.
  'base/parse-error': 'warn',
  // A foreign Origin is served with 200 instead of 403 (HTTP-003, MUST).
  'http/origin-forbidden': 'fail',
  'pagination/invalid-cursor': 'warn',
  'resources/not-found-code': 'warn',
  'recommended/log-level-invalid': 'warn',
};

interface Case {
  name: string;
  start?: () => Promise<RunningServer>;
  target: (server: RunningServer | undefined) => Target;
  pinned: Pinned;
}

const CASES: Case[] = [
  {
    name: 'server-everything over stdio',
    target: () => stdioTarget(process.execPath, [EVERYTHING, 'stdio']),
    pinned: {
      ...EVERYTHING_COMMON,
      // Requests before initialize are served as if initialized (LIFE-001, SHOULD here).
      'lifecycle/request-before-initialize': 'warn',
      // A line that is not JSON gets no answer at all, where -32700 is expected (BASE-013 SHOULD).
      'base/parse-error': 'warn',
    },
  },
  {
    name: 'server-everything over Streamable HTTP',
    start: () => startThirdParty(EVERYTHING, ['streamableHttp']),
    target: (server) => parseTarget(`${server!.origin}/mcp`),
    pinned: {
      ...EVERYTHING_COMMON,
      // A foreign Origin is served with 200 instead of 403 (HTTP-003, MUST).
      'http/origin-forbidden': 'fail',
      // A request naming a deleted session gets 400 instead of 404 (HTTP-038, MUST).
      'http/session-terminated': 'fail',
      // Resuming a stream with Last-Event-ID replays every stored event after that id, also
      // those of other streams (HTTP-032, MUST NOT): its event store does not filter by stream.
      'http/resume-own-stream': 'fail',
    },
  },
  {
    name: 'server-everything over legacy HTTP+SSE',
    start: () => startThirdParty(EVERYTHING, ['sse']),
    target: (server) => parseTarget(`sse+${server!.origin}/sse`),
    pinned: {
      ...EVERYTHING_COMMON,
      'lifecycle/request-before-initialize': 'warn',
      // A foreign Origin is served on the SSE GET and the message POST (HTTP-002, MUST validate).
      'sse/origin-refused': 'fail',
    },
  },
  {
    name: 'the SDK example simpleStreamableHttp',
    start: () => startThirdParty(`${SDK_EXAMPLES}simpleStreamableHttp.js`),
    target: (server) => parseTarget(`${server!.origin}/mcp`),
    pinned: {
      ...SDK_COMMON,
      // serverInfo.icons[0].src is "./mcp.svg": the schema types it format "uri", and the spec
      // describes it as an HTTP(S) URL or a data: URI; a relative path is neither (LIFE-003).
      'lifecycle/initialize-result': 'fail',
      // Its tool collect-user-info sends elicitation/create to a client that declared no
      // elicitation capability (LIFE-016, MUST).
      'server-requests/undeclared-capabilities': 'fail',
      // Task-only tools called without `task` answer with an isError result, not -32601 (TASK-008).
      'tasks/required-without-task': 'fail',
      // The same related-task routing as server-everything (TASK-031).
      'tasks/task-id-authoritative': 'fail',
      // collect-user-info-task sends its elicitation/create without the related-task `_meta`,
      // though the task's outcome depends on it (TASK-029/030, MUST).
      'tasks/input-required-related': 'fail',
    },
  },
  {
    name: 'the SDK example simpleStatelessStreamableHttp',
    start: () => startThirdParty(`${SDK_EXAMPLES}simpleStatelessStreamableHttp.js`),
    target: (server) => parseTarget(`${server!.origin}/mcp`),
    pinned: {
      ...SDK_COMMON,
      // tools/list carrying `params.task` is refused with -32603 "Server does not support task
      // creation", where a server that declared no task support must ignore it (TASK-009).
      'tasks/metadata-ignored': 'fail',
      // The same for tools/call: a call that succeeds without `params.task` gets -32603 with it
      // (TASK-009; the SDK's assertTaskHandlerCapability throws instead of ignoring).
      'tasks/undeclared-task-call': 'fail',
    },
  },
];

function outcomes(results: readonly CheckResult[]): Record<string, string> {
  const seen: Record<string, string> = {};
  for (const r of results) if (r.status !== 'pass' && r.status !== 'skip') seen[r.check] = r.status;
  return seen;
}

// One at a time, with the CLI's default timeout: the suite already runs each target's checks
// side by side, and on a 2-core CI runner more at once would make the servers, not the checks,
// the thing under test.
describe('real servers', () => {
  it.each(CASES)('$name is judged with exactly the pinned departures, each with evidence and a repro', async (c) => {
    const server = await c.start?.();
    try {
      const { report, unreachable } = await runSuite({ targets: [c.target(server)], checks: CHECKS, protocolVersion: 'auto', timeoutMs: 10_000, tool: TOOL });
      expect(unreachable).toBe(false);
      const details = report.results.filter((r) => r.status !== 'pass' && r.status !== 'skip').map((r) => `${r.status} ${r.check}: ${r.message}`).join('\n');
      expect(outcomes(report.results), `${details}\n--- server log ---\n${server?.log().slice(-2000) ?? ''}`).toEqual(c.pinned);
      for (const r of report.results.filter((x) => x.status === 'fail')) {
        expect(r.requirements.length, r.check).toBeGreaterThan(0);
        expect(r.evidence?.failures.length, r.check).toBeGreaterThan(0);
        expect(r.repro?.command, r.check).toContain('--only');
      }
      expect(report.summary.pass).toBeGreaterThan(15);
      expect(reportProblems(report)).toEqual([]);
    } finally {
      await server?.stop();
    }
  }, 180_000);
});
