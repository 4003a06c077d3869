import { crc32 as zlibCrc32, inflateSync } from 'node:zlib';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { getDefinition } from '../../spec/schemas.js';
import { validate } from '../../spec/validate.js';
import { PROTOCOL_VERSIONS, type ProtocolVersion } from '../../spec/versions.js';
import type { JsonObject, JsonValue } from '../../transport/jsonrpc.js';
import { RpcError } from '../../transport/rpc.js';
import { McpError } from '../../reference/errors.js';
import { listedFor, renderPrompt, renderResource, renderTemplate, renderTool } from '../../reference/render.js';
import type { LogLevel, PromptDefinition, RequestContext, ResourceDefinition, SessionServices, ToolDefinition } from '../../reference/types.js';
import { conformancePrompts, conformanceResources, conformanceTemplates, conformanceTools } from '../../reference/features/conformance/index.js';
import { elicitedContentIssues } from '../../reference/features/conformance/elicited-content.js';
import { samplingText } from '../../reference/features/conformance/sampling-tool.js';
import { FixtureCancelledError } from '../../reference/features/conformance/wait.js';

// ---------------------------------------------------------------------------------------------
// A RequestContext that records what a fixture does and answers server→client requests the way
// the conformance suite's client does (its canned sampling and elicitation answers).

interface Seen {
  progress: { progress: number; total: number | undefined; message: string | undefined }[];
  logs: { level: LogLevel; data: JsonValue; logger: string | undefined }[];
  requests: { method: string; params: JsonObject }[];
  /** Schema problems of the requests the fixture sent, per the negotiated version. */
  requestIssues: string[];
  closedStreams: number;
}

type Answer = (method: string, params: JsonObject) => Promise<JsonObject> | JsonObject;

interface FakeOptions {
  capabilities?: JsonObject;
  answer?: Answer;
  signal?: AbortSignal;
  onProgress?: (progress: number) => void;
  /** What the fake's closeStream answers (whether the engine could cut the stream). */
  canCloseStream?: boolean;
}

/** What @modelcontextprotocol/conformance's client declares in every server scenario. */
const SUITE_CLIENT_CAPABILITIES: JsonObject = { sampling: {}, elicitation: {} };

const SAMPLING_ANSWER: JsonObject = {
  role: 'assistant',
  content: { type: 'text', text: 'This is a test response from the client' },
  model: 'test-model',
  stopReason: 'endTurn',
};

/** The suite's elicitation answers, picked by the form the fixture asked for. */
function suiteElicitationAnswer(params: JsonObject): JsonObject {
  const properties = ((params.requestedSchema as JsonObject | undefined)?.properties ?? {}) as JsonObject;
  if ('username' in properties) return { action: 'accept', content: { username: 'testuser', email: 'test@example.com' } };
  if ('age' in properties) return { action: 'accept', content: { name: 'Jane Smith', age: 25, score: 88, status: 'inactive', verified: false } };
  return {
    action: 'accept',
    content: { untitledSingle: 'option1', titledSingle: 'value1', legacyEnum: 'opt1', untitledMulti: ['option1', 'option2'], titledMulti: ['value1', 'value2'] },
  };
}

const suiteAnswer: Answer = (method, params) => (method === 'sampling/createMessage' ? SAMPLING_ANSWER : suiteElicitationAnswer(params));

const REQUEST_DEFINITIONS: Record<string, string> = { 'sampling/createMessage': 'CreateMessageRequest', 'elicitation/create': 'ElicitRequest' };

function fakeContext(version: ProtocolVersion, options: FakeOptions = {}): { ctx: RequestContext; seen: Seen } {
  const seen: Seen = { progress: [], logs: [], requests: [], requestIssues: [], closedStreams: 0 };
  const session: SessionServices = {
    id: 'fake-session',
    subscribe: () => undefined,
    unsubscribe: () => undefined,
    setLogLevel: () => undefined,
    notify: () => Promise.resolve(),
  };
  const answer = options.answer ?? suiteAnswer;
  let nextId = 1;
  const ctx: RequestContext = {
    version,
    requestId: 'call-1',
    clientCapabilities: options.capabilities ?? SUITE_CLIENT_CAPABILITIES,
    signal: options.signal ?? new AbortController().signal,
    session,
    closeStream: () => {
      seen.closedStreams++;
      return options.canCloseStream ?? true;
    },
    progress(progress, total, message) {
      seen.progress.push({ progress, total, message });
      options.onProgress?.(progress);
      return Promise.resolve();
    },
    log(level, data, logger) {
      seen.logs.push({ level, data, logger });
      return Promise.resolve();
    },
    async request(method, params) {
      seen.requests.push({ method, params });
      const definition = REQUEST_DEFINITIONS[method];
      if (definition === undefined) seen.requestIssues.push(`unexpected request ${method}`);
      else {
        const check = validate(version, definition, { jsonrpc: '2.0', id: nextId++, method, params });
        if (!check.ok) seen.requestIssues.push(`${method}: ${check.summary}`);
      }
      return answer(method, params);
    },
  };
  return { ctx, seen };
}


