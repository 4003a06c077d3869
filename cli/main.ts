#!/usr/bin/env node
/** The `mcpcert` command: parsing and wiring only. */
import { readFileSync } from 'node:fs';
import { dataPath } from '../spec/paths.js';
import { EXIT, HELP, UsageError } from './usage.js';

type Command = (args: string[]) => Promise<number>;

/** Loaded on use: a stdio server child must start fast, without the suite and its reporters. */
const commands: Record<string, () => Promise<Command>> = {
  requirements: async () => (await import('./requirements.js')).runRequirements,
  serve: async () => (await import('./serve.js')).runServe,
  test: async () => (await import('./test.js')).runTest,
};

function version(): string {
  const pkg = JSON.parse(readFileSync(dataPath('package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(HELP);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`mcpcert ${version()}\n`);
    return EXIT.ok;
  }
  const load = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!load) throw new UsageError(`unknown command "${name}" (see mcpcert --help)`);
  return (await load())(rest);
}

// A reader that stops early (`mcpcert requirements | head`) is not an error of ours.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError) {
      process.stderr.write(`mcpcert: ${err.message}\n`);
      process.exitCode = EXIT.usage;
    } else {
      process.stderr.write(`mcpcert: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = EXIT.failed;
    }
  },
);
