import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { describe, expect, it } from 'vitest';
import type { MessageMeta } from '../../transport/connection.js';
import { connectHttp } from '../../transport/http/client.js';
import { listenHttp } from '../../transport/http/server.js';
import type { JsonObject } from '../../transport/jsonrpc.js';
import { RpcError, RpcPeer } from '../../transport/rpc.js';
import { activeHandles, settledHandles, within } from '../helpers/transport-suite.js';

const baseline = activeHandles();

const ECHO_TOOL: JsonObject = {
  name: 'echo',
  description: 'Returns its text argument',
  inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
};

describe('Streamable HTTP interop with the official MCP TypeScript SDK', () => {
  it('serves the SDK Client over StreamableHTTPClientTransport: initialize, tools/list, tools/call, close', async () => {
    const listener = await listenHttp();
    const seen: Array<[string, MessageMeta]> = [];
    listener.on('connection', (connection) => {
      const peer = new RpcPeer(connection);
      peer.onNotification((n, meta) => seen.push([n.method, meta]));
      // A minimal MCP responder, just enough for the SDK client's happy path.
      peer.onRequest((req, meta): JsonObject => {
        seen.push([req.method, meta]);
        const params = req.params ?? {};
        switch (req.method) {
          case 'initialize':
            return { protocolVersion: params.protocolVersion ?? '2025-11-25', capabilities: { tools: {} }, serverInfo: { name: 'mcpcert-test', version: '0.0.0' } };
          case 'tools/list':
            return { tools: [ECHO_TOOL] };
          case 'tools/call': {
            const args = (params.arguments ?? {}) as JsonObject;
            return { content: [{ type: 'text', text: String(args.text) }] };
          }
          default:
            throw new RpcError(-32601, `Method not found: ${req.method}`);
        }
      });
    });
    const client = new Client({ name: 'sdk-client', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(listener.target));
    try {
      await within(client.connect(transport), 10_000, 'SDK client connect');
      expect(client.getServerVersion()).toEqual({ name: 'mcpcert-test', version: '0.0.0' });
      const tools = await within(client.listTools(), 10_000, 'tools/list');
      expect(tools.tools.map((t) => t.name)).toEqual(['echo']);
      const result = await within(client.callTool({ name: 'echo', arguments: { text: 'héllo 🧪' } }), 10_000, 'tools/call');
      expect(result.content).toEqual([{ type: 'text', text: 'héllo 🧪' }]);
      expect(transport.sessionId).toMatch(/^[\x21-\x7e]+$/);
      const list = seen.find(([method]) => method === 'tools/list');
      expect(list?.[1]).toMatchObject({ sessionId: transport.sessionId, http: { headers: { 'mcp-protocol-version': '2025-11-25', 'mcp-session-id': transport.sessionId } } });
      expect(seen.map(([method]) => method)).toContain('notifications/initialized');
    } finally {
      await client.close();
      await listener.close();
    }
    expect(await settledHandles(baseline)).toEqual(baseline);
  });

  it('talks to the SDK McpServer over StreamableHTTPServerTransport: initialize, tools/list, tools/call, DELETE', async () => {
    const mcp = new McpServer({ name: 'sdk-server', version: '1.0.0' });
    mcp.registerTool('ping', { description: 'Answers pong' }, () => ({ content: [{ type: 'text', text: 'pong' }] }));
    const sdkTransport = new StreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID() });
    await mcp.connect(sdkTransport);
    const requests: Array<{ method: string; headers: IncomingHttpHeaders }> = [];
    const server = createServer((req, res) => {
      requests.push({ method: req.method ?? '', headers: req.headers });
      void sdkTransport.handleRequest(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
    const client = await connectHttp(url, { reconnectDelayMs: 50 });
    try {
      const peer = new RpcPeer(client, { timeoutMs: 10_000 });
      const init = await peer.request('initialize', { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'mcpcert', version: '0.0.0' } });
      expect(init).toMatchObject({ protocolVersion: '2025-11-25', serverInfo: { name: 'sdk-server' }, capabilities: { tools: {} } });
      expect(client.sessionId).toBe(sdkTransport.sessionId);
      client.setProtocolVersion(String(init.protocolVersion));
      await peer.notify('notifications/initialized');
      const tools = await peer.request('tools/list', {});
      expect((tools.tools as JsonObject[]).map((t) => t.name)).toEqual(['ping']);
      const call = await peer.request('tools/call', { name: 'ping', arguments: {} });
      expect(call).toMatchObject({ content: [{ type: 'text', text: 'pong' }] });
      const posts = requests.filter((r) => r.method === 'POST');
      expect(posts.at(-1)!.headers).toMatchObject({ 'mcp-session-id': sdkTransport.sessionId, 'mcp-protocol-version': '2025-11-25' });
      await client.terminateSession();
      expect(client.sessionId).toBeUndefined();
      expect(requests.at(-1)).toMatchObject({ method: 'DELETE', headers: { 'mcp-session-id': sdkTransport.sessionId } });
    } finally {
      await client.close();
      await mcp.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    expect(await settledHandles(baseline)).toEqual(baseline);
  });
});
