/**
 * lists/stable (2026-07-28) against the reference server behind a proxy that makes its lists
 * depend on the connection, on earlier requests, or gives one list's pages different scopes.
 */
import { afterAll, describe, expect, it } from 'vitest';
import stable from '../../conformance/checks/lists/stable.js';
import { listenMutatingProxy, type JsonObj, type ProxyConnection, type ProxyRules } from './fixtures/mutating-proxy.js';
import { statuses } from './fixtures/run-checks.js';

/** Rewrites the result of every tools/list response. */
function toolsListResult(rewrite: (result: JsonObj, conn: ProxyConnection, id: string) => JsonObj): ProxyRules['toClient'] {
  return (m, conn, method) => (method === 'tools/list' && typeof m.result === 'object' ? [JSON.stringify({ ...m, result: rewrite(m.result as JsonObj, conn, JSON.stringify(m.id)) })] : undefined);
}

function withoutFirstTool(result: JsonObj): JsonObj {
  return { ...result, tools: (result.tools as Json[]).slice(1) };
}

type Json = JsonObj[keyof JsonObj];

const PAGE_TWO = 'mcpcert-proxy-page-2';

describe('lists/stable against a proxy that breaks list stability', () => {
  const closers: Array<() => Promise<void>> = [];
  afterAll(async () => {
    await Promise.all(closers.map((c) => c()));
  });
  async function run(rules: ProxyRules): Promise<string | undefined> {
    const proxy = await listenMutatingProxy(rules);
    closers.push(proxy.close);
    return (await statuses(proxy.url, [stable], '2026-07-28'))[stable.id];
  }

  it('passes the reference server through an unchanging proxy (the control)', async () => {
    expect(await run({})).toBe('pass');
  });

  it('fails when every other connection sees one tool fewer', async () => {
    expect(await run({ toClient: toolsListResult((r, conn) => (conn.index % 2 === 1 ? withoutFirstTool(r) : r)) })).toBe('fail');
  });

  it('fails when a connection loses a tool once it has read a resource or got a prompt', async () => {
    const rules: ProxyRules = {
      toServer: (m, conn) => {
        if (m.method === 'resources/read' || m.method === 'prompts/get' || m.method === 'tools/call') conn.state.used = true;
        return undefined;
      },
      toClient: toolsListResult((r, conn) => (conn.state.used === true ? withoutFirstTool(r) : r)),
    };
    expect(await run(rules)).toBe('fail');
  });

  it('fails when the pages of one list carry different cacheScope values', async () => {
    const rules: ProxyRules = {
      // Page one is the first tool; page two, asked for with our cursor, the rest under another scope.
      toServer: (m, conn) => {
        const params = m.params as JsonObj | undefined;
        if (m.method !== 'tools/list' || params?.cursor !== PAGE_TWO) return undefined;
        (conn.state.pageTwo as Set<string> | undefined) ?? (conn.state.pageTwo = new Set<string>());
        (conn.state.pageTwo as Set<string>).add(JSON.stringify(m.id));
        const { cursor: _cursor, ...rest } = params;
        return { forward: { ...m, params: rest } };
      },
      toClient: toolsListResult((r, conn, id) => {
        const tools = r.tools as Json[];
        if ((conn.state.pageTwo as Set<string> | undefined)?.has(id)) return { ...r, tools: tools.slice(1), cacheScope: r.cacheScope === 'public' ? 'private' : 'public' };
        return { ...r, tools: tools.slice(0, 1), nextCursor: PAGE_TWO };
      }),
    };
    expect(await run(rules)).toBe('fail');
  });
});
