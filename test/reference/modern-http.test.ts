/**
 * 2026-07-28 over Streamable HTTP on the same endpoint as the handshake era: the mirrored
 * request headers, the HTTP statuses of the new errors, no session ids, SSE for progress and
 * subscriptions, and a 2025-11-25 session beside it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validate } from '../../spec/validate.js';
import type { JsonObject } from '../../transport/jsonrpc.js';
import { startServe, type Served } from '../helpers/serve.js';

const V = '2026-07-28';
const META: JsonObject = {
  'io.modelcontextprotocol/protocolVersion': V,
  'io.modelcontextprotocol/clientCapabilities': {},
  'io.modelcontextprotocol/clientInfo': { name: 'modern-http', version: '1' },
};

let served: Served;
let url: string;
beforeAll(async () => {
  served = await startServe(['--transport', 'http', '--port', '0'], 1);
  url = served.targets.http!;
});
afterAll(async () => {
  await served?.stop();
});

let nextId = 1;

/** The headers a conforming 2026-07-28 client sends for a request. */
function mirrored(method: string, params: JsonObject): Record<string, string> {
  const headers: Record<string, string> = { 'mcp-protocol-version': V, 'mcp-method': method };
  if (method === 'tools/call' || method === 'prompts/get') headers['mcp-name'] = String(params.name);
  if (method === 'resources/read') headers['mcp-name'] = String(params.uri);
  return headers;
}

async function post(method: string, params: JsonObject, headers: Record<string, string> = mirrored(method, params)): Promise<{ status: number; headers: Headers; body: JsonObject | undefined; text: string }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body: JSON.stringify({ jsonrpc: '2.0', id: nextId++, method, params }),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  let body: JsonObject | undefined;
  if (res.headers.get('content-type')?.startsWith('application/json')) body = JSON.parse(text) as JsonObject;
  else {
    // SSE: the last `data:` line holds the response.
    const data = [...text.matchAll(/^data: (.+)$/gm)].map((m) => JSON.parse(m[1]!) as JsonObject);
    body = data.find((d) => 'result' in d || 'error' in d);
  }
  return { status: res.status, headers: res.headers, body, text };
}

describe('2026-07-28 over Streamable HTTP', () => {
  it('answers server/discover statelessly: 200, no session id minted', async () => {
    const res = await post('server/discover', { _meta: META });
    expect(res.status).toBe(200);
    expect(res.headers.get('mcp-session-id')).toBeNull();
    expect(validate(V, 'DiscoverResult', res.body!.result)).toEqual({ ok: true });
  });

  it('maps the new errors onto HTTP statuses: 400 for -32602/-32022/-32021/-32020, 404 for -32601', async () => {
    const missing = await post('tools/list', { _meta: { 'io.modelcontextprotocol/protocolVersion': V } });
    expect([missing.status, (missing.body!.error as JsonObject).code]).toEqual([400, -32602]);
    const unsupported = await post('tools/list', { _meta: { ...META, 'io.modelcontextprotocol/protocolVersion': '2031-01-01' } }, { ...mirrored('tools/list', {}), 'mcp-protocol-version': '2031-01-01' });
    expect([unsupported.status, (unsupported.body!.error as JsonObject).code]).toEqual([400, -32022]);
    const capability = await post('tools/call', { name: 'sample', arguments: { prompt: 'x', maxTokens: 5 }, _meta: META });
    expect([capability.status, (capability.body!.error as JsonObject).code]).toEqual([400, -32021]);
    const unknown = await post('tools/frobnicate', { _meta: META });
    expect([unknown.status, (unknown.body!.error as JsonObject).code]).toEqual([404, -32601]);
  });

  it('rejects mirrored headers that disagree with the body with 400 + -32020, and accepts agreeing ones', async () => {
    const params = { name: 'routed', arguments: { region: 'eu-west', priority: 2 }, _meta: META };
    const good = await post('tools/call', params, { ...mirrored('tools/call', params), 'Mcp-Param-Region': 'eu-west', 'MCP-PARAM-PRIORITY': '2' });
    expect(good.status).toBe(200);
    expect((good.body!.result as JsonObject).structuredContent).toEqual({ region: 'eu-west', priority: 2 });
    const cases: Array<[string, Record<string, string>]> = [
      ['version', { ...mirrored('tools/call', params), 'mcp-protocol-version': '2025-11-25', 'mcp-param-region': 'eu-west', 'mcp-param-priority': '2' }],
      ['method', { ...mirrored('tools/call', params), 'mcp-method': 'tools/list', 'mcp-param-region': 'eu-west', 'mcp-param-priority': '2' }],
      ['name', { ...mirrored('tools/call', params), 'mcp-name': 'echo', 'mcp-param-region': 'eu-west', 'mcp-param-priority': '2' }],
      ['param value', { ...mirrored('tools/call', params), 'mcp-param-region': 'us-east', 'mcp-param-priority': '2' }],
      ['missing param', { ...mirrored('tools/call', params), 'mcp-param-priority': '2' }],
    ];
    for (const [what, headers] of cases) {
      const res = await post('tools/call', params, headers);
      expect([res.status, (res.body?.error as JsonObject | undefined)?.code], what).toEqual([400, -32020]);
    }
  });

  it('streams progress over SSE for a request that opts in, and sends a complete result with resultType', async () => {
    const res = await post('tools/call', { name: 'long-running', arguments: { steps: 3, stepMs: 5 }, _meta: { ...META, progressToken: 'p' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    expect(res.text.match(/notifications\/progress/g)?.length).toBe(3);
    expect((res.body!.result as JsonObject).resultType).toBe('complete');
  });

  it('opens a subscriptions/listen stream acknowledged first, and closing it ends the subscription', async () => {
    const controller = new AbortController();
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...mirrored('subscriptions/listen', {}) },
      body: JSON.stringify({ jsonrpc: '2.0', id: 'listen-1', method: 'subscriptions/listen', params: { _meta: META, notifications: { toolsListChanged: true } } }),
      signal: controller.signal,
    });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let seen = '';
    const readUntil = async (pattern: RegExp) => {
      const deadline = Date.now() + 5000;
      while (!pattern.test(seen) && Date.now() < deadline) {
        const { value, done } = await reader.read();
        if (done) break;
        seen += decoder.decode(value, { stream: true });
      }
      return pattern.test(seen);
    };
    expect(await readUntil(/subscriptions\/acknowledged/)).toBe(true);
    const toggled = await post('tools/call', { name: 'toggle-tool', arguments: {}, _meta: META });
    expect(toggled.status).toBe(200);
    expect(await readUntil(/tools\/list_changed/)).toBe(true);
    expect(seen.indexOf('subscriptions/acknowledged')).toBeLessThan(seen.indexOf('tools/list_changed'));
    expect(seen).toMatch(/"io.modelcontextprotocol\/subscriptionId":"listen-1"/);
    controller.abort();
    await post('tools/call', { name: 'toggle-tool', arguments: {}, _meta: META });
  });

  it('serves a 2025-11-25 session on the same endpoint at the same time', async () => {
    const init = await post('initialize', { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'old', version: '1' } }, {});
    expect(init.status).toBe(200);
    const session = init.headers.get('mcp-session-id');
    expect(session).toMatch(/^[\x21-\x7e]+$/);
    const list = await post('tools/list', {}, { 'mcp-session-id': session!, 'mcp-protocol-version': '2025-11-25' });
    expect(list.status).toBe(200);
    expect(list.body!.result).not.toHaveProperty('resultType');
    const modern = await post('tools/list', { _meta: META });
    expect((modern.body!.result as JsonObject).resultType).toBe('complete');
  });
});
