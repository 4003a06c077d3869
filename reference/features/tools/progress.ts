/**
 * `long-running`: a tool that takes a while, reports progress at each step and stops as soon
 * as the request is cancelled — the tool that exercises progress, cancellation and (in
 * 2025-11-25) task-augmented calls.
 */
import type { ToolDefinition } from '../../types.js';
import { pngIcon } from '../resources/media.js';
import { sleep } from './abortable.js';
import { integerInRange } from './args.js';
import { defineTool } from './define-tool.js';
import { errorResult, structuredResult } from './result.js';

export const longRunningTool: ToolDefinition = defineTool({
  name: 'long-running',
  title: 'Long-running operation',
  description:
    'Works for `steps` steps of `stepMs` milliseconds each, sending notifications/progress after every step (when the call carries a progress token), and stops promptly when cancelled.',
  inputSchema: {
    type: 'object',
    properties: {
      steps: { type: 'integer', minimum: 1, maximum: 100, default: 5, description: 'Number of steps.' },
      stepMs: { type: 'integer', minimum: 0, maximum: 1000, default: 100, description: 'Duration of each step in milliseconds.' },
    },
    additionalProperties: false,
  },
  outputSchema: {
    type: 'object',
    properties: {
      steps: { type: 'integer', minimum: 1 },
      completed: { type: 'integer', minimum: 0 },
    },
    required: ['steps', 'completed'],
    additionalProperties: false,
  },
  annotations: { title: 'Long-running operation', readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  icons: [pngIcon([150, 150, 40])],
  taskSupport: 'optional',
  async call(args, ctx) {
    const steps = integerInRange(args, 'steps', 1, 100, 5);
    const stepMs = integerInRange(args, 'stepMs', 0, 1000, 100);
    for (let i = 1; i <= steps; i++) {
      if (!(await sleep(stepMs, ctx.signal)) || ctx.signal.aborted) {
        // Cancelled: the engine drops whatever comes back (the receiver of a cancellation does
        // not respond), so say what happened and send nothing more, progress included.
        return errorResult(`Cancelled after ${i - 1} of ${steps} steps.`);
      }
      // Progress counts completed steps, so it rises by one each time (PROG: strictly increasing).
      await ctx.progress(i, steps, `Step ${i} of ${steps}`);
    }
    return structuredResult(ctx, { steps, completed: steps }, `Completed ${steps} steps of ${stepMs} ms.`);
  },
});
