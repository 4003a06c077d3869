import { request as httpRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import { listenHttp } from '../../transport/http/server.js';
import { listenSse } from '../../transport/sse/server.js';
import { listenWs } from '../../transport/ws/server.js';

/** A raw request with full control over Host and Origin, as a rebinding page would send. */
function raw(port: number, path: string, method: string, headers: Record<string, string>, body?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method, headers, timeout: 5000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

const INIT = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } });
const POST_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

describe('DNS-rebinding protection on loopback listeners', () => {
  it('Streamable HTTP refuses a foreign Host or Origin with 403 and accepts loopback names', async () => {
    const listener = await listenHttp();
    listener.on('connection', (c) => c.on('message', (m) => 'id' in m && void c.send({ jsonrpc: '2.0', id: m.id!, result: {} })));
    try {
      expect(await raw(listener.port, '/mcp', 'POST', { ...POST_HEADERS, host: 'evil.example' }, INIT)).toBe(403);
      expect(await raw(listener.port, '/mcp', 'POST', { ...POST_HEADERS, host: `127.0.0.1:${listener.port}`, origin: 'http://evil.example' }, INIT)).toBe(403);
      expect(await raw(listener.port, '/mcp', 'POST', { ...POST_HEADERS, host: `localhost:${listener.port}`, origin: `http://localhost:${listener.port}` }, INIT)).toBe(200);
    } finally {
      await listener.close();
    }
  });

  it('legacy SSE and WebSocket refuse a foreign Host with 403', async () => {
    const sse = await listenSse();
    const ws = await listenWs();
    try {
      expect(await raw(sse.port, '/sse', 'GET', { accept: 'text/event-stream', host: 'evil.example' })).toBe(403);
      expect(await raw(ws.port, '/mcp', 'GET', { host: 'evil.example', connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' })).toBe(403);
    } finally {
      await sse.close();
      await ws.close();
    }
  });
});
