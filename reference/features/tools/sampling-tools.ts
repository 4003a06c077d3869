/**
 * `sample-with-tools`: sampling with tool use (2025-11-25 on). The client's model is offered one
 * tool; when it stops for `toolUse`, the server runs the tool and continues the conversation
 * with the tool results (SAMP-017), until the model answers in text.
 */
import type { JsonObject, JsonValue } from '../../../transport/jsonrpc.js';
import { declinesWithout, hasCapability } from '../../capabilities.js';
import type { ToolDefinition } from '../../types.js';
import { askClient } from './ask-client.js';
import { requiredString } from './args.js';
import { defineTool } from './define-tool.js';
import { errorResult, textResult } from './result.js';

const SAMPLING_TIMEOUT_MS = 120_000;
const MAX_TOKENS = 200;
/** Rounds of tool use before the model is told to answer without tools. */
const MAX_ROUNDS = 3;

const LETTER_COUNT_TOOL: JsonObject = {
  name: 'count_letters',
  description: 'Counts the letters of a word.',
  inputSchema: { type: 'object', properties: { word: { type: 'string' } }, required: ['word'] },
};

function blocksOf(content: JsonValue | undefined): JsonObject[] {
  const list = Array.isArray(content) ? content : [content];
  return list.filter((b): b is JsonObject => typeof b === 'object' && b !== null && !Array.isArray(b));
}

/** The tool_result for one tool_use block: the letter count, or a tool error. */
function runToolUse(use: JsonObject): JsonObject {
  const input = use.input;
  const word = typeof input === 'object' && input !== null && !Array.isArray(input) ? input.word : undefined;
  const base = { type: 'tool_result', toolUseId: String(use.id) };
  if (use.name !== LETTER_COUNT_TOOL.name) return { ...base, content: [{ type: 'text', text: `Unknown tool ${JSON.stringify(use.name)}.` }], isError: true };
  if (typeof word !== 'string') return { ...base, content: [{ type: 'text', text: 'The input needs a "word" string.' }], isError: true };
  return { ...base, content: [{ type: 'text', text: String([...word].length) }] };
}

export const sampleWithToolsTool: ToolDefinition = defineTool({
  name: 'sample-with-tools',
  since: '2025-11-25',
  title: 'Sample the client model with a tool',
  description:
    "Asks the client's model (sampling/createMessage) to answer the prompt with a letter-counting tool at hand, runs the tool calls it makes and returns its final text. Requires the sampling capability; without sampling.tools the model is asked without the tool.",
  inputSchema: {
    type: 'object',
    properties: { prompt: { type: 'string', description: 'The user message to sample a reply to.' } },
    required: ['prompt'],
    additionalProperties: false,
  },
  annotations: { title: 'Sample the client model with a tool', readOnlyHint: true, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async call(args, ctx) {
    const prompt = requiredString(args, 'prompt');
    if (declinesWithout(ctx.version, hasCapability(ctx.clientCapabilities, 'sampling'))) {
      return errorResult('The client did not declare the sampling capability, so this server cannot ask it for a completion.');
    }
    // SAMP-003: tools go only to a client that declared sampling.tools; others are asked plainly.
    const withTools = hasCapability(ctx.clientCapabilities, 'sampling.tools');
    const messages: JsonValue[] = [{ role: 'user', content: { type: 'text', text: prompt } }];
    for (let round = 1; ; round++) {
      const lastRound = round >= MAX_ROUNDS;
      const params: JsonObject = { messages, maxTokens: MAX_TOKENS };
      if (withTools) {
        params.tools = [LETTER_COUNT_TOOL];
        params.toolChoice = { mode: lastRound ? 'none' : 'auto' };
      }
      const answer = await askClient(ctx, 'sampling/createMessage', params, 'CreateMessageResult', SAMPLING_TIMEOUT_MS);
      if (!answer.ok) return errorResult(answer.reason);
      const blocks = blocksOf(answer.result.content);
      const uses = blocks.filter((b) => b.type === 'tool_use');
      if (uses.length === 0) {
        const text = blocks.filter((b) => b.type === 'text' && typeof b.text === 'string').map((b) => b.text as string).join('\n');
        return textResult(text === '' ? `The model (${String(answer.result.model)}) replied without text.` : text);
      }
      if (!withTools) return errorResult('The model used a tool, although none was offered.');
      if (lastRound) return errorResult(`The model kept using tools after ${MAX_ROUNDS} rounds, although told not to.`);
      // SAMP-017: every tool_use gets its tool_result, in a user message holding only tool results.
      messages.push({ role: 'assistant', content: answer.result.content ?? [] }, { role: 'user', content: uses.map(runToolUse) });
    }
  },
});
