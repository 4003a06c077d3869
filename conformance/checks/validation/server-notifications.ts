import { isPlainObject } from '../../../transport/codec.js';
import type { JsonRpcMessage, JsonValue } from '../../../transport/jsonrpc.js';
import { HANDSHAKE_VERSIONS, defineCheck, type CheckContext } from '../../check.js';
import { HarnessError } from '../../errors.js';
import { capabilitiesOf, declaration, plausibleAnswer, undeclaredFor } from '../../kit/client-requests.js';
import { exerciseTarget } from '../../kit/exercise-requests.js';
import { fence, settle } from '../../kit/replies.js';
import { idKey } from '../../session.js';

const JUDGED = new Set(['notifications/cancelled', 'notifications/progress']);

function isRequestId(value: JsonValue | undefined): value is string | number {
  return typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value));
}

/** The progress token a server-sent request carries in its `_meta`, if it has one. */
function requestProgressToken(message: JsonRpcMessage): { present: boolean; token: JsonValue | undefined } {
  const params = 'params' in message && isPlainObject(message.params) ? message.params : undefined;
  const meta = params !== undefined && isPlainObject(params._meta) ? params._meta : undefined;
  return meta !== undefined && 'progressToken' in meta ? { present: true, token: meta.progressToken } : { present: false, token: undefined };
}

function judgeCancelled(ctx: CheckContext, message: JsonRpcMessage, sentIds: ReadonlySet<string>, taskIds: ReadonlySet<string>): void {
  const params = 'params' in message && isPlainObject(message.params) ? message.params : {};
  const observed = JSON.stringify(message).slice(0, 500);
  const requestId = params.requestId;
  if (requestId === undefined) {
    // 2025-11-25 lets requestId go only for task-augmented requests, which are cancelled with tasks/cancel.
    if (taskIds.size === 0) ctx.fail('the target sent notifications/cancelled without a requestId (CANCEL-004)', { expected: 'requestId naming the cancelled request (it may be left out only for a task)', observed });
    return;
  }
  if (!isRequestId(requestId)) {
    ctx.fail(`the target sent notifications/cancelled whose requestId ${JSON.stringify(requestId)} is not a string or integer (CANCEL-004)`, { expected: 'a request id: string or integer', observed });
    return;
  }
  // A task-augmented request ends through tasks/cancel; notifications/cancelled is for plain ones.
  if (taskIds.has(idKey(requestId))) {
    ctx.fail(`the target sent notifications/cancelled for its task-augmented request ${JSON.stringify(requestId)} (CANCEL-003)`, { expected: 'tasks/cancel for a task-augmented request', observed });
    return;
  }
  // Cancelling a request of ours would be the wrong direction; ids never sent are nobody's.
  ctx.expect(sentIds.has(idKey(requestId)), `the target sent notifications/cancelled for id ${JSON.stringify(requestId)}, which names no request it had sent before (CANCEL-001)`, {
    expected: 'a cancellation only of a request the target itself issued earlier in this session',
    observed,
  });
}

/**
 * A client declaring sampling, elicitation and roots (and answering them) exercises the target
 * with a progress token on every tool call; every cancellation the target sends must name a
 * request the target itself sent before, and every progress token it sends — in progress
 * notifications or in its own requests' `_meta` — must be a string or an integer.
 */
export default defineCheck({
  id: 'validation/server-notifications',
  title: 'Cancellations the server sends name its own earlier requests; its progress tokens are strings or integers',
  requirements: ['CANCEL-001', 'CANCEL-003', 'CANCEL-004', 'PROG-001'],
  level: 'MUST',
  versions: HANDSHAKE_VERSIONS,
  transports: 'all',
  timeoutFactor: 3,
  async run(ctx) {
    const session = await ctx.connect();
    const declared = declaration(ctx.version, 'full');
    session.answerServerRequest = (r) => (undeclaredFor(r.method, declared) === undefined ? plausibleAnswer(r.method) : undefined);
    const capabilities = capabilitiesOf(declared, ctx.version);
    const init = await session.initialize(ctx.version, { capabilities });
    if (init.kind !== 'result') throw new HarnessError('MCPCERT_ERR_TRANSPORT', `the target refused initialize from a client declaring ${JSON.stringify(capabilities)}`);
    // Every request and judged notification in arrival order, unbounded by the session's logs.
    const seen: JsonRpcMessage[] = [];
    const collect = (message: JsonRpcMessage): void => {
      if ('method' in message && (('id' in message && message.id !== undefined) || JUDGED.has(message.method))) seen.push(message);
    };
    session.connection.on('message', collect);
    try {
      await exerciseTarget(ctx, session);
      await fence(ctx, session);
      await settle(200);
    } finally {
      session.connection.off('message', collect);
    }
    const sentIds = new Set<string>();
    const taskIds = new Set<string>();
    let judged = 0;
    for (const message of seen) {
      if (!('method' in message)) continue;
      if ('id' in message && message.id !== undefined && message.id !== null) {
        sentIds.add(idKey(message.id));
        if (isPlainObject(message.params) && isPlainObject(message.params.task)) taskIds.add(idKey(message.id));
        const { present, token } = requestProgressToken(message);
        if (present) {
          judged++;
          ctx.expect(isRequestId(token), `the target's ${message.method} request carries progressToken ${JSON.stringify(token)} (PROG-001)`, { expected: 'a progress token that is a string or an integer', observed: JSON.stringify(message).slice(0, 500) });
        }
        continue;
      }
      if (message.method === 'notifications/cancelled') {
        judged++;
        judgeCancelled(ctx, message, sentIds, taskIds);
      } else if (message.method === 'notifications/progress') {
        judged++;
        const token = isPlainObject(message.params) ? message.params.progressToken : undefined;
        ctx.expect(isRequestId(token), `the target sent notifications/progress with progressToken ${JSON.stringify(token ?? null)} (PROG-001)`, { expected: 'a progress token that is a string or an integer', observed: JSON.stringify(message).slice(0, 500) });
      }
    }
    if (judged === 0) ctx.skip('the target sent no notifications/progress, notifications/cancelled or request with a progressToken while its tools (called with progress tokens), prompts and resources were exercised by a client declaring sampling, elicitation and roots');
  },
});
