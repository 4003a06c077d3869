/** Walking the paginated lists a target declares, validating every page. */
import { isPlainObject } from '../../transport/codec.js';
import type { JsonObject } from '../../transport/jsonrpc.js';
import type { CheckContext } from '../check.js';
import type { Session } from '../session.js';
import { describeReply } from './replies.js';

export interface ListKind {
  capability: 'tools' | 'resources' | 'prompts';
  method: string;
  /** Where the items are in the result. */
  key: string;
  definition: string;
  /** The field naming an item (what must not repeat). */
  idField: string;
}

export const LISTS: readonly ListKind[] = [
  { capability: 'tools', method: 'tools/list', key: 'tools', definition: 'ListToolsResult', idField: 'name' },
  { capability: 'resources', method: 'resources/list', key: 'resources', definition: 'ListResourcesResult', idField: 'uri' },
  { capability: 'resources', method: 'resources/templates/list', key: 'resourceTemplates', definition: 'ListResourceTemplatesResult', idField: 'uriTemplate' },
  { capability: 'prompts', method: 'prompts/list', key: 'prompts', definition: 'ListPromptsResult', idField: 'name' },
];

export function listOf(method: string): ListKind {
  const kind = LISTS.find((l) => l.method === method);
  if (!kind) throw new Error(`no list method ${method}`);
  return kind;
}

/** The lists of the capabilities the target declares. */
export function declaredLists(ctx: CheckContext): ListKind[] {
  return LISTS.filter((l) => ctx.hasCapability(l.capability));
}

export interface Listing {
  items: JsonObject[];
  pages: JsonObject[];
  /** Every cursor followed, in order. */
  cursors: string[];
  /** False when the walk stopped early: an error, a repeated cursor, or the page bound. */
  complete: boolean;
  /** A cursor the target handed out twice (its walk would never end). */
  repeatedCursor?: string;
}

/**
 * Follows `nextCursor` up to `maxPages` pages. An error answer to a declared capability's list
 * is a failure; so is a page that is not valid against the version's schema (unless `validate`
 * is false). A repeated cursor stops the walk and is reported in `repeatedCursor`.
 */
export async function listAll(ctx: CheckContext, session: Session, kind: ListKind, options: { maxPages?: number; validate?: boolean } = {}): Promise<Listing> {
  const maxPages = options.maxPages ?? 20;
  const listing: Listing = { items: [], pages: [], cursors: [], complete: false };
  let cursor: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const reply = await session.call(kind.method, cursor === undefined ? {} : { cursor });
    if (reply.kind !== 'result') {
      ctx.fail(`${kind.method}${cursor === undefined ? '' : ` with cursor ${JSON.stringify(cursor)}`} was answered with ${describeReply(reply)}, although the target declares ${kind.capability}`, { expected: `a ${kind.definition}` });
      return listing;
    }
    const result = reply.result;
    listing.pages.push(result);
    if (options.validate !== false) ctx.validate(kind.definition, result, `the ${kind.method} result${page > 0 ? ` (page ${page + 1})` : ''}`);
    const items = result[kind.key];
    if (Array.isArray(items)) for (const item of items) if (isPlainObject(item)) listing.items.push(item);
    const next = result.nextCursor;
    if (typeof next !== 'string') {
      listing.complete = true;
      return listing;
    }
    if (listing.cursors.includes(next)) {
      listing.repeatedCursor = next;
      return listing;
    }
    listing.cursors.push(next);
    cursor = next;
  }
  ctx.note(`stopped ${kind.method} after ${maxPages} pages`);
  return listing;
}
