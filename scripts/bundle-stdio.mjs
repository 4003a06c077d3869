// Build step for the stdio reference server the suite starts once per fresh session:
// 1. dist/reference/stdio-server.bundle.mjs: dist/reference/stdio-main.js and everything it
//    imports in one ESM file (see reference/stdio-main.ts for why). Dependencies are bundled
//    too; the few CommonJS ones get a `require` of their own.
// 2. dist/reference/stdio-server.blob: a V8 startup snapshot of the same server with its
//    validators compiled (see reference/stdio-snapshot.ts), with a .json beside it naming the
//    Node build and package directory it belongs to. A blob only works with the Node binary
//    that made it, so the suite checks that record and falls back to the bundle; a Node that
//    cannot build one leaves no blob, and a warning.
import { buildSync } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

buildSync({
  entryPoints: ['dist/reference/stdio-main.js'],
  outfile: 'dist/reference/stdio-server.bundle.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
  banner: { js: "import { createRequire as mcpcertCreateRequire } from 'node:module'; const require = mcpcertCreateRequire(import.meta.url);" },
});

const entry = 'dist/reference/stdio-snapshot.cjs';
const blob = 'dist/reference/stdio-server.blob';
const record = `${blob}.json`;
rmSync(blob, { force: true });
rmSync(record, { force: true });
buildSync({
  entryPoints: ['dist/reference/stdio-snapshot.js'],
  outfile: entry,
  bundle: true,
  platform: 'node',
  // A snapshot entry must be one CommonJS script.
  format: 'cjs',
  target: 'node20',
  logLevel: 'warning',
  // spec/paths.ts finds the package from its own location.
  banner: { js: "var mcpcertImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  define: { 'import.meta.url': 'mcpcertImportMetaUrl' },
});
const built = spawnSync(process.execPath, ['--snapshot-blob', blob, '--build-snapshot', entry], { encoding: 'utf8', timeout: 120_000 });
if (built.status === 0) {
  writeFileSync(record, `${JSON.stringify({ node: process.version, platform: process.platform, arch: process.arch, root: resolve('.') })}\n`);
} else {
  rmSync(blob, { force: true });
  process.stderr.write(`warning: no startup snapshot of the stdio server (the suite will load its bundle instead): ${(built.stderr || built.error?.message || `exit ${built.status}`).trim()}\n`);
}
