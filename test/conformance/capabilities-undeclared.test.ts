/**
 * capabilities/undeclared-methods against the reference server behind a proxy that hides a
 * capability from its initialize result while still serving it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import undeclaredMethods from '../../conformance/checks/capabilities/undeclared-methods.js';
import { listenMutatingProxy, type JsonObj, type ProxyRules } from './fixtures/mutating-proxy.js';
import { statuses } from './fixtures/run-checks.js';

/** Drops `capability` from what initialize declares. */
function hide(capability: string, also: ProxyRules = {}): ProxyRules {
  return {
    ...also,
    toClient: (m, conn, method) => {
      if (method !== 'initialize') return also.toClient?.(m, conn, method);
      const result = m.result as JsonObj;
      const { [capability]: _hidden, ...capabilities } = result.capabilities as JsonObj;
      return [JSON.stringify({ ...m, result: { ...result, capabilities } })];
    },
  };
}

describe('capabilities/undeclared-methods', () => {
  const closers: Array<() => Promise<void>> = [];
  afterAll(async () => {
    await Promise.all(closers.map((c) => c()));
  });
  async function run(rules: ProxyRules): Promise<string | undefined> {
    const proxy = await listenMutatingProxy(rules);
    closers.push(proxy.close);
    return (await statuses(proxy.url, [undeclaredMethods], '2025-11-25'))[undeclaredMethods.id];
  }

  it('skips a server that declares every capability it could be probed for', async () => {
    expect(await run({})).toBe('skip');
  });

  it('passes a server that refuses the methods of a capability it does not declare', async () => {
    const refuse: ProxyRules = { toServer: (m) => (m.method === 'prompts/list' ? { reply: [{ jsonrpc: '2.0', id: m.id!, error: { code: -32601, message: 'Method not found' } }] } : undefined) };
    expect(await run(hide('prompts', refuse))).toBe('pass');
  });

  it.each(['tools', 'resources', 'prompts', 'completions'])('fails a server that serves %s without declaring it', async (capability) => {
    expect(await run(hide(capability))).toBe('fail');
  });

  it('fails a server that logs after logging/setLevel without declaring logging', async () => {
    const logs: ProxyRules = {
      toClient: (m, _c, method) => (method === 'logging/setLevel' ? [JSON.stringify(m), JSON.stringify({ jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: 'hello' } })] : undefined),
    };
    expect(await run(hide('logging', logs))).toBe('fail');
  });
});
