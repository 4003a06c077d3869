/**
 * 2026-07-28 over Streamable HTTP: a client cancels a request by closing its response stream
 * (M-HTTP-019), and the server stops the work and sends nothing more for it (M-HTTP-021).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Listener } from '../../transport/connection.js';
import { populateDefault } from '../../reference/populate.js';
import { listenAll } from '../../reference/serve.js';
import { ReferenceServer } from '../../reference/server.js';
import { within } from '../helpers/transport-suite.js';

let server: ReferenceServer;
let listener: Listener | undefined;
const events: string[] = [];
let stopped: () => void = () => undefined;
const stoppedOnce = new Promise<void>((r) => (stopped = r));

beforeAll(async () => {
  server = new ReferenceServer({
    populate: (registry) => {
      populateDefault(registry);
      registry.addTool({
        name: 'watch-cancel',
        description: 'Reports progress until its request is cancelled, and notes that it saw the cancellation.',
        inputSchema: { type: 'object' },
        call: async (_args, ctx) => {
          for (let i = 1; i <= 200; i++) {
            if (ctx.signal.aborted) {
              events.push('aborted');
              stopped();
              return { content: [] };
            }
            await ctx.progress(i, 200);
            events.push(`step ${i}`);
            await new Promise((r) => setTimeout(r, 10));
          }
          events.push('finished');
          return { content: [{ type: 'text', text: 'finished' }] };
        },
      });
    },
  });
  [listener] = await listenAll(server, ['http'], { host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await server?.close();
});

describe('2026-07-28 cancellation over Streamable HTTP', () => {
  it('treats closing the SSE response stream as cancellation and stops the work', async () => {
    const controller = new AbortController();
    const res = await fetch(listener!.target, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'watch-cancel' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'watch-cancel', arguments: {}, _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {}, progressToken: 'w' } } }),
      signal: controller.signal,
    });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toMatch(/notifications\/progress/);
    controller.abort();
    await within(stoppedOnce, 5000, 'the tool seeing its cancellation');
    expect(events).not.toContain('finished');
    const stepsAtStop = events.length;
    await new Promise((r) => setTimeout(r, 100));
    expect(events.length).toBe(stepsAtStop);
  });
});
