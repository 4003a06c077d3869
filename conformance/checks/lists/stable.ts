import { isPlainObject } from '../../../transport/codec.js';
import type { JsonObject } from '../../../transport/jsonrpc.js';
import { defineCheck, MODERN_VERSIONS, type CheckContext } from '../../check.js';
import { HarnessError } from '../../errors.js';
import { LISTS, type ListKind } from '../../kit/lists.js';
import { describeReply, fence, settle } from '../../kit/replies.js';
import { listTools, toolArguments } from '../../kit/tools.js';
import type { Session } from '../../session.js';

const MAX_PAGES = 10;

/** The three lists whose set 2026-07-28 pins (templates have no such sentence). */
const PINNED = LISTS.filter((l) => l.method !== 'resources/templates/list');

interface Snapshot {
  ids: string[];
  /** The cacheScope of each page, in order. */
  scopes: string[];
}

async function snapshot(ctx: CheckContext, session: Session, kind: ListKind, label: string): Promise<Snapshot | undefined> {
  const snap: Snapshot = { ids: [], scopes: [] };
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const reply = await session.call(kind.method, cursor === undefined ? {} : { cursor });
    if (reply.kind !== 'result') {
      ctx.note(`${kind.method} on ${label}: ${describeReply(reply)}; not compared`);
      return undefined;
    }
    snap.scopes.push(String(reply.result.cacheScope));
    const items = reply.result[kind.key];
    if (Array.isArray(items)) for (const item of items) if (isPlainObject(item) && typeof item[kind.idField] === 'string') snap.ids.push(item[kind.idField] as string);
    if (typeof reply.result.nextCursor !== 'string') break;
    cursor = reply.result.nextCursor;
  }
  snap.ids.sort();
  // M-CACHE-014: one list, one scope, however many pages it took.
  if (new Set(snap.scopes).size > 1) ctx.fail(`the pages of ${kind.method} on ${label} carry different cacheScope values: ${snap.scopes.join(', ')}`, { expected: 'the same cacheScope on every page of one list', observed: snap.scopes.join(', ') });
  return snap;
}

function difference(a: Snapshot, b: Snapshot): string {
  const onlyA = a.ids.filter((id) => !b.ids.includes(id));
  const onlyB = b.ids.filter((id) => !a.ids.includes(id));
  return [onlyA.length > 0 ? `only in the first: ${onlyA.slice(0, 5).map((s) => JSON.stringify(s)).join(', ')}` : '', onlyB.length > 0 ? `only in the second: ${onlyB.slice(0, 5).map((s) => JSON.stringify(s)).join(', ')}` : ''].filter((s) => s !== '').join('; ');
}

function same(a: Snapshot, b: Snapshot): boolean {
  return a.ids.length === b.ids.length && a.ids.every((id, i) => id === b.ids[i]);
}

const ATTEMPTS = 5;

type Pair = { kind: 'same' } | { kind: 'differ'; a: Snapshot; b: Snapshot } | { kind: 'unknown' };

/**
 * Lists on both connections (A, B, then A again) until they agree, a few times at most. A set
 * that changes for everyone (another client toggling a tool) changes between A's two listings,
 * or shows a different difference each time: a change over time, which the spec allows. Only
 * the same difference, on every try, with A steady around B, is the connection's.
 */
async function agreedPair(ctx: CheckContext, a: Session, b: Session, kind: ListKind, labelA: string, labelB: string): Promise<Pair> {
  let last: Pair = { kind: 'unknown' };
  const seen = new Set<string>();
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const sa = await snapshot(ctx, a, kind, labelA);
    const sb = await snapshot(ctx, b, kind, labelB);
    const again = await snapshot(ctx, a, kind, labelA);
    if (!sa || !sb || !again) return { kind: 'unknown' };
    if (same(sa, sb) || same(again, sb)) {
      if (attempt > 0) ctx.note(`${kind.method} differed between the connections, then agreed: a change over time`);
      return { kind: 'same' };
    }
    if (same(sa, again)) {
      seen.add(difference(sa, sb) || JSON.stringify(sb.ids));
      last = { kind: 'differ', a: sa, b: sb };
    } else {
      seen.add(`moving ${attempt}`);
    }
    await settle(150);
  }
  if (seen.size > 1) {
    ctx.note(`${kind.method} kept changing over time (${ATTEMPTS} tries, different each time): not judged`);
    return { kind: 'unknown' };
  }
  return last;
}

