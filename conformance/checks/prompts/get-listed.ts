import { isPlainObject } from '../../../transport/codec.js';
import type { JsonObject, JsonValue } from '../../../transport/jsonrpc.js';
import { ALL_VERSIONS, defineCheck, type CheckContext } from '../../check.js';
import { isBase64, isMimeType } from '../../kit/base64.js';
import { listAll, listOf } from '../../kit/lists.js';
import { describeReply } from '../../kit/replies.js';

const SAMPLE = 10;

function checkContent(ctx: CheckContext, prompt: string, content: JsonValue | undefined, request: JsonObject): void {
  if (!isPlainObject(content)) return;
  if (content.type === 'image' || content.type === 'audio') {
    ctx.expect(typeof content.data === 'string' && isBase64(content.data), `prompt ${JSON.stringify(prompt)}: ${content.type} data is not base64`, { observed: JSON.stringify(content.data).slice(0, 200), request });
    ctx.expect(typeof content.mimeType === 'string' && isMimeType(content.mimeType), `prompt ${JSON.stringify(prompt)}: ${content.type} content has no valid MIME type`, { observed: JSON.stringify(content.mimeType ?? null), request });
  }
  if (content.type === 'resource' && isPlainObject(content.resource)) {
    const resource = content.resource;
    ctx.expect(typeof resource.uri === 'string' && /^[A-Za-z][A-Za-z0-9+.-]*:/.test(resource.uri), `prompt ${JSON.stringify(prompt)}: an embedded resource has no valid URI`, { observed: JSON.stringify(resource.uri ?? null), request });
    const hasText = typeof resource.text === 'string';
    const hasBlob = typeof resource.blob === 'string';
    ctx.expect(hasText || hasBlob, `prompt ${JSON.stringify(prompt)}: an embedded resource has neither text nor blob`, { observed: JSON.stringify(resource).slice(0, 200), request });
    if (hasBlob) ctx.expect(isBase64(resource.blob as string), `prompt ${JSON.stringify(prompt)}: an embedded resource blob is not base64`, { request });
  }
}

/** Arguments from the prompt's own declaration: every required one, with a plain word. */
function promptArguments(prompt: JsonObject): JsonObject {
  const args: JsonObject = {};
  if (Array.isArray(prompt.arguments)) {
    for (const a of prompt.arguments) if (isPlainObject(a) && a.required === true && typeof a.name === 'string') args[a.name] = 'mcpcert';
  }
  return args;
}

export default defineCheck({
  id: 'prompts/get-listed',
  title: 'prompts/list is valid; prompts/get results are valid, with base64 media and well-formed embedded resources',
  requirements: ['PROMPT-003', 'PROMPT-004', 'PROMPT-005', 'M-PROMPT-004', 'M-PROMPT-005'],
  level: 'MUST',
  versions: ALL_VERSIONS,
  transports: 'all',
  needs: ['prompts'],
  timeoutFactor: 2,
  async run(ctx) {
    const session = await ctx.session();
    const listing = await listAll(ctx, session, listOf('prompts/list'));
    const sample = listing.items.filter((p) => typeof p.name === 'string').slice(0, SAMPLE);
    for (const prompt of sample) {
      const name = prompt.name as string;
      const params = { name, arguments: promptArguments(prompt) };
      const request = { jsonrpc: '2.0', method: 'prompts/get', params };
      const reply = await session.call('prompts/get', params);
      if (reply.kind !== 'result') {
        ctx.note(`prompts/get ${name}: ${describeReply(reply)}`);
        continue;
      }
      if (reply.result.resultType === 'input_required') continue;
      ctx.validate('GetPromptResult', reply.result, `the prompts/get result for ${JSON.stringify(name)}`, { request });
      const messages = Array.isArray(reply.result.messages) ? reply.result.messages : [];
      for (const m of messages) if (isPlainObject(m)) checkContent(ctx, name, m.content, request);
    }
  },
});
