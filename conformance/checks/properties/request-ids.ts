import fc from 'fast-check';
import { request, type RequestId } from '../../../transport/jsonrpc.js';
import { ALL_VERSIONS, defineCheck } from '../../check.js';
import { NoResponseError } from '../../errors.js';
import { checkProperty } from '../../kit/property.js';
import { fence, fenceMethod, settle } from '../../kit/replies.js';

/**
 * Every id shape JSON-RPC allows: strings (empty, unicode, digits, JSON-looking) and integers
 * (zero, negative, up to the largest exact one). The session numbers its own requests 1, 2, …,
 * so positive integers start far above that, where they cannot meet one in flight.
 */
const IDS: fc.Arbitrary<RequestId> = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 24 }),
  // Not 'binary': building that unit costs ~0.7 s, and its lone surrogates are JSON that RFC 8259
  // leaves unpredictable, which a correct server in another language may well replace.
  fc.string({ unit: 'grapheme-ascii', maxLength: 16 }),
  fc.constantFrom<RequestId>('', '0', '1e3', '-1', 'null', '{"a":1}', ' ', '\u0000', '\ud83d\ude00'),
  fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: 0 }),
  fc.integer({ min: 2 ** 40, max: Number.MAX_SAFE_INTEGER }),
);

export default defineCheck({
  id: 'properties/request-ids',
  title: 'Responses carry the id of their request exactly, for generated ids of every allowed shape',
  requirements: ['BASE-006', 'BASE-008', 'M-BASE-006', 'M-BASE-012'],
  level: 'MUST',
  versions: ALL_VERSIONS,
  transports: 'all',
  timeoutFactor: 2,
  async run(ctx) {
    const method = fenceMethod(ctx);
    const timeoutMs = Math.min(ctx.timeoutMs, 2000);
    // Under the full bound: a fresh stdio process of the 2026-07-28 era starts on its first request.
    await fence(ctx, await ctx.session());
    await checkProperty<RequestId>(ctx, {
      arbitrary: IDS,
      defaultRuns: 30,
      describe: (id) => id,
      judge: async (id) => {
        const session = await ctx.session();
        const message = request(id, method, session.eraParams({}));
        const before = session.unmatched.mark();
        let answered: boolean | undefined;
        const sent = session.send(message, { timeoutMs }).then(
          () => (answered = true),
          (err: unknown) => {
            if (!(err instanceof NoResponseError)) throw err;
            return (answered = false);
          },
        );
        // A plain request right behind it: once that is answered, a response that came back
        // under another id is already in, and the case need not wait out the timeout.
        await Promise.race([sent, fence(ctx, session).then(() => settle(50), () => undefined)]);
        const strays = (): string[] => session.unmatched.since(before).map((m) => JSON.stringify(m.id));
        if (answered === undefined && strays().length === 0) await sent;
        sent.catch(() => undefined);
        if (answered === true) return undefined;
        // A server that is merely slow has not lost the id: it must answer a plain request meanwhile.
        if (strays().length === 0 && (await fence(ctx, session).then((r) => r.kind !== 'result', () => true))) return undefined;
        const seen = strays();
        return {
          message: `no response carried the id ${JSON.stringify(id)} of the ${method} request${seen.length === 0 ? '' : `; responses arrived with id ${seen.join(', ')}`}`,
          details: { expected: `a response with id ${JSON.stringify(id)} (same JSON type, same value)`, observed: seen.length === 0 ? 'no response' : `responses with id ${seen.join(', ')}`, request: message },
        };
      },
    });
  },
});
