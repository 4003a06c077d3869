import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../transport/connection.js';
import { connectHttp } from '../../transport/http/client.js';
import { RpcPeer } from '../../transport/rpc.js';
import { connectSse } from '../../transport/sse/client.js';
import { spawnStdio } from '../../transport/stdio/client.js';
import { connectTcp } from '../../transport/tcp/client.js';
import { connectWs } from '../../transport/ws/client.js';
import { CLI, startServe, type Served } from '../helpers/serve.js';

const INIT = { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'serve-test', version: '1' } };

async function handshake(connection: Connection, version = '2025-11-25'): Promise<RpcPeer> {
  const peer = new RpcPeer(connection, { timeoutMs: 10_000 });
  const init = await peer.request('initialize', { ...INIT, protocolVersion: version });
  expect(init.protocolVersion).toBe(version);
  await peer.notify('notifications/initialized');
  return peer;
}

describe('mcpcert serve --transport all', () => {
  let served: Served;
  beforeAll(async () => {
    served = await startServe();
  });
  afterAll(async () => {
    await served?.stop();
  });

  it('announces one READY line per network transport, on loopback', () => {
    expect(Object.keys(served.targets).sort()).toEqual(['http', 'sse', 'tcp', 'ws']);
    expect(served.targets.http).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    expect(served.targets.sse).toMatch(/^sse\+http:\/\/127\.0\.0\.1:\d+\/sse$/);
    expect(served.targets.ws).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/mcp$/);
    expect(served.targets.tcp).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
  });

  it('speaks MCP on every listener', async () => {
    const clients: Connection[] = [
      await connectHttp(served.targets.http!),
      await connectSse(served.targets.sse!),
      await connectWs(served.targets.ws!),
      await connectTcp(served.targets.tcp!),
    ];
    for (const c of clients) {
      const peer = await handshake(c, c.transport === 'sse' ? '2024-11-05' : '2025-11-25');
      if (c.transport === 'http') (c as unknown as { setProtocolVersion?: (v: string) => void }).setProtocolVersion?.('2025-11-25');
      expect(await peer.request('ping')).toEqual({});
      expect(await peer.request('tools/list')).toHaveProperty('tools');
      await c.close();
    }
  });

  it('exits 0 on SIGTERM', async () => {
    const other = await startServe(['--transport', 'tcp', '--port', '0'], 1);
    expect(await other.stop()).toBe(0);
  });
});

describe('mcpcert serve --transport stdio', () => {
  it('speaks MCP on stdin/stdout, logs only to stderr, and exits when stdin closes', async () => {
    const client = await spawnStdio(process.execPath, ['--import', 'tsx', CLI, 'serve', '--transport', 'stdio']);
    const errors: unknown[] = [];
    const logs: string[] = [];
    client.on('error', (e) => errors.push(e));
    client.on('log', (l) => logs.push(l));
    const peer = await handshake(client);
    expect(await peer.request('ping')).toEqual({});
    await client.close();
    expect(client.exit).toEqual({ code: 0, signal: null });
    expect(errors).toEqual([]);
    expect(logs.join('\n')).toMatch(/stdio/);
  });
});

describe('mcpcert serve usage errors', () => {
  it('rejects a bad transport or port with exit code 2', async () => {
    const { runCli } = await import('../helpers/cli.js');
    for (const args of [['serve', '--transport', 'carrier-pigeon'], ['serve', '--port', 'abc'], ['serve', '--port', '70000']]) {
      const res = await runCli(args);
      expect(res.code, args.join(' ')).toBe(2);
    }
  });
});
