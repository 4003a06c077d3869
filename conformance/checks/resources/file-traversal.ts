import { isPlainObject } from '../../../transport/codec.js';
import { ALL_VERSIONS, defineCheck } from '../../check.js';
import { listAll, listOf } from '../../kit/lists.js';
import { describeReply } from '../../kit/replies.js';

/** A file present on most hosts and outside any sensible resource root. */
const OUTSIDE = ['etc', 'passwd'];
/** How `..` is spelt: plain, percent-encoded dots, percent-encoded slash. */
const SPELLINGS: ReadonlyArray<(up: number) => string> = [(up) => '../'.repeat(up), (up) => '%2e%2e/'.repeat(up), (up) => '..%2f'.repeat(up)];
const MAX_BASES = 3;

/** The decoded path segments of a file:// URI (or template prefix), `.`/`..` resolved; undefined if it is not one. */
function segmentsOf(uri: string): string[] | undefined {
  if (!uri.toLowerCase().startsWith('file://')) return undefined;
  const rest = uri.slice('file://'.length);
  const path = rest.slice(rest.indexOf('/') < 0 ? rest.length : rest.indexOf('/')).split(/[?#]/)[0]!;
  const out: string[] = [];
  for (const raw of path.split('/')) {
    let part: string;
    try {
      part = decodeURIComponent(raw);
    } catch {
      part = raw;
    }
    // A decoded segment may hold slashes (`..%2f..`): each piece is a step.
    for (const piece of part.split(/[\\/]/)) {
      if (piece === '' || piece === '.') continue;
      if (piece === '..') out.pop();
      else out.push(piece);
    }
  }
  return out;
}

function inside(path: readonly string[], root: readonly string[]): boolean {
  return root.length <= path.length && root.every((s, i) => s === path[i]);
}

/** A place to start climbing from: a listed file's URI (its directory is a root) or a template with one variable filled. */
interface Base {
  /** The URI with `{}` where the climbing path goes. */
  pattern: string;
  /** The directory the listing shows, as segments. */
  root: string[];
  from: string;
}

function fromResource(uri: string): Base | undefined {
  const path = segmentsOf(uri);
  if (path === undefined || path.length === 0) return undefined;
  const cut = uri.lastIndexOf('/');
  return { pattern: `${uri.slice(0, cut + 1)}{}`, root: path.slice(0, -1), from: `resource ${uri}` };
}

function fromTemplate(template: string): Base | undefined {
  const open = template.indexOf('{');
  if (open < 0) return undefined;
  const prefix = template.slice(0, open);
  const root = segmentsOf(prefix.slice(0, prefix.lastIndexOf('/') + 1));
  if (root === undefined) return undefined;
  const close = template.indexOf('}', open);
  const filled = `${prefix}{}${template.slice(close + 1).replace(/\{[^}]*\}/g, 'x')}`;
  return { pattern: filled, root, from: `template ${template}` };
}

/**
 * A server with file:// resources must not let `..` segments (plain or percent-encoded) in a
 * resources/read URI reach files outside the directories it lists. Starting from listed file
 * URIs and file:// templates, it asks for /etc/passwd by climbing; a refusal (an error), a miss,
 * or contents that stay inside a listed directory pass; contents from outside fail.
 */
export default defineCheck({
  id: 'resources/file-traversal',
  title: 'file:// resources: a read climbing out with ../ is refused',
  requirements: ['RES-007', 'M-RES-014'],
  level: 'MUST',
  versions: ALL_VERSIONS,
  transports: 'all',
  needs: ['resources'],
  timeoutFactor: 2,
  async run(ctx) {
    const session = await ctx.session();
    const resources = await listAll(ctx, session, listOf('resources/list'), { maxPages: 2, validate: false });
    const templates = await listAll(ctx, session, listOf('resources/templates/list'), { maxPages: 2, validate: false }).catch(() => ({ items: [] }));
    const bases: Base[] = [];
    for (const r of resources.items) if (typeof r.uri === 'string') bases.push(...[fromResource(r.uri)].filter((b): b is Base => b !== undefined));
    for (const t of templates.items) if (typeof t.uriTemplate === 'string') bases.push(...[fromTemplate(t.uriTemplate)].filter((b): b is Base => b !== undefined));
    if (bases.length === 0) ctx.skip('the target lists no file:// resource or file:// resource template');
    const roots = bases.map((b) => b.root);
    if (roots.some((root) => inside(OUTSIDE, root) || inside(root, OUTSIDE))) ctx.skip('a listed file:// directory contains /etc/passwd or lies on its path, so reading it would not be a traversal');
    for (const base of bases.slice(0, MAX_BASES)) {
      for (const spell of SPELLINGS) {
        const uri = base.pattern.replace('{}', `${spell(base.root.length + 1)}${OUTSIDE.join('/')}`);
        const request = { jsonrpc: '2.0', method: 'resources/read', params: { uri } };
        const reply = await session.call('resources/read', { uri });
        if (reply.kind !== 'result' || reply.result.resultType === 'input_required') {
          ctx.note(`${uri} (from ${base.from}): ${describeReply(reply)}`);
          continue;
        }
        const contents = Array.isArray(reply.result.contents) ? reply.result.contents : [];
        // A server that clamps `..` at its root may serve a file inside it; the contents' own URIs show where they came from.
        const escaped = contents.filter((c) => {
          const path = isPlainObject(c) && typeof c.uri === 'string' ? segmentsOf(c.uri) : undefined;
          return path === undefined || !roots.some((root) => inside(path, root));
        });
        ctx.expect(escaped.length === 0, `resources/read of ${uri}, which climbs out of the listed directory /${base.root.join('/')}, returned contents`, {
          expected: 'an error (the path refused), or only contents inside a listed directory',
          observed: JSON.stringify(reply.result).slice(0, 300),
          request,
        });
      }
    }
  },
});
