/**
 * `content-kinds`: returns one kind of content block, so a client can be checked against each
 * kind the negotiated version defines.
 *
 * One tool with the full enum rather than a tool per kind with `since`: a definition is the same
 * in every version, so a checker generating arguments from the inputSchema meets a well-defined
 * tool execution error (naming the version that introduced the kind) instead of a tool that
 * silently differs per version, and the kinds stay in one list that cannot drift apart.
 */
import { atLeast } from '../../capabilities.js';
import type { ProtocolVersion } from '../../../spec/versions.js';
import type { JsonObject } from '../../../transport/jsonrpc.js';
import type { RequestContext, ToolDefinition } from '../../types.js';
import { pngIcon, SAMPLE_PNG_BASE64, SAMPLE_WAV_BASE64 } from '../resources/media.js';
import { HELLO_TEXT, HELLO_URI } from '../resources/static.js';
import { oneOf } from './args.js';
import { defineTool } from './define-tool.js';
import { errorResult } from './result.js';

export const CONTENT_KINDS = ['text', 'image', 'audio', 'resource_link', 'resource', 'mixed'] as const;
export type ContentKind = (typeof CONTENT_KINDS)[number];
type BlockKind = Exclude<ContentKind, 'mixed'>;

const LINK_ICON = pngIcon([60, 160, 90]);

/** The first version whose schema has each content block type (spec digest §A.4). */
const INTRODUCED: Record<BlockKind, ProtocolVersion> = {
  text: '2024-11-05',
  image: '2024-11-05',
  resource: '2024-11-05',
  audio: '2025-03-26',
  resource_link: '2025-06-18',
};

function block(kind: BlockKind, ctx: RequestContext): JsonObject {
  switch (kind) {
    case 'text':
      return { type: 'text', text: 'A plain text content block.' };
    case 'image':
      // Content annotations exist in every version (2024-11-05 calls the base type Annotated).
      return { type: 'image', data: SAMPLE_PNG_BASE64, mimeType: 'image/png', annotations: { audience: ['user'], priority: 0.4 } };
    case 'audio':
      return { type: 'audio', data: SAMPLE_WAV_BASE64, mimeType: 'audio/wav' };
    case 'resource_link': {
      // resource_link and `title` on it both start in 2025-06-18, icons in 2025-11-25.
      const link: JsonObject = { type: 'resource_link', uri: HELLO_URI, name: 'hello', title: 'Hello (plain text)', description: 'A short plain-text resource of this server.', mimeType: 'text/plain' };
      if (atLeast(ctx.version, '2025-11-25')) link.icons = [{ ...LINK_ICON }];
      return link;
    }
    case 'resource':
      return { type: 'resource', resource: { uri: HELLO_URI, mimeType: 'text/plain', text: HELLO_TEXT } };
  }
}

const BLOCK_KINDS: readonly BlockKind[] = ['text', 'image', 'audio', 'resource_link', 'resource'];

export const contentKindsTool: ToolDefinition = defineTool({
  name: 'content-kinds',
  title: 'Content kinds',
  description:
    'Returns a content block of the requested kind (text, image, audio, resource_link, resource) or, for "mixed", one of every kind the negotiated protocol version has. Asking for a kind the version lacks (audio before 2025-03-26, resource_link before 2025-06-18) is a tool error.',
  inputSchema: {
    type: 'object',
    properties: { kind: { type: 'string', enum: [...CONTENT_KINDS], description: 'Which content to return.' } },
    required: ['kind'],
    additionalProperties: false,
  },
  annotations: { title: 'Content kinds', readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  icons: [pngIcon([40, 160, 160])],
  call(args, ctx) {
    const kind = oneOf(args, 'kind', CONTENT_KINDS);
    if (kind === 'mixed') {
      return { content: BLOCK_KINDS.filter((k) => atLeast(ctx.version, INTRODUCED[k])).map((k) => block(k, ctx)) };
    }
    const since = INTRODUCED[kind];
    if (!atLeast(ctx.version, since)) {
      return errorResult(`Content kind "${kind}" does not exist in protocol version ${ctx.version}; it was introduced in ${since}.`);
    }
    return { content: [block(kind, ctx)] };
  },
});
