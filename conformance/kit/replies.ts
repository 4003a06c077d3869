/** Reading replies in checks: one wording for what came back, and the "liveness fence". */
import type { JsonObject } from '../../transport/jsonrpc.js';
import type { CheckContext, FailureDetails } from '../check.js';
import type { Reply, Session } from '../session.js';

/** What a reply was, in words for a failure message. */
export function describeReply(reply: Reply): string {
  switch (reply.kind) {
    case 'result':
      return 'a result';
    case 'error':
      return `error ${reply.error.code} "${reply.error.message}"${reply.meta.http?.status === undefined ? '' : ` (HTTP ${reply.meta.http.status})`}`;
    case 'invalid':
      return `a malformed response (${reply.reason})`;
  }
}

/** The result of a request that must succeed; otherwise a failure naming `what`. */
export function expectResult(ctx: CheckContext, reply: Reply, what: string, details: FailureDetails = {}): JsonObject | undefined {
  if (reply.kind === 'result') return reply.result;
  ctx.fail(`${what} was answered with ${describeReply(reply)}`, { expected: 'a result', observed: describeReply(reply), ...details });
  return undefined;
}

/** The cheapest request every target of the era must answer: ping, or server/discover from 2026-07-28. */
export function fenceMethod(ctx: CheckContext): string {
  return ctx.era === 'modern' ? 'server/discover' : 'ping';
}

/**
 * Sends the fence request and waits for it: once it is answered, everything the target sent
 * before it has arrived (every transport here keeps order), and the target is still alive.
 */
export function fence(ctx: CheckContext, session: Session): Promise<Reply> {
  return session.call(fenceMethod(ctx), {});
}

/** A short pause for messages that might still arrive (a response to a notification, a late notification). */
export function settle(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
