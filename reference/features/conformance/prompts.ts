/**
 * The prompts the server scenarios of @modelcontextprotocol/conformance 0.1.16 get by name:
 * prompts-get-simple, prompts-get-with-args, prompts-get-embedded-resource and
 * prompts-get-with-image; completion-complete completes `arg1` of test_prompt_with_arguments.
 */
import { validate } from '../../../spec/validate.js';
import type { JsonObject } from '../../../transport/jsonrpc.js';
import { invalidParams } from '../../errors.js';
import type { PromptDefinition, RequestContext } from '../../types.js';
import { RED_PIXEL_PNG_BASE64 } from './media.js';
import { finished, textBlock } from './result.js';

export const SIMPLE_PROMPT_TEXT = 'This is a simple prompt for testing.';
export const EMBEDDED_PROMPT_TEXT = 'Embedded resource content for testing.';

/** Completion candidates per argument of test_prompt_with_arguments. */
export const ARGUMENT_SUGGESTIONS: Readonly<Record<string, readonly string[]>> = {
  arg1: ['hello', 'help', 'paris', 'park', 'party', 'test', 'testValue1'],
  arg2: ['word', 'world', 'test', 'testValue2'],
};

function userMessage(content: JsonObject): JsonObject {
  return { role: 'user', content };
}

function promptResult(ctx: RequestContext, description: string, messages: JsonObject[]): JsonObject {
  return finished(ctx, { description, messages });
}

/** The engine checks required arguments; this keeps a prompt safe when called without it. */
function argument(args: Record<string, string>, name: string): string {
  const value = args[name];
  if (typeof value !== 'string') throw invalidParams(`Missing required argument ${name}`, { missing: [name] });
  return value;
}

/**
 * An embedded resource must carry a valid URI (PROMPT-005), so a client-chosen one is checked
 * against the schema's own `uri` format.
 */
function embeddableUri(ctx: RequestContext, uri: string): string {
  const check = validate(ctx.version, 'TextResourceContents', { uri, text: '' });
  if (!check.ok) throw invalidParams(`resourceUri must be a URI: ${check.summary}`, { resourceUri: uri });
  return uri;
}

export function conformancePrompts(): PromptDefinition[] {
  return [
    {
      name: 'test_simple_prompt',
      title: 'Simple Test Prompt',
      description: 'A prompt without arguments (conformance scenario prompts-get-simple).',
      get: (_args, ctx) => promptResult(ctx, 'A simple prompt without arguments', [userMessage(textBlock(SIMPLE_PROMPT_TEXT))]),
    },
    {
      name: 'test_prompt_with_arguments',
      title: 'Prompt With Arguments',
      description: 'A prompt that substitutes two required arguments (conformance scenarios prompts-get-with-args and completion-complete).',
      arguments: [
        { name: 'arg1', title: 'First Argument', description: 'First test argument', required: true },
        { name: 'arg2', title: 'Second Argument', description: 'Second test argument', required: true },
      ],
      get(args, ctx) {
        const text = `Prompt with arguments: arg1='${argument(args, 'arg1')}', arg2='${argument(args, 'arg2')}'`;
        return promptResult(ctx, 'A prompt with two substituted arguments', [userMessage(textBlock(text))]);
      },
      complete(name, value) {
        return (ARGUMENT_SUGGESTIONS[name] ?? []).filter((candidate) => candidate.startsWith(value));
      },
    },
    {
      name: 'test_prompt_with_embedded_resource',
      title: 'Prompt With Embedded Resource',
      description: 'A prompt that embeds a text resource at the given URI (conformance scenario prompts-get-embedded-resource).',
      arguments: [{ name: 'resourceUri', title: 'Resource URI', description: 'URI of the resource to embed', required: true }],
      get(args, ctx) {
        const uri = embeddableUri(ctx, argument(args, 'resourceUri'));
        return promptResult(ctx, 'A prompt with an embedded resource', [
          userMessage({ type: 'resource', resource: { uri, mimeType: 'text/plain', text: EMBEDDED_PROMPT_TEXT } }),
          userMessage(textBlock('Please process the embedded resource above.')),
        ]);
      },
    },
    {
      name: 'test_prompt_with_image',
      title: 'Prompt With Image',
      description: 'A prompt that includes a PNG image (conformance scenario prompts-get-with-image).',
      get: (_args, ctx) =>
        promptResult(ctx, 'A prompt with an image', [
          userMessage({ type: 'image', data: RED_PIXEL_PNG_BASE64, mimeType: 'image/png' }),
          userMessage(textBlock('Please analyze the image above.')),
        ]),
    },
  ];
}
