/** `sample`: asks the client's model for a completion through sampling/createMessage. */
import { hasCapability, declinesWithout } from '../../capabilities.js';
import type { JsonObject, JsonValue } from '../../../transport/jsonrpc.js';
import type { ToolDefinition } from '../../types.js';
import { pngIcon } from '../resources/media.js';
import { askClient } from './ask-client.js';
import { integerInRange, requiredString } from './args.js';
import { defineTool } from './define-tool.js';
import { errorResult, structuredResult } from './result.js';

/** A human may review the request before the model runs, so the wait is long but bounded. */
const SAMPLING_TIMEOUT_MS = 120_000;

/** The types of the sampled content blocks and their text (2025-11-25 allows an array of blocks). */
function describeContent(content: JsonValue | undefined): { types: string[]; text: string } {
  const blocks = Array.isArray(content) ? content : [content];
  const types: string[] = [];
  const texts: string[] = [];
  for (const b of blocks) {
    if (typeof b !== 'object' || b === null || Array.isArray(b)) continue;
    if (typeof b.type === 'string') types.push(b.type);
    if (b.type === 'text' && typeof b.text === 'string') texts.push(b.text);
  }
  return { types, text: texts.join('\n') };
}

export const sampleTool: ToolDefinition = defineTool({
  name: 'sample',
  title: 'Sample the client model',
  description:
    "Sends the prompt to the client's model with sampling/createMessage and returns the reply. Requires the client to have declared the sampling capability; otherwise it is a tool error and nothing is sent.",
  inputSchema: {
    type: 'object',
    properties: {
      prompt: { type: 'string', description: 'The user message to sample a reply to.' },
      maxTokens: { type: 'integer', minimum: 1, maximum: 4096, default: 100, description: 'Upper bound on the reply length in tokens.' },
    },
    required: ['prompt'],
    additionalProperties: false,
  },
  outputSchema: {
    type: 'object',
    properties: {
      model: { type: 'string' },
      role: { type: 'string', enum: ['user', 'assistant'] },
      stopReason: { type: 'string' },
      contentTypes: { type: 'array', items: { type: 'string' } },
      text: { type: 'string' },
    },
    required: ['model', 'role', 'contentTypes', 'text'],
    additionalProperties: false,
  },
  annotations: { title: 'Sample the client model', readOnlyHint: true, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  icons: [pngIcon([170, 60, 200])],
  async call(args, ctx) {
    const prompt = requiredString(args, 'prompt');
    const maxTokens = integerInRange(args, 'maxTokens', 1, 4096, 100);
    if (declinesWithout(ctx.version, hasCapability(ctx.clientCapabilities, 'sampling'))) {
      return errorResult('The client did not declare the sampling capability, so this server cannot ask it for a completion.');
    }
    // No includeContext (SAMP-006/007) and no tools (SAMP-003): only what every sampling client accepts.
    const params: JsonObject = { messages: [{ role: 'user', content: { type: 'text', text: prompt } }], maxTokens };
    const answer = await askClient(ctx, 'sampling/createMessage', params, 'CreateMessageResult', SAMPLING_TIMEOUT_MS);
    if (!answer.ok) return errorResult(answer.reason);
    const { types, text } = describeContent(answer.result.content);
    const value: JsonObject = { model: String(answer.result.model), role: String(answer.result.role), contentTypes: types, text };
    if (typeof answer.result.stopReason === 'string') value.stopReason = answer.result.stopReason;
    return structuredResult(ctx, value, text === '' ? `The model (${value.model as string}) replied with ${types.join(', ')} content.` : text);
  },
});
