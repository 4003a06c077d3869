import { defineCheck, versionsFrom } from '../../check.js';
import { rawHandshake, rawTerminate, type RawSession } from '../../kit/http-session.js';

const SESSIONS = 5;
/** Consecutive ids whose differing part, read as a number, grows by at most this are a counter or a clock. */
const SEQUENTIAL_STEP = 1n << 20n;

/**
 * The part two ids do not share, once their common prefix and suffix are cut: random ids differ
 * almost everywhere, a counter or a timestamp only in a short run of digits.
 */
function differingPart(a: string, b: string): [string, string] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let end = 0;
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
  return [a.slice(start, a.length - end), b.slice(start, b.length - end)];
}

/** Whether `next` looks like `previous` plus a small step (hex reading also covers decimal digits). */
function looksSequential(previous: string, next: string): boolean {
  const [a, b] = differingPart(previous, next);
  if (a === '' || b === '' || !/^[0-9a-f]+$/i.test(a) || !/^[0-9a-f]+$/i.test(b)) return false;
  const step = BigInt(`0x${b}`) - BigInt(`0x${a}`);
  return step > 0n && step <= SEQUENTIAL_STEP;
}

/**
 * SEC-011: session ids must not be guessable from one another. Several sessions are opened;
 * a repeated id, or ids that differ only by a small increasing number (a counter, a clock),
 * fail. Random ids (UUIDs, hex tokens) never look like that.
 */
export default defineCheck({
  id: 'http/session-id-unpredictable',
  title: 'Session ids are distinct and not sequential or otherwise predictable',
  requirements: ['SEC-011'],
  level: 'MUST',
  versions: versionsFrom('2025-03-26', '2025-11-25'),
  transports: ['http'],
  async run(ctx) {
    const sessions: RawSession[] = [];
    try {
      for (let i = 0; i < SESSIONS; i++) sessions.push(await rawHandshake(ctx));
      const ids = sessions.map((s) => s.sessionId).filter((id): id is string => id !== undefined);
      if (ids.length === 0) return ctx.skip('the target assigns no MCP-Session-Id (sessions are optional)');
      ctx.note(`session ids: ${ids.join(', ')}`);
      const unique = new Set(ids);
      if (!ctx.expect(unique.size === ids.length, `${ids.length - unique.size} of ${ids.length} fresh sessions got an id already given to another session`, { expected: 'a different id for every session', observed: ids.join(', ') })) return;
      const pairs = ids.slice(1).map((id, i) => [ids[i]!, id] as const);
      ctx.expect(!pairs.every(([a, b]) => looksSequential(a, b)), 'the session ids of consecutive sessions differ only by a small increasing number, so the next one can be guessed', { expected: 'ids from a secure random source', observed: ids.join(', ') });
    } finally {
      for (const session of sessions) await rawTerminate(ctx, session);
    }
  },
});
