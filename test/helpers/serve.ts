/**
 * Starts `mcpcert serve` from source as a child process and reads its READY lines, so tests
 * exercise the command exactly as users run it. Always bounded, always killed.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../../cli/main.ts', import.meta.url));

export interface Served {
  child: ChildProcessWithoutNullStreams;
  targets: Record<string, string>;
  stderr: () => string;
  stop: () => Promise<number | null>;
}

export async function startServe(args: string[] = ['--transport', 'all', '--port', '0'], expected = 4, timeoutMs = 20_000): Promise<Served> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'serve', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const targets: Record<string, string> = {};
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`serve did not announce ${expected} listeners within ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    let buffer = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      buffer += d;
      for (const m of buffer.matchAll(/^READY (\S+) (\S+)$/gm)) targets[m[1]!] = m[2]!;
      if (Object.keys(targets).length >= expected) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${String(code)} before it was ready; stderr: ${stderr}`));
    });
  });
  return {
    child,
    targets,
    stderr: () => stderr,
    stop: async () => {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
