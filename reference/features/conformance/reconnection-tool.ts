/**
 * Conformance fixture test_reconnection (pending scenario server-sse-polling of
 * @modelcontextprotocol/conformance 0.1.16, SEP-1699). The scenario POSTs a call, expects the
 * server to drop the SSE connection after its priming event, and then wants the result on a
 * GET that resumes with Last-Event-ID. Dropping the connection is the engine's business: the
 * tool asks for it through `closeStream`, which acts on Streamable HTTP at 2025-11-25, and finishes a little later so the result is produced after the drop.
 */
import type { RequestContext, ToolDefinition } from '../../types.js';
import { noArguments } from './content-tools.js';
import { textResult } from './result.js';
import { pause } from './wait.js';

/** How long the call outlives the dropped connection. */
export const RECONNECTION_DELAY_MS = 100;

export const RECONNECTION_TEXT =
  'Reconnection test completed successfully. If you received this, the client resumed the stream after the server closed the connection.';

/** Closes the connection carrying this call's SSE stream where the transport allows it. */
export function closeCallStream(ctx: RequestContext): boolean {
  return ctx.closeStream();
}

export function reconnectionTool(): ToolDefinition {
  return {
    name: 'test_reconnection',
    description: 'Closes the SSE connection of this call mid-way and answers after the client resumes with Last-Event-ID (conformance scenario server-sse-polling).',
    inputSchema: noArguments(),
    // SSE polling (priming events, closing the connection mid-stream) is 2025-11-25.
    since: '2025-11-25',
    async call(_args, ctx) {
      closeCallStream(ctx);
      await pause(RECONNECTION_DELAY_MS, ctx.signal);
      return textResult(ctx, RECONNECTION_TEXT);
    },
  };
}