/**
 * Requests a client makes in passing that change nothing by their nature: reads, prompt gets, and
 * calls of tools that declare themselves read-only (a tool that may write is allowed to change
 * what the server offers, for everyone).
 */
async function sideRequests(ctx: CheckContext, session: Session): Promise<number> {
  let sent = 0;
  const timeoutMs = Math.min(ctx.timeoutMs, 3000);
  const attempt = async (method: string, params: JsonObject): Promise<void> => {
    try {
      await session.call(method, params, { timeoutMs });
      sent++;
    } catch (err) {
      if (!(err instanceof HarnessError)) throw err;
      ctx.note(`${method}: ${err.message}`);
    }
  };
  if (ctx.hasCapability('tools')) {
    for (const tool of await listTools(ctx, session)) {
      if (!isPlainObject(tool.annotations) || tool.annotations.readOnlyHint !== true || typeof tool.name !== 'string') continue;
      const args = toolArguments(ctx, tool);
      if (args !== undefined) await attempt('tools/call', { name: tool.name, arguments: args });
      if (sent >= 5) break;
    }
  }
  for (const [method, list, key] of [['resources/read', 'resources/list', 'uri'], ['prompts/get', 'prompts/list', 'name']] as const) {
    if (!ctx.hasCapability(list.split('/')[0]!)) continue;
    const reply = await session.call(list, {});
    const items = reply.kind === 'result' ? reply.result[list.split('/')[0]!] : undefined;
    if (!Array.isArray(items)) continue;
    for (const item of items.slice(0, 3)) if (isPlainObject(item) && typeof item[key] === 'string') await attempt(method, { [key]: item[key] });
  }
  return sent;
}

/**
 * 2026-07-28: tools/list, resources/list and prompts/list "MUST NOT vary per-connection or as a
 * side effect of other requests on the connection" (M-TOOL-004, M-RES-003, M-PROMPT-003). Two
 * connections list, one of them then makes requests that change nothing by nature, both list
 * again: at every step both must see one set. A set that changed for both alike changed over
 * time, which the spec allows; so it is compared across connections, never before and after. Every page of one walk must carry one cacheScope (M-CACHE-014).
 */
export default defineCheck({
  id: 'lists/stable',
  title: 'The tools, resources and prompts lists are the same on every connection and survive other requests',
  requirements: ['M-TOOL-004', 'M-RES-003', 'M-PROMPT-003', 'M-CACHE-014'],
  level: 'MUST',
  versions: MODERN_VERSIONS,
  transports: 'all',
  timeoutFactor: 3,
  async run(ctx) {
    const lists = PINNED.filter((l) => ctx.hasCapability(l.capability));
    if (lists.length === 0) ctx.skip('the target declares none of tools, resources and prompts');
    const a = await ctx.session({ fresh: true });
    const b = await ctx.session({ fresh: true });
    await Promise.all([fence(ctx, a), fence(ctx, b)]);
    for (const kind of lists) {
      const pair = await agreedPair(ctx, a, b, kind, 'connection A', 'connection B');
      if (pair.kind === 'differ') ctx.fail(`${kind.method} differs between two connections (${difference(pair.a, pair.b)})`, { expected: 'one set for every connection', observed: difference(pair.a, pair.b) });
    }
    const sent = await sideRequests(ctx, a);
    ctx.note(`connection A made ${sent} read-only request(s) between the listings`);
    for (const kind of lists) {
      const pair = await agreedPair(ctx, a, b, kind, 'connection A, after its other requests', 'connection B');
      if (pair.kind === 'differ') ctx.fail(`after read-only requests on one connection, ${kind.method} differs between it and another connection (${difference(pair.a, pair.b)})`, { expected: 'one set for every connection, unchanged by other requests', observed: difference(pair.a, pair.b) });
    }
  },
});
