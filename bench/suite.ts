/**
 * `npm run bench -- suite [--rounds N]`: how long a conformance run takes, from the CLI, with the
 * official MCP conformance suite (@modelcontextprotocol/conformance, pinned) timed on the same
 * Streamable HTTP target in the same run as the baseline. Also the two speed goals of the
 * suite: the full default run (no TARGET: every transport × every version) within 10 s, and
 * one transport's MUST checks within 2 s. Each figure is the median of the rounds.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const ROOT = fileURLToPath(new URL('../', import.meta.url));
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const OFFICIAL = join(dirname(require.resolve('@modelcontextprotocol/conformance/package.json')), 'dist', 'index.js');
const GLOBSYNC_PRELOAD = join(ROOT, 'test', 'fixtures', 'node20-globsync', 'register.mjs');
const RUN_TIMEOUT_MS = 300_000;

interface Timed {
  ms: number;
  code: number | null;
  output: string;
}

function timed(args: string[], cwd = ROOT): Promise<Timed> {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { cwd, env: { ...process.env, CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output = (output + d.toString('utf8')).slice(-200_000)));
    child.stderr.on('data', (d: Buffer) => (output = (output + d.toString('utf8')).slice(-200_000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ ms: Number(process.hrtime.bigint() - started) / 1e6, code, output });
    });
  });
}

/** `mcpcert serve --transport http --port 0`, until stopped. */
async function serveHttp(): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, [CLI, 'serve', '--transport', 'http', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error('mcpcert serve did not start within 10 s')), 10_000);
    child.stdout.on('data', (d: Buffer) => {
      text += d.toString('utf8');
      const match = /^READY http (\S+)$/m.exec(text);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', () => reject(new Error(`mcpcert serve exited early: ${text}`)));
  });
  return { url, stop: () => child.kill('SIGTERM') };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function resultsOf(output: string): string {
  return /(\d+) results in/.exec(output)?.[0]?.replace(' in', '') ?? '? results';
}

/** Counts the checks the official suite recorded, by status. */
function officialCounts(outDir: string): string {
  const counts = new Map<string, number>();
  for (const dir of readdirSync(outDir)) {
    for (const c of JSON.parse(readFileSync(join(outDir, dir, 'checks.json'), 'utf8')) as { status: string }[]) counts.set(c.status, (counts.get(c.status) ?? 0) + 1);
  }
  return [...counts].map(([s, n]) => `${n} ${s}`).join(', ');
}

export async function main(args: string[]): Promise<void> {
  const roundsAt = args.indexOf('--rounds');
  const rounds = roundsAt >= 0 ? Math.max(1, Number(args[roundsAt + 1]) || 3) : 3;
  const served = await serveHttp();
  const work = mkdtempSync(join(tmpdir(), 'mcpcert-bench-suite-'));
  try {
    const rows: { name: string; ms: number[]; what: string }[] = [
      { name: 'mcpcert test URL (all checks, 2025-11-25)', ms: [], what: '' },
      { name: 'mcpcert test URL --level must', ms: [], what: '' },
      { name: 'mcpcert test URL --protocol-version all', ms: [], what: '' },
      { name: 'official suite: server --suite all', ms: [], what: '' },
      { name: 'mcpcert test (no TARGET: 5 transports × 5 versions)', ms: [], what: '' },
    ];
    for (let round = 0; round < rounds; round++) {
      const runs: [number, string[], string?][] = [
        [0, [CLI, 'test', served.url]],
        [1, [CLI, 'test', served.url, '--level', 'must']],
        [2, [CLI, 'test', served.url, '--protocol-version', 'all']],
        [3, ['--import', GLOBSYNC_PRELOAD, OFFICIAL, 'server', '--url', served.url, '--suite', 'all', '-o', `out-${round}`], work],
        [4, [CLI, 'test']],
      ];
      for (const [index, argv, cwd] of runs) {
        const run = await timed(argv, cwd);
        const row = rows[index]!;
        row.ms.push(run.ms);
        row.what = index === 3 ? `exit ${run.code}; ${officialCounts(join(work, `out-${round}`))}` : `exit ${run.code}; ${resultsOf(run.output)}`;
      }
    }
    const official = median(rows[3]!.ms);
    process.stdout.write(`conformance run times on ${served.url} (mcpcert serve --transport http), median of ${rounds} rounds, CI=true\n`);
    process.stdout.write(`${'run'.padEnd(54)} ${'median'.padStart(9)}  ${'÷ official'.padStart(10)}  outcome\n`);
    for (const row of rows) {
      const ms = median(row.ms);
      process.stdout.write(`${row.name.padEnd(54)} ${`${(ms / 1000).toFixed(2)} s`.padStart(9)}  ${(ms / official).toFixed(2).padStart(10)}  ${row.what}\n`);
    }
    const full = median(rows[4]!.ms);
    const must = median(rows[1]!.ms);
    process.stdout.write(`goals: full default run ≤ 10 s: ${(full / 1000).toFixed(2)} s ${full <= 10_000 ? 'met' : 'NOT met'}; one transport's MUST suite ≤ 2 s: ${(must / 1000).toFixed(2)} s ${must <= 2000 ? 'met' : 'NOT met'}\n`);
  } finally {
    served.stop();
    rmSync(work, { recursive: true, force: true });
  }
}
