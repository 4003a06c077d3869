import { ALL_VERSIONS, defineCheck, type CheckContext } from '../../check.js';
import { declaredLists, listAll } from '../../kit/lists.js';
import { fence, settle } from '../../kit/replies.js';
import { callTools, listTools } from '../../kit/tools.js';

const LIST_CHANGED: Readonly<Record<string, string>> = {
  'notifications/tools/list_changed': 'tools.listChanged',
  'notifications/resources/list_changed': 'resources.listChanged',
  'notifications/prompts/list_changed': 'prompts.listChanged',
};

/** Why a notification was not the target's to send, or undefined when it was. */
function unwarranted(ctx: CheckContext, method: string): string | undefined {
  if (ctx.era === 'modern') {
    // This session never opted in to logging (no logLevel) nor opened a subscriptions/listen stream.
    if (method === 'notifications/message') return 'no request carried _meta io.modelcontextprotocol/logLevel (M-LOG-003)';
    if (method in LIST_CHANGED || method === 'notifications/resources/updated') return 'no subscriptions/listen stream asked for it (M-SUB-001)';
    return undefined;
  }
  if (method === 'notifications/message' && !ctx.hasCapability('logging')) return 'the target does not declare logging (LOG-001)';
  const needed = LIST_CHANGED[method];
  if (needed !== undefined && !ctx.hasCapability(needed)) return `the target does not declare ${needed} (LIFE-016)`;
  if (method === 'notifications/resources/updated' && !ctx.hasCapability('resources.subscribe')) return 'the target does not declare resources.subscribe (LIFE-016)';
  return undefined;
}

/**
 * Exercises the target the way a client would (every list, every tool with generated arguments)
 * and holds what it sent on its own against what it declared and what this client declared:
 * nothing. In 2026-07-28 the server may send no request at all; handshake-era requests are
 * server-requests/undeclared-capabilities' to judge.
 */
export default defineCheck({
  id: 'capabilities/declared-notifications',
  title: 'The server sends only notifications and requests its and our declared capabilities allow',
  requirements: ['LOG-001', 'LIFE-016', 'M-LOG-003', 'M-SUB-001', 'M-PAT-001'],
  level: 'MUST',
  versions: ALL_VERSIONS,
  transports: 'all',
  timeoutFactor: 3,
  async run(ctx) {
    const session = await ctx.session({ fresh: true });
    for (const list of declaredLists(ctx)) await listAll(ctx, session, list, { maxPages: 5, validate: false });
    if (ctx.hasCapability('tools')) await callTools(ctx, session, await listTools(ctx, session), { max: 20, perCallTimeoutMs: Math.min(ctx.timeoutMs, 3000) });
    await fence(ctx, session);
    await settle(200);
    const reported = new Set<string>();
    for (const n of session.notifications) {
      const why = unwarranted(ctx, n.method);
      if (why === undefined || reported.has(n.method)) continue;
      reported.add(n.method);
      ctx.fail(`the target sent ${n.method}, but ${why}`, { expected: `no ${n.method}`, observed: JSON.stringify(n).slice(0, 500) });
    }
    for (const r of session.serverRequests) {
      // Handshake-era requests to a client without the capability are judged (LIFE-016) by
      // server-requests/undeclared-capabilities, so that one fault fails one check.
      if (ctx.era === 'legacy' || reported.has(r.method)) continue;
      reported.add(r.method);
      ctx.fail(`the target sent the JSON-RPC request ${r.method}; 2026-07-28 servers never initiate requests (M-PAT-001)`, {
        expected: 'no request from the server',
        observed: JSON.stringify(r).slice(0, 500),
      });
    }
  },
});
