/**
 * The HTTP baseline: plain node:http reading each POST body and answering a fixed JSON-RPC
 * result with the request's id; the client is undici with keep-alive, as ours is.
 */
import { createServer } from 'node:http';
import { Agent, request } from 'undici';
import type { Subject } from '../transport.js';

export async function plainHttp(): Promise<Subject> {
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (body += d));
    req.on('end', () => {
      const { id } = JSON.parse(body) as { id: number };
      const reply = `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":{}}`;
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(reply) });
      res.end(reply);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/mcp`;
  const agent = new Agent({ keepAliveTimeout: 10_000 });
  let nextId = 1;
  return {
    call: async () => {
      const res = await request(url, {
        method: 'POST',
        dispatcher: agent,
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: `{"jsonrpc":"2.0","id":${nextId++},"method":"ping"}`,
      });
      JSON.parse(await res.body.text());
    },
    teardown: async () => {
      await agent.close();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
