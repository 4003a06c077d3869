import { ALL_VERSIONS, defineCheck, type CheckContext } from '../../check.js';
import { HarnessError } from '../../errors.js';
import { describeReply, fence } from '../../kit/replies.js';
import type { Session } from '../../session.js';

interface Probe {
  what: string;
  uri: string;
  /** False for a URI that is well formed, only unusual: any answer will do, a crash will not. */
  mustReject: boolean;
}

/** RFC 3986 allows no spaces, control characters or empty URIs; length has no limit there. */
const PROBES: readonly Probe[] = [
  { what: 'an empty URI', uri: '', mustReject: true },
  { what: 'text that is not a URI', uri: 'not a uri at all', mustReject: true },
  { what: 'a URI with NUL and control characters', uri: 'mcpcert://example/\u0000\u0001\u001f/../x', mustReject: true },
  { what: 'a 20,000-character URI', uri: `mcpcert://example/${'a'.repeat(20_000)}`, mustReject: false },
];

async function judge(ctx: CheckContext, session: Session, probe: Probe): Promise<void> {
  const params = { uri: probe.uri };
  const request = { jsonrpc: '2.0', method: 'resources/read', params };
  let reply;
  try {
    reply = await session.call('resources/read', params, { timeoutMs: Math.min(ctx.timeoutMs, 3000) });
  } catch (err) {
    if (!(err instanceof HarnessError)) throw err;
    // An HTTP target may refuse the request outright (400, 413): that is a rejection, not a crash.
    if (err.data.status !== undefined && err.data.status >= 400 && err.data.status < 500) {
      ctx.note(`resources/read with ${probe.what}: refused with HTTP ${err.data.status}`);
      return;
    }
    ctx.fail(`resources/read with ${probe.what}: ${err.message}`, { expected: 'a JSON-RPC error', observed: err.message, request });
    return;
  }
  if (reply.kind === 'error') {
    ctx.note(`resources/read with ${probe.what}: error ${reply.error.code} "${reply.error.message}"`);
    return;
  }
  if (reply.kind === 'invalid') {
    ctx.fail(`resources/read with ${probe.what}: ${describeReply(reply)}`, { expected: 'a JSON-RPC error', observed: reply.raw.slice(0, 500), request });
    return;
  }
  if (probe.mustReject && reply.result.resultType !== 'input_required') {
    ctx.fail(`resources/read with ${probe.what} (${JSON.stringify(probe.uri.slice(0, 60))}) was answered with a result: the URI was not validated`, { expected: 'a JSON-RPC error (e.g. -32602)', observed: JSON.stringify(reply.result).slice(0, 500), request });
  }
}

/**
 * "Servers MUST validate all resource URIs" (RES-007). Strings that are no URI at all must be
 * refused with an error rather than served, and no URI, however odd, may break the server: it
 * answers each one and is still alive afterwards.
 */
export default defineCheck({
  id: 'validation/resource-uris',
  title: 'resources/read refuses malformed URIs with an error and survives them',
  requirements: ['RES-007', 'M-RES-010'],
  level: 'MUST',
  versions: ALL_VERSIONS,
  transports: 'all',
  needs: ['resources'],
  timeoutFactor: 2,
  async run(ctx) {
    // The lane's session: a fresh one would cost a server process on stdio, and nothing here
    // depends on a session's history (a broken session is replaced for the next check).
    const session = await ctx.session();
    // A fresh stdio process of the 2026-07-28 era starts on its first request: not within a probe's short bound.
    await fence(ctx, session);
    for (const probe of PROBES) {
      if (session.closed) break;
      await judge(ctx, session, probe);
    }
    try {
      const alive = await fence(ctx, session);
      ctx.expect(alive.kind === 'result', `after the malformed URIs the target answered the liveness request with ${describeReply(alive)}`, { expected: 'a result', observed: describeReply(alive) });
    } catch (err) {
      if (!(err instanceof HarnessError)) throw err;
      ctx.fail(`the target stopped answering after resources/read with malformed URIs: ${err.message}`, { expected: 'the target still answers', observed: err.message });
    }
  },
});