// ---------------------------------------------------------------------------------------------
// Spec-exactness beyond the schemas: the official schemas allow unknown members everywhere, so
// a field a version does not define would validate. These helpers list such fields.

const CONTENT_DEFINITIONS: Record<string, string> = {
  text: 'TextContent',
  image: 'ImageContent',
  audio: 'AudioContent',
  resource: 'EmbeddedResource',
  resource_link: 'ResourceLink',
};

function asObject(value: JsonValue | undefined): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`expected an object, got ${JSON.stringify(value)}`);
  return value;
}

function unknownKeys(version: ProtocolVersion, definition: string, value: JsonObject, where: string): string[] {
  const schema = getDefinition(version, definition);
  if (schema === undefined) return [`${where}: ${version} has no ${definition}`];
  const known = new Set(Object.keys((schema.properties ?? {}) as Record<string, unknown>));
  return Object.keys(value)
    .filter((key) => !known.has(key))
    .map((key) => `${where}.${key} is not a member of ${definition} in ${version}`);
}

function contentIssues(version: ProtocolVersion, block: JsonObject, where: string): string[] {
  const definition = CONTENT_DEFINITIONS[String(block.type)];
  if (definition === undefined) return [`${where}: unknown content type ${String(block.type)}`];
  const issues = unknownKeys(version, definition, block, where);
  if (block.type === 'resource') issues.push(...resourceContentsIssues(version, asObject(block.resource), `${where}.resource`));
  return issues;
}

function resourceContentsIssues(version: ProtocolVersion, contents: JsonObject, where: string): string[] {
  return unknownKeys(version, 'blob' in contents ? 'BlobResourceContents' : 'TextResourceContents', contents, where);
}

function callResultIssues(version: ProtocolVersion, result: JsonObject): string[] {
  const check = validate(version, 'CallToolResult', result);
  const issues = check.ok ? [] : [check.summary];
  issues.push(...unknownKeys(version, 'CallToolResult', result, 'result'));
  for (const [i, block] of (result.content as JsonValue[]).entries()) issues.push(...contentIssues(version, asObject(block), `content[${i}]`));
  return issues;
}

function promptResultIssues(version: ProtocolVersion, result: JsonObject): string[] {
  const check = validate(version, 'GetPromptResult', result);
  const issues = check.ok ? [] : [check.summary];
  issues.push(...unknownKeys(version, 'GetPromptResult', result, 'result'));
  for (const [i, message] of (result.messages as JsonValue[]).entries()) {
    const m = asObject(message);
    issues.push(...unknownKeys(version, 'PromptMessage', m, `messages[${i}]`), ...contentIssues(version, asObject(m.content), `messages[${i}].content`));
  }
  return issues;
}

/** What the engine adds around `read()`'s contents: 2026-07-28 results carry type and caching hints. */
function readResult(version: ProtocolVersion, contents: JsonObject[]): JsonObject {
  return version === '2026-07-28' ? { contents, resultType: 'complete', ttlMs: 0, cacheScope: 'public' } : { contents };
}

function readResultIssues(version: ProtocolVersion, contents: JsonObject[]): string[] {
  const check = validate(version, 'ReadResourceResult', readResult(version, contents));
  const issues = check.ok ? [] : [check.summary];
  for (const [i, c] of contents.entries()) issues.push(...resourceContentsIssues(version, c, `contents[${i}]`));
  return issues;
}

function definitionIssues(version: ProtocolVersion, definition: string, rendered: JsonObject): string[] {
  const check = validate(version, definition, rendered);
  const issues = check.ok ? [] : [check.summary];
  issues.push(...unknownKeys(version, definition, rendered, definition));
  if (Array.isArray(rendered.arguments)) {
    for (const [i, a] of rendered.arguments.entries()) issues.push(...unknownKeys(version, 'PromptArgument', asObject(a), `arguments[${i}]`));
  }
  return issues;
}

// ---------------------------------------------------------------------------------------------

/** Arguments the scenarios send, for the tools that take any. */
const SCENARIO_ARGS: Record<string, JsonObject> = {
  test_sampling: { prompt: 'Test prompt for sampling' },
  test_elicitation: { message: 'Please provide your information' },
  json_schema_2020_12_tool: { name: 'Ada', address: { street: '1 Main St', city: 'Springfield' } },
};

/** Arguments of prompts-get-with-args and prompts-get-embedded-resource. */
const SCENARIO_PROMPT_ARGS: Record<string, Record<string, string>> = {
  test_prompt_with_arguments: { arg1: 'testValue1', arg2: 'testValue2' },
  test_prompt_with_embedded_resource: { resourceUri: 'test://example-resource' },
};

