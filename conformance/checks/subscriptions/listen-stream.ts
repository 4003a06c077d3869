import { isPlainObject } from '../../../transport/codec.js';
import type { MessageMeta } from '../../../transport/connection.js';
import { isNotification, type JsonObject, type JsonRpcNotification, type JsonValue } from '../../../transport/jsonrpc.js';
import { MODERN_VERSIONS, defineCheck } from '../../check.js';
import { META_KEYS } from '../../modern.js';
import { describeReply, settle } from '../../kit/replies.js';
import { listTools, toolArguments } from '../../kit/tools.js';
import { listAll, listOf } from '../../kit/lists.js';

const SUBSCRIPTION_KEY = 'io.modelcontextprotocol/subscriptionId';
const ACK = 'notifications/subscriptions/acknowledged';
/** Change notifications a 2026-07-28 server delivers only on a listen stream, with the filter field that asks for each. */
const STREAM_ONLY: Readonly<Record<string, string>> = {
  'notifications/tools/list_changed': 'toolsListChanged',
  'notifications/prompts/list_changed': 'promptsListChanged',
  'notifications/resources/list_changed': 'resourcesListChanged',
  'notifications/resources/updated': 'resourceSubscriptions',
};
const CALLS_AT_ONCE = 8;

interface Seen {
  message: JsonRpcNotification;
  streamId: string | undefined;
}

function subscriptionOf(message: JsonRpcNotification): JsonValue | undefined {
  const meta = isPlainObject(message.params) ? message.params._meta : undefined;
  return isPlainObject(meta) ? meta[SUBSCRIPTION_KEY] : undefined;
}

/**
 * subscriptions/listen with the filter the target's capabilities allow: the acknowledgment
 * comes first, names the subscription and honours a subset of the filter. Then every tool is
 * called (with a log level, so logs are sent somewhere): every notification of the listen
 * stream carries the subscription id, is of a requested type and is never a log message, and
 * the target sends notifications/cancelled only to end that subscription.
 */
