/**
 * Locates the package's data files (spec/schemas, spec/catalog). They are not compiled, so
 * the same relative path must work from the TypeScript sources (vitest, tsx) and from the
 * built JavaScript in dist/spec/, which sits one level deeper.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, parse } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'mcpcert';

let cachedRoot: string | undefined;

function isPackageRoot(dir: string): boolean {
  try {
    const manifest: unknown = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    return typeof manifest === 'object' && manifest !== null && (manifest as { name?: unknown }).name === PACKAGE_NAME;
  } catch {
    // No package.json here, or an unreadable one: keep walking up.
    return false;
  }
}

/**
 * The directory holding mcpcert's package.json. Walks up from this module's own location
 * (not the working directory), so it works wherever the process was started.
 * @throws Error if no ancestor directory is the mcpcert package (a broken installation).
 */
export function packageRoot(): string {
  if (cachedRoot !== undefined) return cachedRoot;
  const start = dirname(fileURLToPath(import.meta.url));
  const top = parse(start).root;
  for (let dir = start; ; dir = dirname(dir)) {
    if (isPackageRoot(dir)) {
      cachedRoot = dir;
      return dir;
    }
    if (dir === top) break;
  }
  throw new Error(`cannot find the ${PACKAGE_NAME} package root: no package.json named "${PACKAGE_NAME}" above ${start}`);
}

/** An absolute path inside the package, e.g. `dataPath('spec', 'schemas', v, 'schema.json')`. */
export function dataPath(...segments: string[]): string {
  return join(packageRoot(), ...segments);
}