function tool(name: string): ToolDefinition {
  const found = conformanceTools().find((t) => t.name === name);
  if (!found) throw new Error(`no fixture tool ${name}`);
  return found;
}

function prompt(name: string): PromptDefinition {
  const found = conformancePrompts().find((p) => p.name === name);
  if (!found) throw new Error(`no fixture prompt ${name}`);
  return found;
}

function resource(uri: string): ResourceDefinition {
  const found = conformanceResources().find((r) => r.uri === uri);
  if (!found) throw new Error(`no fixture resource ${uri}`);
  return found;
}

/** What `fn` throws; fails the test if it returns. */
function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

function textOf(result: JsonObject, index = 0): string {
  return String(asObject((result.content as JsonValue[])[index]).text);
}

const LATEST_HANDSHAKE: ProtocolVersion = '2025-11-25';

describe('the fixtures named by @modelcontextprotocol/conformance 0.1.16 server scenarios', () => {
  it('has every tool, resource, template and prompt the scenarios look up by name, once each', () => {
    expect(conformanceTools().map((t) => t.name)).toEqual([
      'test_simple_text',
      'test_image_content',
      'test_audio_content',
      'test_embedded_resource',
      'test_multiple_content_types',
      'test_error_handling',
      'test_tool_with_logging',
      'test_tool_with_progress',
      'test_sampling',
      'test_elicitation',
      'test_elicitation_sep1034_defaults',
      'test_elicitation_sep1330_enums',
      'json_schema_2020_12_tool',
      'test_reconnection',
    ]);
    expect(conformanceResources().map((r) => r.uri)).toEqual(['test://static-text', 'test://static-binary', 'test://watched-resource']);
    expect(conformanceTemplates().map((t) => t.uriTemplate)).toEqual(['test://template/{id}/data']);
    expect(conformancePrompts().map((p) => p.name)).toEqual([
      'test_simple_prompt',
      'test_prompt_with_arguments',
      'test_prompt_with_embedded_resource',
      'test_prompt_with_image',
    ]);
  });

  it('gives every tool, resource and prompt a description, which tools-list, resources-list and prompts-list require', () => {
    for (const item of [...conformanceTools(), ...conformanceResources(), ...conformancePrompts()]) expect(item.description, JSON.stringify(item)).toBeTruthy();
  });

  it('lists each tool only from the version that has what it returns or asks for', () => {
    const since = Object.fromEntries(conformanceTools().map((t) => [t.name, t.since ?? null]));
    expect(since).toMatchObject({
      test_audio_content: '2025-03-26',
      test_elicitation: '2025-06-18',
      test_elicitation_sep1034_defaults: '2025-11-25',
      test_elicitation_sep1330_enums: '2025-11-25',
      json_schema_2020_12_tool: '2025-11-25',
      test_reconnection: '2025-11-25',
      test_simple_text: null,
      test_sampling: null,
    });
  });

  it('returns fresh definitions on every call, so one registry cannot change another', () => {
    expect(conformanceTools()[0]).not.toBe(conformanceTools()[0]);
    expect(conformanceTools()[0]?.inputSchema).not.toBe(conformanceTools()[0]?.inputSchema);
  });
});

describe.each(PROTOCOL_VERSIONS)('conformance fixtures at %s', (version) => {
  const tools = conformanceTools().filter((t) => listedFor(version, t.since));

  it.each(tools.map((t) => [t.name, t] as const))('tool %s renders as a valid Tool', (_name, t) => {
    expect(definitionIssues(version, 'Tool', renderTool(t, version))).toEqual([]);
  });

  it.each(tools.map((t) => [t.name, t] as const))('tool %s, called as the scenario calls it, returns a valid CallToolResult', async (name, t) => {
    const args = SCENARIO_ARGS[name] ?? {};
    // The engine validates arguments against the input schema first: the scenario's must pass.
    expect(new Ajv2020({ strict: false }).validate(t.inputSchema, args)).toBe(true);
    const { ctx, seen } = fakeContext(version);
    const result = await t.call(args, ctx);
    expect(callResultIssues(version, result)).toEqual([]);
    expect(seen.requestIssues).toEqual([]);
  });

  it.each(conformanceResources().map((r) => [r.uri, r] as const))('resource %s renders as a valid Resource and reads as a valid ReadResourceResult', async (_uri, r) => {
    expect(definitionIssues(version, 'Resource', renderResource(r, version))).toEqual([]);
    const { ctx } = fakeContext(version);
    expect(readResultIssues(version, await r.read(ctx))).toEqual([]);
  });

  it('renders the data template as a valid ResourceTemplate and reads test://template/123/data validly', async () => {
    const [template] = conformanceTemplates();
    if (!template) throw new Error('no template');
    expect(definitionIssues(version, 'ResourceTemplate', renderTemplate(template, version))).toEqual([]);
    const contents = await template.read('test://template/123/data', fakeContext(version).ctx);
    expect(contents).toBeDefined();
    expect(readResultIssues(version, contents ?? [])).toEqual([]);
  });

  it.each(conformancePrompts().map((p) => [p.name, p] as const))('prompt %s renders as a valid Prompt and gets a valid GetPromptResult', async (name, p) => {
    expect(definitionIssues(version, 'Prompt', renderPrompt(p, version))).toEqual([]);
    const result = await p.get(SCENARIO_PROMPT_ARGS[name] ?? {}, fakeContext(version).ctx);
    expect(promptResultIssues(version, result)).toEqual([]);
  });

  it(version === '2026-07-28' ? 'marks results as complete (resultType)' : 'sends no resultType, which this version does not define', async () => {
    const result = await tool('test_simple_text').call({}, fakeContext(version).ctx);
    const promptResult = await prompt('test_simple_prompt').get({}, fakeContext(version).ctx);
    const expected = version === '2026-07-28' ? 'complete' : undefined;
    expect(result.resultType).toBe(expected);
    expect(promptResult.resultType).toBe(expected);
  });
});

