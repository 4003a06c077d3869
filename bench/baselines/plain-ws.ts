/** The WebSocket baseline: a plain `ws` server answering each text frame with a fixed result. */
import { WebSocket, WebSocketServer } from 'ws';
import type { Subject } from '../transport.js';

export async function plainWs(): Promise<Subject> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((r) => server.once('listening', r));
  server.on('connection', (socket) => {
    socket.on('message', (data) => {
      const { id } = JSON.parse(String(data)) as { id: number };
      socket.send(`{"jsonrpc":"2.0","id":${id},"result":{}}`);
    });
  });
  const client = new WebSocket(`ws://127.0.0.1:${(server.address() as { port: number }).port}`);
  await new Promise((r) => client.once('open', r));
  const waiting = new Map<number, () => void>();
  client.on('message', (data) => {
    const { id } = JSON.parse(String(data)) as { id: number };
    waiting.get(id)?.();
    waiting.delete(id);
  });
  let nextId = 1;
  return {
    call: () =>
      new Promise<void>((resolve) => {
        const id = nextId++;
        waiting.set(id, resolve);
        client.send(`{"jsonrpc":"2.0","id":${id},"method":"ping"}`);
      }),
    teardown: async () => {
      client.terminate();
      for (const c of server.clients) c.terminate();
      await new Promise((r) => server.close(r));
    },
  };
}
