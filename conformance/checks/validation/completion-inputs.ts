import { isPlainObject } from '../../../transport/codec.js';
import type { JsonObject } from '../../../transport/jsonrpc.js';
import { defineCheck, versionsFrom, type CheckContext } from '../../check.js';
import { HarnessError } from '../../errors.js';
import { describeReply, fence } from '../../kit/replies.js';
import type { Session } from '../../session.js';

interface Probe {
  what: string;
  params: JsonObject;
  /**
   * `shape`: the params break CompleteRequest itself, so only an error will do. `unknown`: a
   * well-formed request naming nothing the server has; an error, or an empty completion (nothing
   * to suggest), both show the input was looked at.
   */
  kind: 'shape' | 'unknown';
}

const UNKNOWN = 'mcpcert-no-such-name';

/** A prompt argument the target really has, so a broken `argument` is the only fault in a request. */
async function knownPromptRef(ctx: CheckContext, session: Session): Promise<{ ref: JsonObject; argument: string } | undefined> {
  if (!ctx.hasCapability('prompts')) return undefined;
  const reply = await session.call('prompts/list', {});
  if (reply.kind !== 'result' || !Array.isArray(reply.result.prompts)) return undefined;
  for (const prompt of reply.result.prompts) {
    if (!isPlainObject(prompt) || typeof prompt.name !== 'string' || !Array.isArray(prompt.arguments)) continue;
    const arg = prompt.arguments.find((a) => isPlainObject(a) && typeof a.name === 'string');
    if (isPlainObject(arg)) return { ref: { type: 'ref/prompt', name: prompt.name }, argument: arg.name as string };
  }
  return undefined;
}

function probes(known: { ref: JsonObject; argument: string } | undefined): Probe[] {
  const ref = known?.ref ?? { type: 'ref/prompt', name: UNKNOWN };
  const argument = known?.argument ?? 'a';
  return [
    { what: 'an unknown prompt', kind: 'unknown', params: { ref: { type: 'ref/prompt', name: UNKNOWN }, argument: { name: 'a', value: '' } } },
    { what: 'an unknown resource template', kind: 'unknown', params: { ref: { type: 'ref/resource', uri: `mcpcert://${UNKNOWN}/{x}` }, argument: { name: 'x', value: '' } } },
    { what: 'a ref of an unknown type', kind: 'shape', params: { ref: { type: 'ref/mcpcert-unknown', name: UNKNOWN }, argument: { name: argument, value: '' } } },
    { what: 'no ref', kind: 'shape', params: { argument: { name: argument, value: '' } } },
    { what: 'no argument', kind: 'shape', params: { ref } },
    { what: 'an argument value that is a number', kind: 'shape', params: { ref, argument: { name: argument, value: 42 } } },
  ];
}

function isEmptyCompletion(result: JsonObject): boolean {
  return isPlainObject(result.completion) && Array.isArray(result.completion.values) && result.completion.values.length === 0;
}

async function judge(ctx: CheckContext, session: Session, probe: Probe): Promise<void> {
  const request = { jsonrpc: '2.0', method: 'completion/complete', params: probe.params };
  let reply;
  try {
    reply = await session.call('completion/complete', probe.params, { timeoutMs: Math.min(ctx.timeoutMs, 3000) });
  } catch (err) {
    if (!(err instanceof HarnessError)) throw err;
    if (err.data.status !== undefined && err.data.status >= 400 && err.data.status < 500) return;
    ctx.fail(`completion/complete with ${probe.what}: ${err.message}`, { expected: 'a JSON-RPC error', observed: err.message, request });
    return;
  }
  if (reply.kind === 'error') {
    ctx.note(`completion/complete with ${probe.what}: error ${reply.error.code} "${reply.error.message}"`);
    return;
  }
  if (reply.kind === 'invalid') {
    ctx.fail(`completion/complete with ${probe.what}: ${describeReply(reply)}`, { expected: 'a JSON-RPC error', observed: reply.raw.slice(0, 500), request });
    return;
  }
  if (probe.kind === 'unknown' && isEmptyCompletion(reply.result)) return;
  ctx.fail(`completion/complete with ${probe.what} was answered with ${probe.kind === 'unknown' ? 'suggestions' : 'a result'}: the input was not validated`, {
    expected: probe.kind === 'unknown' ? 'a JSON-RPC error (e.g. -32602) or an empty completion' : 'a JSON-RPC error (e.g. -32602)',
    observed: JSON.stringify(reply.result).slice(0, 500),
    request,
  });
}

/**
 * "Implementations MUST validate all completion inputs" (COMP-006): a request that breaks
 * CompleteRequest gets an error, one naming a prompt or template the server lacks gets an error
 * or nothing to suggest, and none of them breaks the server. From 2025-03-26, the first version
 * with a `completions` capability to gate the check on.
 */
export default defineCheck({
  id: 'validation/completion-inputs',
  title: 'completion/complete refuses malformed and unknown references and survives them',
  requirements: ['COMP-006', 'M-COMP-006'],
  level: 'MUST',
  versions: versionsFrom('2025-03-26'),
  transports: 'all',
  needs: ['completions'],
  timeoutFactor: 2,
  async run(ctx) {
    // The lane's session: a fresh one would cost a server process on stdio, and nothing here
    // depends on a session's history (a broken session is replaced for the next check).
    const session = await ctx.session();
    // A fresh stdio process of the 2026-07-28 era starts on its first request: not within a probe's short bound.
    await fence(ctx, session);
    for (const probe of probes(await knownPromptRef(ctx, session))) {
      if (session.closed) break;
      await judge(ctx, session, probe);
    }
    try {
      const alive = await fence(ctx, session);
      ctx.expect(alive.kind === 'result', `after the malformed completion requests the target answered the liveness request with ${describeReply(alive)}`, { expected: 'a result', observed: describeReply(alive) });
    } catch (err) {
      if (!(err instanceof HarnessError)) throw err;
      ctx.fail(`the target stopped answering after malformed completion/complete requests: ${err.message}`, { expected: 'the target still answers', observed: err.message });
    }
  },
});
