/**
 * A test-only MCP server over RpcPeer: just enough of 2024-11-05 for an SDK client to
 * initialize, list one `echo` tool and call it. Transport tests use it to talk to the SDK's
 * clients without involving the reference server.
 */
import type { Connection } from '../../transport/connection.js';
import type { JsonObject } from '../../transport/jsonrpc.js';
import { RpcError, RpcPeer } from '../../transport/rpc.js';

/** Records the method of every request and notification in `seen`. */
export function serveMinimalMcp(connection: Connection, seen: string[], name: string): RpcPeer {
  const peer = new RpcPeer(connection);
  peer.onNotification((note) => seen.push(note.method));
  peer.onRequest((req): JsonObject => {
    seen.push(req.method);
    const params = req.params ?? {};
    switch (req.method) {
      case 'initialize':
        // The only version this responder speaks, whatever the client asked for.
        return { protocolVersion: '2024-11-05', capabilities: { tools: {} }, serverInfo: { name, version: '0.0.0' } };
      case 'tools/list':
        return { tools: [{ name: 'echo', description: 'Returns its text', inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] } }] };
      case 'tools/call': {
        const args = (params.arguments ?? {}) as JsonObject;
        if (params.name !== 'echo') throw new RpcError(-32602, `Unknown tool: ${String(params.name)}`);
        return { content: [{ type: 'text', text: String(args.text ?? '') }] };
      }
      case 'ping':
        return {};
      default:
        throw new RpcError(-32601, `Method not found: ${req.method}`);
    }
  });
  return peer;
}

/** Polls `condition` every 20 ms; false if it did not hold within `ms`. */
export async function waitUntil(condition: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}
