/**
 * Opaque, tamper-evident cursors. A cursor names the list and an offset, signed with a
 * per-process key, so a forged, stale-format or foreign cursor is an invalid-params error
 * (-32602) rather than a silently wrong page.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { invalidParams } from './errors.js';

// Made on first use, not at load: a process started from a heap snapshot
// (reference/stdio-snapshot.ts) must not share a key baked into the snapshot file.
let key: Buffer | undefined;

function sign(body: string): string {
  key ??= randomBytes(32);
  return createHmac('sha256', key).update(body).digest('base64url').slice(0, 16);
}

export function encodeCursor(list: string, offset: number): string {
  const body = Buffer.from(JSON.stringify([list, offset])).toString('base64url');
  return `${body}.${sign(body)}`;
}

export function decodeCursor(list: string, cursor: string): number {
  const [body, mac, extra] = cursor.split('.');
  if (body === undefined || mac === undefined || extra !== undefined || sign(body) !== mac) throw invalidParams('Invalid cursor', { cursor });
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    throw invalidParams('Invalid cursor', { cursor });
  }
  if (!Array.isArray(parsed) || parsed[0] !== list || !Number.isInteger(parsed[1]) || (parsed[1] as number) < 0) throw invalidParams('Invalid cursor', { cursor });
  return parsed[1] as number;
}

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

export function paginate<T>(list: string, items: readonly T[], cursor: unknown, pageSize: number): Page<T> {
  if (cursor !== undefined && typeof cursor !== 'string') throw invalidParams('cursor must be a string');
  const offset = cursor === undefined ? 0 : decodeCursor(list, cursor);
  const end = offset + pageSize;
  const page: Page<T> = { items: items.slice(offset, end) };
  if (end < items.length) page.nextCursor = encodeCursor(list, end);
  return page;
}
