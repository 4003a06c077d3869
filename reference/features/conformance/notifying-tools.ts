/**
 * Conformance fixtures that talk while they run: scenarios tools-call-with-logging and
 * tools-call-with-progress of @modelcontextprotocol/conformance 0.1.16. The pauses matter:
 * the scenarios check that several notifications arrive during one call, not in a burst.
 */
import type { ToolDefinition } from '../../types.js';
import { noArguments } from './content-tools.js';
import { textResult } from './result.js';
import { pause } from './wait.js';

/** Gap between two notifications of one call. */
export const NOTIFICATION_GAP_MS = 50;

export const LOG_MESSAGES = ['Tool execution started', 'Tool processing data', 'Tool execution completed'] as const;
export const PROGRESS_STEPS = [0, 50, 100] as const;
export const PROGRESS_TOTAL = 100;
const LOGGER = 'test_tool_with_logging';

export function notifyingTools(): ToolDefinition[] {
  return [
    {
      name: 'test_tool_with_logging',
      description: 'Sends three info-level log notifications while it runs (conformance scenario tools-call-with-logging).',
      inputSchema: noArguments(),
      async call(_args, ctx) {
        for (const [i, message] of LOG_MESSAGES.entries()) {
          if (i > 0) await pause(NOTIFICATION_GAP_MS, ctx.signal);
          await ctx.log('info', message, LOGGER);
        }
        return textResult(ctx, `Tool with logging executed successfully (${LOG_MESSAGES.length} log messages sent)`);
      },
    },
    {
      name: 'test_tool_with_progress',
      description: 'Reports progress 0, 50 and 100 of 100 when the call carries a progress token (conformance scenario tools-call-with-progress).',
      inputSchema: noArguments(),
      async call(_args, ctx) {
        for (const [i, step] of PROGRESS_STEPS.entries()) {
          if (i > 0) await pause(NOTIFICATION_GAP_MS, ctx.signal);
          await ctx.progress(step, PROGRESS_TOTAL, `Completed step ${step} of ${PROGRESS_TOTAL}`);
        }
        return textResult(ctx, `Tool with progress executed successfully (${PROGRESS_STEPS.length} steps)`);
      },
    },
  ];
}