describe('content tools', () => {
  it('test_simple_text returns the documented text', async () => {
    const result = await tool('test_simple_text').call({}, fakeContext(LATEST_HANDSHAKE).ctx);
    expect(result).toEqual({ content: [{ type: 'text', text: 'This is a simple text response for testing.' }] });
  });

  it('test_image_content returns a decodable 1x1 red PNG', async () => {
    const result = await tool('test_image_content').call({}, fakeContext(LATEST_HANDSHAKE).ctx);
    const image = asObject((result.content as JsonValue[])[0]);
    expect(image.type).toBe('image');
    expect(image.mimeType).toBe('image/png');
    const png = Buffer.from(String(image.data), 'base64');
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const chunks: { type: string; data: Buffer }[] = [];
    for (let at = 8; at < png.length; ) {
      const length = png.readUInt32BE(at);
      const typeAndData = png.subarray(at + 4, at + 8 + length);
      expect(png.readUInt32BE(at + 8 + length)).toBe(zlibCrc32(typeAndData));
      chunks.push({ type: typeAndData.subarray(0, 4).toString('latin1'), data: typeAndData.subarray(4) });
      at += 12 + length;
    }
    expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    const header = chunks[0]?.data ?? Buffer.alloc(0);
    expect([header.readUInt32BE(0), header.readUInt32BE(4), header[8], header[9]]).toEqual([1, 1, 8, 2]);
    expect([...inflateSync(chunks[1]?.data ?? Buffer.alloc(0))]).toEqual([0, 255, 0, 0]);
  });

  it('test_audio_content returns a well-formed audio/wav clip', async () => {
    const result = await tool('test_audio_content').call({}, fakeContext(LATEST_HANDSHAKE).ctx);
    const audio = asObject((result.content as JsonValue[])[0]);
    expect(audio).toMatchObject({ type: 'audio', mimeType: 'audio/wav' });
    const wav = Buffer.from(String(audio.data), 'base64');
    expect([wav.toString('latin1', 0, 4), wav.toString('latin1', 8, 12), wav.toString('latin1', 36, 40)]).toEqual(['RIFF', 'WAVE', 'data']);
    expect(wav.readUInt32LE(4)).toBe(wav.length - 8);
    expect(wav.readUInt32LE(40)).toBe(wav.length - 44);
    expect(wav.readUInt32LE(40)).toBeGreaterThan(0);
  });

  it('test_embedded_resource embeds the documented text resource', async () => {
    const result = await tool('test_embedded_resource').call({}, fakeContext(LATEST_HANDSHAKE).ctx);
    expect(result.content).toEqual([
      { type: 'resource', resource: { uri: 'test://embedded-resource', mimeType: 'text/plain', text: 'This is an embedded resource content.' } },
    ]);
  });

  it('test_multiple_content_types returns text, image and a JSON resource in that order', async () => {
    const result = await tool('test_multiple_content_types').call({}, fakeContext(LATEST_HANDSHAKE).ctx);
    const blocks = (result.content as JsonValue[]).map(asObject);
    expect(blocks.map((b) => b.type)).toEqual(['text', 'image', 'resource']);
    expect(blocks[0]?.text).toBe('Multiple content types test:');
    const embedded = asObject(blocks[2]?.resource);
    expect(embedded).toMatchObject({ uri: 'test://mixed-content-resource', mimeType: 'application/json' });
    expect(JSON.parse(String(embedded.text))).toEqual({ test: 'data', value: 123 });
  });

  it('test_error_handling reports a tool execution error in the result, not a JSON-RPC error', async () => {
    const result = await tool('test_error_handling').call({}, fakeContext(LATEST_HANDSHAKE).ctx);
    expect(result.isError).toBe(true);
    expect(textOf(result)).toBe('This tool intentionally returns an error for testing');
  });
});

