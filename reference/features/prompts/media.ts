/**
 * Prompts whose messages carry non-text content: an embedded resource and an image. Both
 * content types exist in every protocol version, so these prompts are the same everywhere.
 */
import type { PromptDefinition } from '../../types.js';
import { pngIcon, SAMPLE_PNG_BASE64 } from '../resources/media.js';
import { HELLO_TEXT, HELLO_URI } from '../resources/static.js';
import { completeResult } from '../tools/result.js';

const ICON = pngIcon([90, 90, 200]);

export function withResourcePrompt(): PromptDefinition {
  return {
    name: 'with-resource',
    title: 'Prompt with an embedded resource',
    description: 'A prompt whose first message embeds the text resource ' + HELLO_URI + '.',
    icons: [ICON],
    get: (_args, ctx) =>
      completeResult(ctx, {
        description: 'Summarize an embedded resource',
        messages: [
          // PROMPT-005: a valid URI, the right MIME type and the text itself.
          { role: 'user', content: { type: 'resource', resource: { uri: HELLO_URI, mimeType: 'text/plain', text: HELLO_TEXT } } },
          { role: 'user', content: { type: 'text', text: 'Summarize the resource above in one sentence.' } },
        ],
      }),
  };
}

export function withImagePrompt(): PromptDefinition {
  return {
    name: 'with-image',
    title: 'Prompt with an image',
    description: 'A prompt whose first message is a small PNG image.',
    icons: [ICON],
    get: (_args, ctx) =>
      completeResult(ctx, {
        description: 'Describe an image',
        messages: [
          // PROMPT-003: base64 data with its MIME type.
          { role: 'user', content: { type: 'image', data: SAMPLE_PNG_BASE64, mimeType: 'image/png' } },
          { role: 'user', content: { type: 'text', text: 'Describe the colours of the image above.' } },
        ],
      }),
  };
}
