/**
 * Our legacy HTTP+SSE transport against the official TypeScript SDK (devDependency
 * @modelcontextprotocol/sdk), both ways: the SDK client against our server transport, and
 * our client against the SDK's McpServer behind its SSEServerTransport.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { CloseInfo } from '../../transport/connection.js';
import type { JsonObject } from '../../transport/jsonrpc.js';
import { RpcPeer } from '../../transport/rpc.js';
import { connectSse } from '../../transport/sse/client.js';
import { listenSse } from '../../transport/sse/server.js';
import { within } from '../helpers/transport-suite.js';
import { serveMinimalMcp, waitUntil } from '../helpers/mcp-responder.js';


describe('legacy HTTP+SSE interop with the official SDK', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('SDK Client + SSEClientTransport initializes, lists and calls tools on our SSE server', async () => {
    const listener = await listenSse();
    cleanups.push(() => listener.close());
    const seen: string[] = [];
    const closed: Promise<CloseInfo>[] = [];
    listener.on('connection', (connection) => {
      closed.push(new Promise((resolve) => connection.once('close', resolve)));
      serveMinimalMcp(connection, seen, 'mcpcert-sse-test');
    });
    const client = new Client({ name: 'sdk-client', version: '1.0.0' });
    const transport = new SSEClientTransport(new URL(`http://127.0.0.1:${listener.port}/sse`));
    await within(client.connect(transport), 10_000, 'SDK connect');
    expect(client.getServerVersion()).toEqual({ name: 'mcpcert-sse-test', version: '0.0.0' });
    expect(client.getServerCapabilities()).toEqual({ tools: {} });
    const { tools } = await within(client.listTools(), 10_000, 'tools/list');
    expect(tools.map((tool) => tool.name)).toEqual(['echo']);
    const called = await within(client.callTool({ name: 'echo', arguments: { text: 'héllo 🧪' } }), 10_000, 'tools/call');
    expect(called.content).toEqual([{ type: 'text', text: 'héllo 🧪' }]);
    await client.close();
    expect(closed).toHaveLength(1);
    expect(await within(closed[0]!, 5000, 'server-side close')).toMatchObject({ by: 'remote' });
    expect(seen).toEqual(['initialize', 'notifications/initialized', 'tools/list', 'tools/call']);
  });

  it('our SSE client initializes, lists and calls tools on the SDK McpServer + SSEServerTransport', async () => {
    const transports = new Map<string, SSEServerTransport>();
    const servers: McpServer[] = [];
    const http: Server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (req.method === 'GET' && url.pathname === '/sse') {
        const transport = new SSEServerTransport('/messages', res);
        transports.set(transport.sessionId, transport);
        res.on('close', () => transports.delete(transport.sessionId));
        const server = new McpServer({ name: 'sdk-server', version: '9.9.9' });
        server.registerTool('echo', { description: 'Returns its text', inputSchema: { text: z.string() } }, ({ text }) => ({ content: [{ type: 'text', text }] }));
        servers.push(server);
        void server.connect(transport);
        return;
      }
      const transport = transports.get(url.searchParams.get('sessionId') ?? '');
      if (req.method === 'POST' && url.pathname === '/messages' && transport) {
        void transport.handlePostMessage(req, res);
        return;
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    cleanups.push(async () => {
      for (const server of servers) await server.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    });
    const { port } = http.address() as AddressInfo;

    const client = await connectSse(`sse+http://127.0.0.1:${port}/sse`);
    cleanups.push(() => client.close());
    expect(client.endpoint?.pathname).toBe('/messages');
    expect(client.sessionId).toBeDefined();
    expect(transports.has(client.sessionId!)).toBe(true);
    const peer = new RpcPeer(client, { timeoutMs: 10_000 });
    const init = await peer.request('initialize', { protocolVersion: '2024-11-05', capabilities: {}, clientInfo: { name: 'mcpcert', version: '0.1.0' } });
    expect(init.protocolVersion).toBe('2024-11-05');
    expect(init.serverInfo).toMatchObject({ name: 'sdk-server', version: '9.9.9' });
    expect(init.capabilities).toHaveProperty('tools');
    await peer.notify('notifications/initialized');
    const listed = await peer.request('tools/list', {});
    const tools = listed.tools as { name: string; inputSchema: JsonObject }[];
    expect(tools.map((tool) => tool.name)).toEqual(['echo']);
    expect(tools[0]!.inputSchema).toMatchObject({ type: 'object', properties: { text: { type: 'string' } } });
    const called = await peer.request('tools/call', { name: 'echo', arguments: { text: '日本語 ✓' } });
    expect(called.content).toEqual([{ type: 'text', text: '日本語 ✓' }]);
    const sessionId = client.sessionId!;
    await client.close();
    // The SDK drops its transport when our GET stream goes away.
    expect(await waitUntil(() => !transports.has(sessionId), 5000)).toBe(true);
  });
});

