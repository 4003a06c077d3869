/**
 * The official MCP conformance suite (@modelcontextprotocol/conformance, pinned in
 * package.json), in server mode, against `mcpcert serve`: every server scenario it has,
 * active and pending, must pass with no FAILURE and no WARNING.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe, type Served } from '../helpers/serve.js';

const require = createRequire(import.meta.url);
const SUITE_BIN = join(dirname(require.resolve('@modelcontextprotocol/conformance/package.json')), 'dist', 'index.js');
const GLOBSYNC_PRELOAD = fileURLToPath(new URL('../fixtures/node20-globsync/register.mjs', import.meta.url));

interface Check {
  id: string;
  name: string;
  description: string;
  status: 'SUCCESS' | 'FAILURE' | 'WARNING' | 'INFO' | string;
}

function runSuite(args: string[], cwd: string, timeoutMs: number): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', GLOBSYNC_PRELOAD, SUITE_BIN, ...args], { cwd, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
      resolve({ code, output: `${stdout}\n${stderr}` });
    });
  });
}

describe('the official MCP conformance suite against mcpcert serve', () => {
  let served: Served;
  let workdir: string;
  beforeAll(async () => {
    served = await startServe(['--transport', 'http', '--port', '0'], 1);
    workdir = mkdtempSync(join(tmpdir(), 'mcpcert-official-'));
  });
  afterAll(async () => {
    await served?.stop();
    if (workdir) rmSync(workdir, { recursive: true, force: true });
  });

  it('passes every server scenario (active and pending) with no failure and no warning', async () => {
    const listed = await runSuite(['list', '--server'], workdir, 30_000);
    const scenarios = [...listed.output.matchAll(/^\s+- (\S+) \[/gm)].map((m) => m[1]!);
    expect(scenarios.length).toBeGreaterThanOrEqual(30);

    const run = await runSuite(['server', '--url', served.targets.http!, '--suite', 'all', '-o', 'out'], workdir, 240_000);
    expect(run.code, run.output.slice(-4000)).toBe(0);

    const byScenario = new Map<string, Check[]>();
    for (const dir of readdirSync(join(workdir, 'out'))) {
      const scenario = scenarios.find((s) => dir.startsWith(`server-${s}-`));
      if (!scenario) continue;
      byScenario.set(scenario, JSON.parse(readFileSync(join(workdir, 'out', dir, 'checks.json'), 'utf8')) as Check[]);
    }
    expect([...byScenario.keys()].sort()).toEqual([...scenarios].sort());
    const problems: string[] = [];
    for (const [scenario, checks] of byScenario) {
      for (const c of checks) if (c.status === 'FAILURE' || c.status === 'WARNING') problems.push(`${scenario}: ${c.status} ${c.id} — ${c.description}`);
      if (!checks.some((c) => c.status === 'SUCCESS')) problems.push(`${scenario}: no check succeeded`);
    }
    expect(problems).toEqual([]);
  }, 300_000);
});
