/** The simplest tools: echo, add and fail — one text in, one result out, no side effects. */
import type { ToolDefinition } from '../../types.js';
import { pngIcon } from '../resources/media.js';
import { requiredNumber, requiredString } from './args.js';
import { defineTool } from './define-tool.js';
import { errorResult, structuredResult } from './result.js';

const ICON = pngIcon([40, 110, 200]);

const PURE = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };

export const echoTool: ToolDefinition = defineTool({
  name: 'echo',
  title: 'Echo',
  description: 'Returns the given text unchanged, as text content and as structured content {text}.',
  inputSchema: {
    type: 'object',
    properties: { text: { type: 'string', description: 'The text to send back.' } },
    required: ['text'],
    additionalProperties: false,
  },
  outputSchema: {
    type: 'object',
    properties: { text: { type: 'string' } },
    required: ['text'],
    additionalProperties: false,
  },
  annotations: { title: 'Echo', ...PURE },
  icons: [ICON],
  call(args, ctx) {
    const text = requiredString(args, 'text');
    return structuredResult(ctx, { text }, text);
  },
});

export const addTool: ToolDefinition = defineTool({
  name: 'add',
  title: 'Add two numbers',
  description: 'Adds a and b and returns the sum, as text and as structured content {sum}.',
  inputSchema: {
    type: 'object',
    properties: {
      a: { type: 'number', description: 'First addend.' },
      b: { type: 'number', description: 'Second addend.' },
    },
    required: ['a', 'b'],
    additionalProperties: false,
  },
  outputSchema: {
    type: 'object',
    properties: { sum: { type: 'number' } },
    required: ['sum'],
    additionalProperties: false,
  },
  annotations: { title: 'Add two numbers', ...PURE },
  icons: [ICON],
  call(args, ctx) {
    const a = requiredNumber(args, 'a');
    const b = requiredNumber(args, 'b');
    const sum = a + b;
    // JSON has no Infinity: an overflowing sum would serialize as null and break the output schema.
    if (!Number.isFinite(sum)) return errorResult(`The sum of ${a} and ${b} is not a finite number.`);
    return structuredResult(ctx, { sum }, `${a} + ${b} = ${sum}`);
  },
});

export const failTool: ToolDefinition = defineTool({
  name: 'fail',
  title: 'Fail on purpose',
  description: 'Always ends in a tool execution error (isError: true) carrying the given message.',
  inputSchema: {
    type: 'object',
    properties: { message: { type: 'string', description: 'The error message to report.' } },
    required: ['message'],
    additionalProperties: false,
  },
  annotations: { title: 'Fail on purpose', ...PURE },
  icons: [ICON],
  call(args) {
    return errorResult(requiredString(args, 'message'));
  },
});
