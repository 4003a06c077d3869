import { MessageError } from '../../../transport/errors.js';
import { ALL_VERSIONS, defineCheck } from '../../check.js';
import { driveSession } from '../../kit/drive-session.js';

const MAX_LINES = 200;

/**
 * Runs of lines that failed to parse on their own but parse once joined with newlines: one
 * message written over several lines (pretty-printed JSON, say), each run as its joined text.
 */
function splitMessages(lines: readonly string[]): string[] {
  const found: string[] = [];
  for (let start = 0; start < lines.length; start++) {
    for (let end = start + 2; end <= Math.min(lines.length, start + MAX_LINES); end++) {
      const joined = lines.slice(start, end).join('\n');
      try {
        JSON.parse(joined);
      } catch {
        continue;
      }
      found.push(joined);
      start = end - 1;
      break;
    }
  }
  return found;
}

/**
 * Newline-delimited framing (stdio, and mcpcert's TCP transport, which reuses it): "Messages
 * MUST NOT contain embedded newlines". A message spread over several lines reaches a client as
 * a series of unparseable lines; joined again they make the message, which is the evidence.
 */
export default defineCheck({
  id: 'validation/one-message-per-line',
  title: 'Every message the server writes fits on one line',
  requirements: ['STDIO-001', 'M-STDIO-001'],
  level: 'MUST',
  versions: ALL_VERSIONS,
  transports: ['stdio', 'tcp'],
  timeoutFactor: 3,
  async run(ctx) {
    // A fresh session: everything it ever received is judged, so no other check's traffic may be in it.
    const session = await ctx.session({ fresh: true });
    await driveSession(ctx, session);
    if (session.received.total === 0) ctx.fail('the target sent nothing at all during the exercise', { expected: 'answers to the requests sent' });
    // Only lines that were not JSON can be pieces of a message (an invalid-message line parsed fine).
    const unparsed = [...session.frameErrors].filter((f) => f instanceof MessageError && f.rpcCode === -32700).map((f) => f.raw ?? '');
    for (const message of splitMessages(unparsed)) {
      ctx.fail(`the target wrote one message over ${message.split('\n').length} lines`, { expected: 'each message on a single line, without embedded newlines', observed: message.slice(0, 500) });
    }
  },
});
