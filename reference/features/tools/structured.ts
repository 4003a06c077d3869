/**
 * `structured`: a tool whose output schema has a nested object and arrays, so structured
 * output is exercised beyond a flat {key: value}.
 */
import type { JsonObject } from '../../../transport/jsonrpc.js';
import type { ToolDefinition } from '../../types.js';
import { pngIcon } from '../resources/media.js';
import { numberArray, optionalString } from './args.js';
import { defineTool } from './define-tool.js';
import { errorResult, structuredResult } from './result.js';

const BUCKETS = 4;

/** Equal-width buckets from min to max; all values land in one bucket when they are equal. */
function histogram(sorted: readonly number[], min: number, max: number): JsonObject[] {
  const width = (max - min) / BUCKETS;
  const counts = new Array<number>(BUCKETS).fill(0);
  for (const v of sorted) {
    const index = width === 0 ? 0 : Math.min(BUCKETS - 1, Math.floor((v - min) / width));
    counts[index] = (counts[index] ?? 0) + 1;
  }
  return counts.map((count, i) => ({ from: min + i * width, to: i === BUCKETS - 1 ? max : min + (i + 1) * width, count }));
}

export const structuredTool: ToolDefinition = defineTool({
  name: 'structured',
  title: 'Statistics (structured output)',
  description: 'Summarizes a list of numbers: count, min, max, mean and sum, the sorted values and a 4-bucket histogram, as structured content.',
  inputSchema: {
    type: 'object',
    properties: {
      values: { type: 'array', items: { type: 'number' }, minItems: 1, maxItems: 1000, description: 'The numbers to summarize.' },
      label: { type: 'string', maxLength: 200, description: 'A name for the data set.' },
    },
    required: ['values'],
    additionalProperties: false,
  },
  outputSchema: {
    type: 'object',
    properties: {
      label: { type: 'string' },
      summary: {
        type: 'object',
        properties: {
          count: { type: 'integer', minimum: 1 },
          min: { type: 'number' },
          max: { type: 'number' },
          mean: { type: 'number' },
          sum: { type: 'number' },
        },
        required: ['count', 'min', 'max', 'mean', 'sum'],
        additionalProperties: false,
      },
      sorted: { type: 'array', items: { type: 'number' } },
      histogram: {
        type: 'array',
        items: {
          type: 'object',
          properties: { from: { type: 'number' }, to: { type: 'number' }, count: { type: 'integer', minimum: 0 } },
          required: ['from', 'to', 'count'],
          additionalProperties: false,
        },
      },
    },
    required: ['label', 'summary', 'sorted', 'histogram'],
    additionalProperties: false,
  },
  annotations: { title: 'Statistics (structured output)', readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  icons: [pngIcon([30, 140, 120])],
  call(args, ctx) {
    const values = numberArray(args, 'values');
    const label = optionalString(args, 'label') ?? 'values';
    if (values.length === 0) return errorResult('values must contain at least one number.');
    const sorted = [...values].sort((a, b) => a - b);
    const min = sorted[0] as number;
    const max = sorted[sorted.length - 1] as number;
    const sum = sorted.reduce((acc, v) => acc + v, 0);
    // Huge inputs can overflow; JSON would turn Infinity into null and break the output schema.
    if (!Number.isFinite(sum) || !Number.isFinite(max - min)) return errorResult('The values are too large to summarize as finite numbers.');
    const summary = { count: sorted.length, min, max, mean: sum / sorted.length, sum };
    const value: JsonObject = { label, summary, sorted, histogram: histogram(sorted, min, max) };
    return structuredResult(ctx, value, `${label}: ${summary.count} values from ${min} to ${max}, mean ${summary.mean}.`);
  },
});
