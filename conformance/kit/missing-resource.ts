/**
 * A resource URI the target surely does not have: in the scheme of what it lists (so it is not
 * refused merely for an unknown scheme), with a random path, and matching no listed template.
 */
import { randomBytes } from 'node:crypto';
import type { CheckContext } from '../check.js';
import type { JsonObject } from '../../transport/jsonrpc.js';
import type { Reply, Session } from '../session.js';
import { listAll, listOf } from './lists.js';

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;

/** A URI template as a pattern: each `{…}` expression may expand to anything. */
function templatePattern(template: string): RegExp {
  const parts = template.split(/\{[^}]*\}/).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.*')}$`, 's');
}

export type MissingUri = { ok: true; uri: string } | { ok: false; reason: string };

/** The URI to read, or why none can be made (then the check is skipped). */
export async function missingResourceUri(ctx: CheckContext, session: Session): Promise<MissingUri> {
  const resources = await listAll(ctx, session, listOf('resources/list'), { maxPages: 5, validate: false });
  const templates = await listAll(ctx, session, listOf('resources/templates/list'), { maxPages: 5, validate: false });
  const uris = resources.items.map((r) => r.uri).filter((u): u is string => typeof u === 'string');
  const patterns = templates.items.map((t) => t.uriTemplate).filter((t): t is string => typeof t === 'string');
  const scheme = [...uris, ...patterns].map((u) => SCHEME.exec(u)?.[1]).find((s) => s !== undefined);
  if (scheme === undefined) return { ok: false, reason: 'the target lists no resource or template with a URI scheme' };
  const random = randomBytes(6).toString('hex');
  const candidates = [`${scheme}://mcpcert.invalid/no-such-resource-${random}`, `${scheme}:///mcpcert-no-such-resource/${random}`, `${scheme}:mcpcert-no-such-resource-${random}`];
  const matchers = patterns.map(templatePattern);
  const uri = candidates.find((c) => !uris.includes(c) && !matchers.some((m) => m.test(c)));
  if (uri === undefined) return { ok: false, reason: `every ${scheme}: URI mcpcert tried matches a listed resource template` };
  return { ok: true, uri };
}

export interface MissingRead {
  uri: string;
  /** The request as sent, for the failure's evidence. */
  request: JsonObject;
  reply: Reply;
}

/** Reads a resource the target surely does not have; skips the check when none can be made up. */
export async function readMissingResource(ctx: CheckContext): Promise<MissingRead> {
  const session = await ctx.session();
  const missing = await missingResourceUri(ctx, session);
  if (!missing.ok) ctx.skip(missing.reason);
  const uri = missing.uri;
  const request: JsonObject = { jsonrpc: '2.0', method: 'resources/read', params: session.eraParams({ uri }) ?? {} };
  return { uri, request, reply: await session.call('resources/read', { uri }) };
}
