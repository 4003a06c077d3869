/**
 * Conformance fixtures that return fixed content blocks: scenarios tools-call-simple-text,
 * -image, -audio, -embedded-resource, -mixed-content and -error of
 * @modelcontextprotocol/conformance 0.1.16. Texts and URIs are the ones those scenarios document.
 */
import type { JsonObject } from '../../../transport/jsonrpc.js';
import type { ToolDefinition } from '../../types.js';
import { RED_PIXEL_PNG_BASE64, SQUARE_WAVE_WAV_BASE64 } from './media.js';
import { contentResult, errorResult, textBlock, textResult } from './result.js';

/** The input schema the spec recommends for a tool without arguments (2025-11-25 server/tools). */
export function noArguments(): JsonObject {
  return { type: 'object', additionalProperties: false };
}

function pngImage(): JsonObject {
  return { type: 'image', data: RED_PIXEL_PNG_BASE64, mimeType: 'image/png' };
}

export const SIMPLE_TEXT = 'This is a simple text response for testing.';
export const TOOL_ERROR_TEXT = 'This tool intentionally returns an error for testing';
export const EMBEDDED_RESOURCE_URI = 'test://embedded-resource';
export const EMBEDDED_RESOURCE_TEXT = 'This is an embedded resource content.';
export const MIXED_RESOURCE_URI = 'test://mixed-content-resource';

export function contentTools(): ToolDefinition[] {
  return [
    {
      name: 'test_simple_text',
      description: 'Returns one text block (conformance scenario tools-call-simple-text).',
      inputSchema: noArguments(),
      call: (_args, ctx) => textResult(ctx, SIMPLE_TEXT),
    },
    {
      name: 'test_image_content',
      description: 'Returns a 1x1 red PNG as image content (conformance scenario tools-call-image).',
      inputSchema: noArguments(),
      call: (_args, ctx) => contentResult(ctx, [pngImage()]),
    },
    {
      name: 'test_audio_content',
      description: 'Returns a short WAV clip as audio content (conformance scenario tools-call-audio).',
      inputSchema: noArguments(),
      // Audio content exists from 2025-03-26.
      since: '2025-03-26',
      call: (_args, ctx) => contentResult(ctx, [{ type: 'audio', data: SQUARE_WAVE_WAV_BASE64, mimeType: 'audio/wav' }]),
    },
    {
      name: 'test_embedded_resource',
      description: 'Returns an embedded text resource (conformance scenario tools-call-embedded-resource).',
      inputSchema: noArguments(),
      call: (_args, ctx) =>
        contentResult(ctx, [{ type: 'resource', resource: { uri: EMBEDDED_RESOURCE_URI, mimeType: 'text/plain', text: EMBEDDED_RESOURCE_TEXT } }]),
    },
    {
      name: 'test_multiple_content_types',
      description: 'Returns text, image and embedded resource blocks together (conformance scenario tools-call-mixed-content).',
      inputSchema: noArguments(),
      call: (_args, ctx) =>
        contentResult(ctx, [
          textBlock('Multiple content types test:'),
          pngImage(),
          { type: 'resource', resource: { uri: MIXED_RESOURCE_URI, mimeType: 'application/json', text: JSON.stringify({ test: 'data', value: 123 }) } },
        ]),
    },
    {
      name: 'test_error_handling',
      description: 'Always fails, reporting the failure as a tool execution error (conformance scenario tools-call-error).',
      inputSchema: noArguments(),
      call: (_args, ctx) => errorResult(ctx, TOOL_ERROR_TEXT),
    },
  ];
}
