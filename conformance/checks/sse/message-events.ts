import { decode } from '../../../transport/codec.js';
import { isResponse, type JsonRpcMessage } from '../../../transport/jsonrpc.js';
import { defineCheck, HANDSHAKE_VERSIONS } from '../../check.js';
import { HarnessError } from '../../errors.js';
import { initializeMessage } from '../../kit/http-session.js';
import { legacyPostSpec, openLegacyStream } from '../../kit/legacy-sse.js';
import { StreamReader, type LiveStream } from '../../kit/sse-stream.js';

function answered(stream: LiveStream, id: string): boolean {
  return stream.events.some((e) => e.messages.some((m) => isResponse(m) && m.id === id));
}

/**
 * Legacy HTTP+SSE (2024-11-05 "HTTP with SSE"): after the `endpoint` event, every server
 * message is an SSE `message` event whose data is one JSON-RPC message (BASE-002). A stream
 * without the endpoint event cannot be driven at all; the catalog has no row for that rule, so
 * it is reported as the harness being unable to judge, with the spec's words.
 */
export default defineCheck({
  id: 'sse/message-events',
  title: 'Legacy SSE: server messages are `message` events carrying one JSON-RPC message each',
  requirements: ['BASE-002'],
  level: 'MUST',
  versions: HANDSHAKE_VERSIONS,
  transports: ['sse'],
  async run(ctx) {
    const reader = new StreamReader(ctx);
    try {
      const legacy = await openLegacyStream(ctx, reader);
      if (!legacy.stream.isSse) throw new HarnessError('MCPCERT_ERR_TRANSPORT', `GET on the SSE endpoint was answered with HTTP ${legacy.stream.status}, Content-Type ${legacy.stream.headers['content-type'] ?? '(none)'}`);
      if (legacy.endpoint === undefined) {
        const first = legacy.first === undefined ? 'nothing' : `an event of type ${JSON.stringify(legacy.first.event ?? 'message')} with data ${JSON.stringify(legacy.first.data.slice(0, 100))}`;
        throw new HarnessError('MCPCERT_ERR_TRANSPORT', `the SSE stream began with ${first}, not an endpoint event naming a URI (2024-11-05 HTTP with SSE: "the server MUST send an endpoint event"), so no message can be sent`);
      }
      const endpoint = legacy.endpoint;
      const waitMs = Math.min(ctx.timeoutMs, 5000);
      const stream = legacy.stream;
      await reader.open(legacyPostSpec(ctx, endpoint, { ...initializeMessage(ctx, 'mcpcert-init') }), 'POST initialize');
      await reader.until(stream, (s) => answered(s, 'mcpcert-init'), waitMs);
      await reader.open(legacyPostSpec(ctx, endpoint, { jsonrpc: '2.0', method: 'notifications/initialized' }), 'POST notifications/initialized');
      await reader.open(legacyPostSpec(ctx, endpoint, { jsonrpc: '2.0', id: 'mcpcert-ping', method: 'ping' }), 'POST ping');
      await reader.until(stream, (s) => answered(s, 'mcpcert-ping'), waitMs);
      const messages: JsonRpcMessage[] = [];
      for (const event of stream.events.slice(1)) {
        const shown = `event ${JSON.stringify(event.event ?? 'message')}: ${event.data.slice(0, 300)}`;
        if (event.data === '' && event.event === undefined) continue;
        if (!ctx.expect(event.event === undefined || event.event === 'message', `the server sent an SSE event of type ${JSON.stringify(event.event)}; server messages are sent as "message" events`, { expected: 'event: message (or no event field) with a JSON-RPC message as data', observed: shown })) continue;
        const decoded = decode(event.data);
        if (ctx.expect(decoded.ok && !decoded.batch && decoded.faults.length === 0 && decoded.messages.length === 1, 'a message event does not carry one JSON-RPC message', { expected: 'data: one JSON-RPC 2.0 message', observed: shown })) messages.push(...event.messages);
      }
      for (const id of ['mcpcert-init', 'mcpcert-ping']) {
        ctx.expect(messages.some((m) => isResponse(m) && m.id === id), `no message event answered request ${id} within ${waitMs} ms`, { expected: `a message event carrying the response to ${id}`, observed: `${stream.events.length} events on the stream` });
      }
    } finally {
      await reader.closeAll();
    }
  },
});