export default defineCheck({
  id: 'subscriptions/listen-stream',
  title: 'subscriptions/listen is acknowledged first, and its stream carries only tagged, requested notifications',
  requirements: ['M-SUB-001', 'M-SUB-002', 'M-SUB-003', 'M-BASE-052', 'M-LOG-004', 'M-CANCEL-003'],
  level: 'MUST',
  versions: MODERN_VERSIONS,
  transports: 'all',
  timeoutFactor: 4,
  async run(ctx) {
    const filter: JsonObject = {};
    for (const [list, field] of [['tools', 'toolsListChanged'], ['prompts', 'promptsListChanged'], ['resources', 'resourcesListChanged']] as const) {
      if (ctx.hasCapability(`${list}.listChanged`)) filter[field] = true;
    }
    const session = await ctx.session({ fresh: true });
    if (ctx.hasCapability('resources.subscribe')) {
      const resources = await listAll(ctx, session, listOf('resources/list'), { validate: false });
      const uris = resources.items.map((r) => r.uri).filter((u): u is string => typeof u === 'string').slice(0, 3);
      if (uris.length > 0) filter.resourceSubscriptions = uris;
    }
    if (Object.keys(filter).length === 0) return ctx.skip('the target declares no listChanged and no resources.subscribe (with a resource), so there is nothing to listen to');

    const seen: Seen[] = [];
    session.connection.on('message', (message, meta: MessageMeta) => {
      if (isNotification(message)) seen.push({ message, streamId: meta.sse?.streamId });
    });
    const listenId = `mcpcert-listen-${Date.now()}`;
    const params: JsonObject = { notifications: filter };
    const request = { jsonrpc: '2.0', id: listenId, method: 'subscriptions/listen', params: session.eraParams(params) ?? params };
    let ended: string | undefined;
    const listening = session.call('subscriptions/listen', params, { id: listenId, timeoutMs: ctx.timeoutMs * 4 }).then(
      (reply) => {
        ended = describeReply(reply);
      },
      () => undefined,
    );
    const until = Date.now() + ctx.timeoutMs / 2;
    const isAck = (s: Seen): boolean => s.message.method === ACK;
    while (!seen.some(isAck) && ended === undefined && Date.now() < until) await settle(10);
    const ackIndex = seen.findIndex(isAck);
    if (ackIndex < 0) {
      return ctx.fail(ended === undefined ? `subscriptions/listen got no ${ACK} within ${ctx.timeoutMs / 2} ms` : `subscriptions/listen was answered with ${ended} before any acknowledgment`, { expected: `${ACK} with the subscription id, first`, observed: ended ?? 'nothing', request });
    }
    const ack = seen[ackIndex]!;
    const streamId = ack.streamId;
    const onStream = (s: Seen): boolean => subscriptionOf(s.message) === listenId || (streamId !== undefined && s.streamId === streamId);
    const before = seen.slice(0, ackIndex).filter(onStream);
    ctx.expect(before.length === 0, `the subscription sent ${before[0]?.message.method} before its acknowledgment`, { expected: `${ACK} as the first message of the subscription`, observed: JSON.stringify(before[0]?.message ?? null).slice(0, 300), request });
    ctx.expect(subscriptionOf(ack.message) === listenId, `${ACK} does not carry _meta["${SUBSCRIPTION_KEY}"] = ${JSON.stringify(listenId)}`, { expected: `the listen request's id ${JSON.stringify(listenId)}`, observed: JSON.stringify(ack.message).slice(0, 500), request });
    const honoured = isPlainObject(ack.message.params) ? ack.message.params.notifications : undefined;
    if (ctx.expect(isPlainObject(honoured), `${ACK} does not list the honoured notifications`, { expected: 'params.notifications: the subset of the filter that is honoured', observed: JSON.stringify(ack.message).slice(0, 500), request }) && isPlainObject(honoured)) {
      for (const [field, value] of Object.entries(honoured)) {
        const asked = filter[field];
        const subset = Array.isArray(value) ? Array.isArray(asked) && value.every((v) => asked.includes(v)) : value !== true || asked === true;
        ctx.expect(subset, `${ACK} honours ${field}: ${JSON.stringify(value)}, which was not requested`, { expected: `a subset of ${JSON.stringify(filter)}`, observed: JSON.stringify(honoured), request });
      }
    }

    // Activity: every tool once, with a log level so that logging tools do log (elsewhere).
    const tools = ctx.hasCapability('tools') ? await listTools(ctx, session) : [];
    const planned = tools.flatMap((tool) => {
      const args = typeof tool.name === 'string' ? toolArguments(ctx, tool) : undefined;
      return args === undefined ? [] : [{ name: tool.name as string, arguments: args }];
    });
    for (let i = 0; i < planned.length && !ctx.signal.aborted; i += CALLS_AT_ONCE) {
      await Promise.all(planned.slice(i, i + CALLS_AT_ONCE).map((call) => session.call('tools/call', call, { timeoutMs: Math.min(ctx.timeoutMs / 2, 3000), meta: { [META_KEYS.logLevel]: 'debug' } }).catch(() => undefined)));
    }
    await settle(200);

    const requested = new Set(Object.keys(filter));
    for (const s of seen.slice(ackIndex + 1)) {
      const { message } = s;
      const shown = JSON.stringify(message).slice(0, 300);
      const field = STREAM_ONLY[message.method];
      if (message.method === 'notifications/cancelled') {
        const target = isPlainObject(message.params) ? message.params.requestId : undefined;
        ctx.expect(target === listenId, `the target sent notifications/cancelled for ${JSON.stringify(target)}`, { expected: `notifications/cancelled only to end the subscription ${JSON.stringify(listenId)}`, observed: shown, request });
        continue;
      }
      if (!onStream(s) && field === undefined) continue;
      if (message.method === 'notifications/message') {
        ctx.fail('a log message (notifications/message) was delivered on the subscriptions/listen stream', { expected: 'log messages only on the stream of the request they belong to', observed: shown, request });
        continue;
      }
      ctx.expect(subscriptionOf(message) === listenId, `${message.method} was delivered for the subscription without _meta["${SUBSCRIPTION_KEY}"] = ${JSON.stringify(listenId)}`, { expected: 'the subscription id on every notification of the listen stream', observed: shown, request });
      if (field !== undefined) ctx.expect(requested.has(field), `${message.method} was sent, but the filter did not ask for ${field}`, { expected: `only the requested types: ${[...requested].join(', ')}`, observed: shown, request });
    }
    // Ending the subscription: notifications/cancelled on a stream transport; HTTP closes the stream with the session.
    if (ctx.transport !== 'http' && ctx.transport !== 'sse') await session.notify('notifications/cancelled', session.eraParams({ requestId: listenId, reason: 'mcpcert: done listening' }) ?? {}).catch(() => undefined);
    session.abortPending('the check stopped listening');
    await listening;
  },
});