describe('notifying tools', () => {
  it('test_tool_with_logging sends the three documented info messages in order', async () => {
    const { ctx, seen } = fakeContext(LATEST_HANDSHAKE);
    const result = await tool('test_tool_with_logging').call({}, ctx);
    expect(seen.logs.map((l) => [l.level, l.data])).toEqual([
      ['info', 'Tool execution started'],
      ['info', 'Tool processing data'],
      ['info', 'Tool execution completed'],
    ]);
    expect(result.isError).toBeUndefined();
  });

  it('test_tool_with_progress reports 0, 50 and 100 of 100', async () => {
    const { ctx, seen } = fakeContext(LATEST_HANDSHAKE);
    await tool('test_tool_with_progress').call({}, ctx);
    expect(seen.progress.map((p) => [p.progress, p.total])).toEqual([
      [0, 100],
      [50, 100],
      [100, 100],
    ]);
  });

  it('test_tool_with_progress stops with FixtureCancelledError when the call is cancelled mid-way', async () => {
    const controller = new AbortController();
    const { ctx, seen } = fakeContext(LATEST_HANDSHAKE, { signal: controller.signal, onProgress: () => controller.abort() });
    await expect(tool('test_tool_with_progress').call({}, ctx)).rejects.toBeInstanceOf(FixtureCancelledError);
    expect(seen.progress).toHaveLength(1);
  });

  it('test_tool_with_logging stops after its first message when the call is already cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    const { ctx, seen } = fakeContext(LATEST_HANDSHAKE, { signal: controller.signal });
    await expect(tool('test_tool_with_logging').call({}, ctx)).rejects.toThrow(/cancelled/);
    expect(seen.logs).toHaveLength(1);
  });
});

describe('test_sampling', () => {
  it.each(PROTOCOL_VERSIONS)('at %s sends the documented sampling/createMessage and returns the LLM text', async (version) => {
    const { ctx, seen } = fakeContext(version);
    const result = await tool('test_sampling').call({ prompt: 'Test prompt for sampling' }, ctx);
    expect(seen.requests).toEqual([
      {
        method: 'sampling/createMessage',
        params: { messages: [{ role: 'user', content: { type: 'text', text: 'Test prompt for sampling' } }], maxTokens: 100 },
      },
    ]);
    expect(seen.requestIssues).toEqual([]);
    expect(textOf(result)).toBe('LLM response: This is a test response from the client');
  });

  it('returns a tool error and asks nothing when the client did not declare sampling', async () => {
    const { ctx, seen } = fakeContext(LATEST_HANDSHAKE, { capabilities: { elicitation: {} } });
    const result = await tool('test_sampling').call({ prompt: 'x' }, ctx);
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/sampling capability/);
    expect(seen.requests).toEqual([]);
  });

  it('reports the client refusing the request as a tool error with its message and code', async () => {
    const answer: Answer = () => Promise.reject(new RpcError(-1, 'User rejected sampling request'));
    const result = await tool('test_sampling').call({ prompt: 'x' }, fakeContext(LATEST_HANDSHAKE, { answer }).ctx);
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/User rejected sampling request \(code -1\)/);
  });

  it('reports a malformed client answer as a tool error instead of echoing it', async () => {
    const result = await tool('test_sampling').call({ prompt: 'x' }, fakeContext(LATEST_HANDSHAKE, { answer: () => ({ model: 7 }) }).ctx);
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/not a valid CreateMessageResult/);
  });

  it('stops waiting for the client with FixtureCancelledError when the call is cancelled', async () => {
    const controller = new AbortController();
    const answer: Answer = () => {
      controller.abort();
      return new Promise<JsonObject>(() => undefined);
    };
    const { ctx } = fakeContext(LATEST_HANDSHAKE, { signal: controller.signal, answer });
    await expect(tool('test_sampling').call({ prompt: 'x' }, ctx)).rejects.toBeInstanceOf(FixtureCancelledError);
  });

  it('reads the text of a 2025-11-25 answer whose content is an array of blocks', () => {
    expect(samplingText([{ type: 'text', text: 'a' }, { type: 'image', data: '', mimeType: 'image/png' }, { type: 'text', text: 'b' }])).toBe('a\n[image content]\nb');
  });
});

