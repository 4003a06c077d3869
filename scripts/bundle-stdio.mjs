// Build step: dist/reference/stdio-main.js and everything it imports, in one ESM file
// (see reference/stdio-main.ts for why). Dependencies are bundled too; the few CommonJS ones
// get a `require` of their own.
import { buildSync } from 'esbuild';

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
