/**
 * Conformance fixture test_sampling (scenario tools-call-sampling of
 * @modelcontextprotocol/conformance 0.1.16): asks the client for an LLM completion and
 * returns its text.
 */
import type { JsonObject, JsonValue } from '../../../transport/jsonrpc.js';
import { hasCapability, declinesWithout } from '../../capabilities.js';
import type { ToolDefinition } from '../../types.js';
import { askClient } from './ask-client.js';
import { errorResult, textResult } from './result.js';

/** The scenario's documented request asks for at most 100 tokens. */
export const SAMPLING_MAX_TOKENS = 100;

/**
 * The text of a sampling answer. `content` is one block, or (2025-11-25) an array of blocks;
 * blocks without text are named by their type so the result still says what came back.
 */
export function samplingText(content: JsonValue | undefined): string {
  const blocks = Array.isArray(content) ? content : [content];
  return blocks
    .map((block) => {
      if (typeof block !== 'object' || block === null || Array.isArray(block)) return '[no content]';
      return typeof block.text === 'string' ? block.text : `[${String(block.type)} content]`;
    })
    .join('\n');
}

export function samplingTool(): ToolDefinition {
  return {
    name: 'test_sampling',
    description: 'Asks the client for an LLM completion of the prompt (sampling/createMessage) and returns it (conformance scenario tools-call-sampling).',
    inputSchema: {
      type: 'object',
      properties: { prompt: { type: 'string', description: 'The prompt to send to the LLM' } },
      required: ['prompt'],
    },
    async call(args, ctx) {
      // LIFE-016: no sampling request to a client that did not declare sampling.
      if (declinesWithout(ctx.version, hasCapability(ctx.clientCapabilities, 'sampling'))) {
        return errorResult(ctx, 'test_sampling needs the client to support sampling, and it did not declare the sampling capability');
      }
      const params: JsonObject = {
        messages: [{ role: 'user', content: { type: 'text', text: String(args.prompt) } }],
        maxTokens: SAMPLING_MAX_TOKENS,
      };
      const answer = await askClient(ctx, 'sampling/createMessage', params, 'CreateMessageResult');
      if (!answer.ok) return errorResult(ctx, `Sampling failed: ${answer.reason}`);
      return textResult(ctx, `LLM response: ${samplingText(answer.result.content)}`);
    },
  };
}