describe('elicitation tools', () => {
  it.each(['2025-06-18', '2025-11-25', '2026-07-28'] as const)('test_elicitation at %s asks for username and email in form mode and returns the answer', async (version) => {
    const { ctx, seen } = fakeContext(version);
    const result = await tool('test_elicitation').call({ message: 'Please provide your information' }, ctx);
    expect(seen.requestIssues).toEqual([]);
    const params = seen.requests[0]?.params ?? {};
    expect(params.message).toBe('Please provide your information');
    // `mode` only exists from 2025-11-25.
    expect(params.mode).toBe(version === '2025-06-18' ? undefined : 'form');
    expect(params.requestedSchema).toMatchObject({ type: 'object', required: ['username', 'email'] });
    expect(textOf(result)).toBe('User response: action=accept, content={"username":"testuser","email":"test@example.com"}');
  });

  it('returns a tool error and asks nothing when the client did not declare elicitation', async () => {
    const { ctx, seen } = fakeContext(LATEST_HANDSHAKE, { capabilities: { sampling: {} } });
    const result = await tool('test_elicitation').call({ message: 'm' }, ctx);
    expect(result.isError).toBe(true);
    expect(seen.requests).toEqual([]);
  });

  it('does not send a form to a 2025-11-25 client that declared URL mode only', async () => {
    const { ctx, seen } = fakeContext(LATEST_HANDSHAKE, { capabilities: { elicitation: { url: {} } } });
    const result = await tool('test_elicitation_sep1034_defaults').call({}, ctx);
    expect(result.isError).toBe(true);
    expect(seen.requests).toEqual([]);
  });

  it('sends a form to a 2025-11-25 client that declared form mode explicitly', async () => {
    const { ctx, seen } = fakeContext(LATEST_HANDSHAKE, { capabilities: { elicitation: { form: {}, url: {} } } });
    const result = await tool('test_elicitation_sep1034_defaults').call({}, ctx);
    expect(result.isError).toBeUndefined();
    expect(seen.requests).toHaveLength(1);
  });

  it('reports a declined elicitation as such, with no content', async () => {
    const result = await tool('test_elicitation').call({ message: 'm' }, fakeContext(LATEST_HANDSHAKE, { answer: () => ({ action: 'decline' }) }).ctx);
    expect(result.isError).toBeUndefined();
    expect(textOf(result)).toBe('User response: action=decline, content={}');
  });

  it('rejects accepted content that does not match the requested form', async () => {
    const answer: Answer = () => ({ action: 'accept', content: { username: 'u', email: 5, extra: true } });
    const result = await tool('test_elicitation').call({ message: 'm' }, fakeContext(LATEST_HANDSHAKE, { answer }).ctx);
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/email must be a string.*extra was not requested/);
  });

  it('asks test_elicitation_sep1034_defaults with a default for every primitive type, as the scenario checks', async () => {
    const { ctx, seen } = fakeContext(LATEST_HANDSHAKE);
    const result = await tool('test_elicitation_sep1034_defaults').call({}, ctx);
    expect(seen.requestIssues).toEqual([]);
    const properties = asObject(asObject(seen.requests[0]?.params.requestedSchema).properties);
    expect(properties.name).toMatchObject({ type: 'string', default: 'John Doe' });
    expect(properties.age).toMatchObject({ type: 'integer', default: 30 });
    expect(properties.score).toMatchObject({ type: 'number', default: 95.5 });
    expect(properties.status).toMatchObject({ type: 'string', enum: ['active', 'inactive', 'pending'], default: 'active' });
    expect(properties.verified).toMatchObject({ type: 'boolean', default: true });
    expect(textOf(result)).toBe('Elicitation completed: action=accept, content={"name":"Jane Smith","age":25,"score":88,"status":"inactive","verified":false}');
  });

  it('asks test_elicitation_sep1330_enums with the five enum shapes, as the scenario checks', async () => {
    const { ctx, seen } = fakeContext(LATEST_HANDSHAKE);
    const result = await tool('test_elicitation_sep1330_enums').call({}, ctx);
    expect(seen.requestIssues).toEqual([]);
    const p = asObject(asObject(seen.requests[0]?.params.requestedSchema).properties);
    const untitledSingle = asObject(p.untitledSingle);
    expect(untitledSingle).toMatchObject({ type: 'string', enum: ['option1', 'option2', 'option3'] });
    expect(untitledSingle.oneOf ?? untitledSingle.enumNames).toBeUndefined();
    const titledSingle = asObject(p.titledSingle);
    expect(titledSingle.type).toBe('string');
    expect(titledSingle.enum).toBeUndefined();
    expect((titledSingle.oneOf as JsonValue[]).map(asObject).every((o) => typeof o.const === 'string' && typeof o.title === 'string')).toBe(true);
    const legacy = asObject(p.legacyEnum);
    expect((legacy.enumNames as JsonValue[]).length).toBe((legacy.enum as JsonValue[]).length);
    const untitledMulti = asObject(p.untitledMulti);
    expect(untitledMulti.type).toBe('array');
    expect(asObject(untitledMulti.items)).toEqual({ type: 'string', enum: ['option1', 'option2', 'option3'] });
    const titledMulti = asObject(p.titledMulti);
    expect(titledMulti.type).toBe('array');
    const options = asObject(titledMulti.items);
    expect(options.enum).toBeUndefined();
    expect((options.anyOf as JsonValue[]).map(asObject).every((o) => typeof o.const === 'string' && typeof o.title === 'string')).toBe(true);
    expect(result.isError).toBeUndefined();
    expect(textOf(result)).toMatch(/^Elicitation completed: action=accept, content=\{"untitledSingle":"option1"/);
  });
});

