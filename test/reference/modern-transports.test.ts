/**
 * The 2026-07-28 profile on every transport `mcpcert serve` offers, beside a 2025-11-25 session
 * on the same listener: the era is told per request, whatever carries it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../transport/connection.js';
import type { JsonObject } from '../../transport/jsonrpc.js';
import { RpcPeer } from '../../transport/rpc.js';
import { connectSse } from '../../transport/sse/client.js';
import { spawnStdio } from '../../transport/stdio/client.js';
import { connectTcp } from '../../transport/tcp/client.js';
import { connectWs } from '../../transport/ws/client.js';
import { CLI, startServe, type Served } from '../helpers/serve.js';

const META: JsonObject = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} };

let served: Served;
beforeAll(async () => {
  served = await startServe();
});
afterAll(async () => {
  await served?.stop();
});

async function exercise(open: () => Promise<Connection>): Promise<void> {
  const modern = await open();
  const legacy = await open();
  try {
    const m = new RpcPeer(modern, { timeoutMs: 10_000 });
    const l = new RpcPeer(legacy, { timeoutMs: 10_000 });
    const discover = await m.request('server/discover', { _meta: META });
    expect(discover).toMatchObject({ resultType: 'complete', supportedVersions: ['2026-07-28'] });
    const echo = await m.request('tools/call', { name: 'echo', arguments: { text: 'modern' }, _meta: META });
    expect(echo.resultType).toBe('complete');
    await expect(m.request('ping', { _meta: META })).rejects.toMatchObject({ code: -32601 });
    const init = await l.request('initialize', { protocolVersion: legacy.transport === 'sse' ? '2024-11-05' : '2025-11-25', capabilities: {}, clientInfo: { name: 'old', version: '1' } });
    expect(init).not.toHaveProperty('resultType');
    await l.notify('notifications/initialized');
    expect(await l.request('ping')).toEqual({});
  } finally {
    await modern.close();
    await legacy.close();
  }
}

describe('2026-07-28 beside the handshake era on every transport', () => {
  it('tcp', () => exercise(() => connectTcp(served.targets.tcp!)));
  it('ws', () => exercise(() => connectWs(served.targets.ws!)));
  it('sse (legacy HTTP+SSE)', () => exercise(() => connectSse(served.targets.sse!)));
  it('stdio', () => exercise(() => spawnStdio(process.execPath, ['--import', 'tsx', CLI, 'serve', '--transport', 'stdio'])));
});