describe('elicitedContentIssues', () => {
  const schema: JsonObject = {
    type: 'object',
    properties: {
      n: { type: 'integer', minimum: 1, maximum: 3 },
      s: { type: 'string', oneOf: [{ const: 'a', title: 'A' }], maxLength: 1 },
      m: { type: 'array', items: { anyOf: [{ const: 'x', title: 'X' }] }, maxItems: 1 },
      b: { type: 'boolean' },
    },
    required: ['b'],
  };

  it('accepts content that matches the form', () => {
    expect(elicitedContentIssues(schema, { n: 2, s: 'a', m: ['x'], b: false })).toEqual([]);
  });

  it('names every departure from the form', () => {
    expect(elicitedContentIssues(schema, { n: 1.5, s: 'bb', m: ['x', 'y'] })).toEqual([
      'n must be an integer',
      's must be one of ["a"], got "bb"',
      's is longer than 1',
      'm must only hold ["x"], got "y"',
      'm allows at most 1 items',
      'b is required',
    ]);
  });
});

describe('json_schema_2020_12_tool', () => {
  it('keeps $schema, $defs and additionalProperties in its listed input schema', () => {
    const listed = renderTool(tool('json_schema_2020_12_tool'), LATEST_HANDSHAKE).inputSchema as JsonObject;
    expect(listed.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(asObject(listed.$defs).address).toBeDefined();
    expect(listed.additionalProperties).toBe(false);
  });

  it('has an input schema a 2020-12 validator follows through its $ref', () => {
    const check = new Ajv2020({ strict: false }).compile(tool('json_schema_2020_12_tool').inputSchema);
    expect(check({ name: 'Ada', address: { city: 'Springfield' } })).toBe(true);
    expect(check({ address: { city: 7 } })).toBe(false);
    expect(check({ nickname: 'x' })).toBe(false);
  });

  it('echoes the arguments it was called with', async () => {
    const result = await tool('json_schema_2020_12_tool').call({ name: 'Ada' }, fakeContext(LATEST_HANDSHAKE).ctx);
    expect(textOf(result)).toBe('JSON Schema 2020-12 tool called with: {"name":"Ada"}');
  });
});

describe('test_reconnection', () => {
  it('asks the engine to close the call stream once, then answers', async () => {
    const { ctx, seen } = fakeContext(LATEST_HANDSHAKE);
    const result = await tool('test_reconnection').call({}, ctx);
    expect(seen.closedStreams).toBe(1);
    expect(textOf(result)).toMatch(/^Reconnection test completed successfully/);
  });

  it('still answers where the stream cannot be closed (not Streamable HTTP)', async () => {
    const result = await tool('test_reconnection').call({}, fakeContext(LATEST_HANDSHAKE, { canCloseStream: false }).ctx);
    expect(result.isError).toBeUndefined();
  });

  it('gives up with FixtureCancelledError when the call is cancelled after the stream closed', async () => {
    const controller = new AbortController();
    const { ctx } = fakeContext(LATEST_HANDSHAKE, { signal: controller.signal });
    const closing = Object.assign(ctx, { closeStream: () => controller.abort() });
    await expect(tool('test_reconnection').call({}, closing)).rejects.toBeInstanceOf(FixtureCancelledError);
  });
});

describe('resources', () => {
  it('reads test://static-text as the documented text', async () => {
    expect(await resource('test://static-text').read(fakeContext(LATEST_HANDSHAKE).ctx)).toEqual([
      { uri: 'test://static-text', mimeType: 'text/plain', text: 'This is the content of the static text resource.' },
    ]);
  });

  it('reads test://static-binary as the same PNG the image tool returns', async () => {
    const [contents] = await resource('test://static-binary').read(fakeContext(LATEST_HANDSHAKE).ctx);
    const image = asObject(((await tool('test_image_content').call({}, fakeContext(LATEST_HANDSHAKE).ctx)).content as JsonValue[])[0]);
    expect(contents).toEqual({ uri: 'test://static-binary', mimeType: 'image/png', blob: image.data });
  });

  it('reads test://watched-resource, which resources-subscribe needs to exist', async () => {
    expect(await resource('test://watched-resource').read(fakeContext(LATEST_HANDSHAKE).ctx)).toEqual([
      { uri: 'test://watched-resource', mimeType: 'text/plain', text: 'Watched resource content' },
    ]);
  });

  it('substitutes the template id into the data', async () => {
    const [template] = conformanceTemplates();
    const contents = await template?.read('test://template/123/data', fakeContext(LATEST_HANDSHAKE).ctx);
    expect(contents).toEqual([
      { uri: 'test://template/123/data', mimeType: 'application/json', text: '{"id":"123","templateTest":true,"data":"Data for ID: 123"}' },
    ]);
  });

  it('decodes a percent-encoded template id', async () => {
    const [template] = conformanceTemplates();
    const contents = await template?.read('test://template/a%20b/data', fakeContext(LATEST_HANDSHAKE).ctx);
    expect(JSON.parse(String(contents?.[0]?.text)).id).toBe('a b');
  });

  it.each(['test://template//data', 'test://template/a b/data', 'test://template/a/b/data', 'test://template/%ZZ/data', 'test://template/%C3%28/data', 'test://static-text'])(
    'does not claim %s for the template',
    async (uri) => {
      const [template] = conformanceTemplates();
      expect(await template?.read(uri, fakeContext(LATEST_HANDSHAKE).ctx)).toBeUndefined();
    },
  );

  it('completes the template id by prefix and nothing else', () => {
    const [template] = conformanceTemplates();
    expect(template?.complete?.('id', '1', {})).toEqual(['123']);
    expect(template?.complete?.('id', '', {})).toEqual(['123', '456', '789']);
    expect(template?.complete?.('other', '', {})).toEqual([]);
  });
});

describe('prompts', () => {
  it('test_simple_prompt returns the documented user message', async () => {
    const result = await prompt('test_simple_prompt').get({}, fakeContext(LATEST_HANDSHAKE).ctx);
    expect(result.messages).toEqual([{ role: 'user', content: { type: 'text', text: 'This is a simple prompt for testing.' } }]);
  });

  it('test_prompt_with_arguments substitutes both arguments', async () => {
    const result = await prompt('test_prompt_with_arguments').get({ arg1: 'testValue1', arg2: 'testValue2' }, fakeContext(LATEST_HANDSHAKE).ctx);
    expect(result.messages).toEqual([{ role: 'user', content: { type: 'text', text: "Prompt with arguments: arg1='testValue1', arg2='testValue2'" } }]);
  });

  it('test_prompt_with_arguments declares both arguments required', () => {
    expect(prompt('test_prompt_with_arguments').arguments?.map((a) => [a.name, a.required])).toEqual([
      ['arg1', true],
      ['arg2', true],
    ]);
  });

  it('answers a missing required argument with invalid params (-32602)', () => {
    const err = thrownBy(() => prompt('test_prompt_with_arguments').get({ arg1: 'a' }, fakeContext(LATEST_HANDSHAKE).ctx));
    expect(err).toBeInstanceOf(McpError);
    expect(err).toMatchObject({ code: -32602, message: 'Missing required argument arg2' });
  });

  it('completes arg1 by prefix, as completion-complete asks', () => {
    const p = prompt('test_prompt_with_arguments');
    expect(p.complete?.('arg1', 'test', {})).toEqual(['test', 'testValue1']);
    expect(p.complete?.('arg1', 'par', {})).toEqual(['paris', 'park', 'party']);
    expect(p.complete?.('nope', '', {})).toEqual([]);
  });

  it('test_prompt_with_embedded_resource embeds a resource at the given URI, then asks to process it', async () => {
    const result = await prompt('test_prompt_with_embedded_resource').get({ resourceUri: 'test://example-resource' }, fakeContext(LATEST_HANDSHAKE).ctx);
    expect(result.messages).toEqual([
      { role: 'user', content: { type: 'resource', resource: { uri: 'test://example-resource', mimeType: 'text/plain', text: 'Embedded resource content for testing.' } } },
      { role: 'user', content: { type: 'text', text: 'Please process the embedded resource above.' } },
    ]);
  });

  it.each(['not a uri', '', 'relative/path'])('rejects the resourceUri %j with invalid params, since an embedded resource needs a URI', (uri) => {
    const err = thrownBy(() => prompt('test_prompt_with_embedded_resource').get({ resourceUri: uri }, fakeContext(LATEST_HANDSHAKE).ctx));
    expect(err).toBeInstanceOf(McpError);
    expect(err).toMatchObject({ code: -32602, message: expect.stringMatching(/^resourceUri must be a URI/) });
  });

  it('test_prompt_with_image carries a PNG image, then a text message', async () => {
    const result = await prompt('test_prompt_with_image').get({}, fakeContext(LATEST_HANDSHAKE).ctx);
    const messages = (result.messages as JsonValue[]).map(asObject);
    expect(asObject(messages[0]?.content)).toMatchObject({ type: 'image', mimeType: 'image/png' });
    expect(asObject(messages[1]?.content)).toEqual({ type: 'text', text: 'Please analyze the image above.' });
  });
});
