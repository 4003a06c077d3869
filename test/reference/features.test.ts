import { Ajv } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { validate } from '../../spec/validate.js';
import { PROTOCOL_VERSIONS, type ProtocolVersion } from '../../spec/versions.js';
import type { JsonObject, JsonValue } from '../../transport/jsonrpc.js';
import { atLeast } from '../../reference/capabilities.js';
import { McpError } from '../../reference/errors.js';
import { defaultFeatures, type FeatureSet } from '../../reference/features/catalog.js';
import { COUNTER_URI } from '../../reference/features/resources/counter.js';
import { ITEM_COUNT } from '../../reference/features/resources/items.js';
import { HELLO_URI } from '../../reference/features/resources/static.js';
import { Registry } from '../../reference/registry.js';
import { listedFor, renderPrompt, renderResource, renderTemplate, renderTool } from '../../reference/render.js';
import type {
  Icon,
  LogLevel,
  PromptDefinition,
  RequestContext,
  ResourceDefinition,
  ResourceTemplateDefinition,
  ToolDefinition,
} from '../../reference/types.js';

// ---------------------------------------------------------------------------------------------
// A fake RequestContext: records what a feature does and answers server→client requests with
// canned client results. It deliberately does not gate requests on capabilities, so a feature
// that asks without checking is caught by the recorded calls.

interface Recorded {
  progress: { progress: number; total: number | undefined; message: string | undefined; aborted: boolean }[];
  logs: { level: LogLevel; data: JsonValue; logger: string | undefined }[];
  requests: { method: string; params: JsonObject; timeoutMs: number | undefined }[];
  notifications: { method: string; params: JsonObject }[];
}

type Answer = JsonObject | Error | 'never';

interface FakeOptions {
  capabilities?: JsonObject;
  answers?: Record<string, Answer>;
  onProgress?: (progress: number, controller: AbortController) => void;
}

interface Fake {
  ctx: RequestContext;
  recorded: Recorded;
  controller: AbortController;
}

const CANNED: Record<string, JsonObject> = {
  'sampling/createMessage': { role: 'assistant', content: { type: 'text', text: 'Hello from the fake model.' }, model: 'fake-model-1', stopReason: 'endTurn' },
  'elicitation/create': { action: 'accept', content: { email: 'ada@example.com', age: 36, subscribe: true, color: 'green' } },
  'roots/list': { roots: [{ uri: 'file:///home/user/project', name: 'project' }, { uri: 'file:///tmp' }] },
};

/** Everything a client can declare in that version. */
function fullCapabilities(version: ProtocolVersion): JsonObject {
  const caps: JsonObject = { sampling: {}, roots: { listChanged: true } };
  if (atLeast(version, '2025-11-25')) caps.elicitation = { form: {}, url: {} };
  else if (atLeast(version, '2025-06-18')) caps.elicitation = {};
  return caps;
}

function fakeContext(version: ProtocolVersion, options: FakeOptions = {}): Fake {
  const controller = new AbortController();
  const recorded: Recorded = { progress: [], logs: [], requests: [], notifications: [] };
  const answers = { ...CANNED, ...options.answers };
  const ctx: RequestContext = {
    version,
    requestId: 1,
    clientCapabilities: options.capabilities ?? fullCapabilities(version),
    signal: controller.signal,
    closeStream: () => false,
    session: {
      id: 'fake-session',
      subscribe: () => undefined,
      unsubscribe: () => undefined,
      setLogLevel: () => undefined,
      notify(method, params) {
        recorded.notifications.push({ method, params });
        return Promise.resolve();
      },
    },
    progress(progress, total, message) {
      recorded.progress.push({ progress, total, message, aborted: controller.signal.aborted });
      options.onProgress?.(progress, controller);
      return Promise.resolve();
    },
    log(level, data, logger) {
      recorded.logs.push({ level, data, logger });
      return Promise.resolve();
    },
    request(method, params, requestOptions) {
      recorded.requests.push({ method, params, timeoutMs: requestOptions?.timeoutMs });
      const answer = answers[method];
      if (answer === undefined) return Promise.reject(new McpError(-32601, `Method not found: ${method}`));
      if (answer === 'never') return new Promise<JsonObject>(() => undefined);
      if (answer instanceof Error) return Promise.reject(answer);
      return Promise.resolve(answer);
    },
  };
  return { ctx, recorded, controller };
}

/** The envelope fields the engine adds to results in 2026-07-28 (features return the payload). */
function readResult(version: ProtocolVersion, contents: JsonObject[]): JsonObject {
  return version === '2026-07-28' ? { contents, resultType: 'complete', ttlMs: 0, cacheScope: 'public' } : { contents };
}

function completeResultFor(version: ProtocolVersion, values: string[]): JsonObject {
  const result: JsonObject = { completion: { values, hasMore: false } };
  if (version === '2026-07-28') result.resultType = 'complete';
  return result;
}

// ---------------------------------------------------------------------------------------------
// Arguments generated from an inputSchema, as a checker or load generator would: every
// property filled in, and one variant per value of each enum.

function valueFor(schema: JsonObject): JsonValue {
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0] as JsonValue;
  if (Array.isArray(schema.enum)) return schema.enum[0] as JsonValue;
  switch (schema.type) {
    case 'string':
      if (schema.format === 'uri') return 'https://example.com/mcpcert/test';
      if (schema.format === 'email') return 'ada@example.com';
      return 'hello';
    case 'integer': {
      const min = typeof schema.minimum === 'number' ? schema.minimum : 0;
      const max = typeof schema.maximum === 'number' ? schema.maximum : min + 10;
      return Math.min(max, min + 2);
    }
    case 'number':
      return 2.5;
    case 'boolean':
      return true;
    case 'array': {
      const items = (schema.items ?? {}) as JsonObject;
      return items.type === 'number' ? [3, -1, 7.25] : [valueFor(items)];
    }
    default:
      return {};
  }
}

function argumentVariants(inputSchema: JsonObject): JsonObject[] {
  const properties = (inputSchema.properties ?? {}) as Record<string, JsonObject>;
  const base: JsonObject = {};
  for (const [key, schema] of Object.entries(properties)) base[key] = valueFor(schema);
  const variants: JsonObject[] = [base];
  for (const [key, schema] of Object.entries(properties)) {
    if (!Array.isArray(schema.enum)) continue;
    for (const value of schema.enum.slice(1)) variants.push({ ...base, [key]: value as JsonValue });
  }
  return variants;
}

// `x-mcp-header` is an annotation keyword 2026-07-28 defines for tool input schemas.
const MCP_KEYWORDS = [{ keyword: 'x-mcp-header', schemaType: 'string' as const }];
const ajv2020 = new Ajv2020({ allErrors: true, strict: true, keywords: MCP_KEYWORDS });
addFormats.default(ajv2020);
const ajvDraft07 = new Ajv({ allErrors: true, strict: true, keywords: MCP_KEYWORDS });
addFormats.default(ajvDraft07);

function schemaValidates(schema: JsonObject, value: unknown): { ok: boolean; errors: string } {
  const fn = ajv2020.compile(schema);
  const ok = fn(value);
  return { ok, errors: ajv2020.errorsText(fn.errors) };
}

// ---------------------------------------------------------------------------------------------

function setup(): { registry: Registry; features: FeatureSet } {
  const registry = new Registry();
  const features = defaultFeatures(registry);
  for (const t of features.tools) registry.tools.push(t);
  for (const r of features.resources) registry.resources.push(r);
  for (const t of features.templates) registry.templates.push(t);
  for (const p of features.prompts) registry.prompts.push(p);
  return { registry, features };
}

function toolsFor(tools: readonly ToolDefinition[], version: ProtocolVersion): ToolDefinition[] {
  return tools.filter((t) => listedFor(version, t.since));
}

function tool(features: FeatureSet, name: string): ToolDefinition {
  const found = features.tools.find((t) => t.name === name);
  if (found === undefined) throw new Error(`no tool ${name}`);
  return found;
}

function prompt(features: FeatureSet, name: string): PromptDefinition {
  const found = features.prompts.find((p) => p.name === name);
  if (found === undefined) throw new Error(`no prompt ${name}`);
  return found;
}

function template(features: FeatureSet, uriTemplate: string): ResourceTemplateDefinition {
  const found = features.templates.find((t) => t.uriTemplate === uriTemplate);
  if (found === undefined) throw new Error(`no template ${uriTemplate}`);
  return found;
}

function texts(result: JsonObject): string[] {
  return (result.content as JsonObject[]).filter((b) => b.type === 'text').map((b) => b.text as string);
}

function expectValid(version: ProtocolVersion, definition: string, value: unknown, what: string): void {
  const check = validate(version, definition, value);
  expect(check.ok ? 'valid' : `${what}: ${check.summary}`).toBe('valid');
}

/** Which generated calls are meant to end in a tool error even with every capability declared. */
function expectedToolError(name: string, args: JsonObject, version: ProtocolVersion): boolean {
  if (name === 'fail') return true;
  if (name === 'content-kinds') {
    if (args.kind === 'audio') return !atLeast(version, '2025-03-26');
    if (args.kind === 'resource_link') return !atLeast(version, '2025-06-18');
  }
  return false;
}

function allIcons(features: FeatureSet): Icon[] {
  return [...features.tools, ...features.resources, ...features.templates, ...features.prompts].flatMap((f) => f.icons ?? []);
}

const PNG_SIGNATURE = '89504e470d0a1a0a';

describe('reference features: definitions', () => {
  const { features } = setup();

  it('names every tool uniquely with 1–128 characters from A-Z a-z 0-9 _ - .', () => {
    const names = features.tools.map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[A-Za-z0-9_.-]{1,128}$/);
  });

  it('gives every tool an object inputSchema without extra properties and all four annotation hints', () => {
    for (const t of features.tools) {
      expect(t.inputSchema.type, t.name).toBe('object');
      expect(t.inputSchema.additionalProperties, t.name).toBe(false);
      for (const hint of ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint']) expect(typeof t.annotations?.[hint], `${t.name} ${hint}`).toBe('boolean');
      if (t.outputSchema !== undefined) expect(t.outputSchema.type, t.name).toBe('object');
    }
  });

  it('writes input and output schemas that compile in both draft-07 and 2020-12', () => {
    for (const t of features.tools) {
      for (const schema of [t.inputSchema, t.outputSchema]) {
        if (schema === undefined) continue;
        expect(() => ajvDraft07.compile(schema), t.name).not.toThrow();
        expect(() => ajv2020.compile(schema), t.name).not.toThrow();
      }
    }
  });

  it('uses only data: PNG icons that decode to a PNG', () => {
    const icons = allIcons(features);
    expect(icons.length).toBeGreaterThan(0);
    for (const icon of icons) {
      expect(icon.src.startsWith('data:image/png;base64,')).toBe(true);
      expect(icon.mimeType).toBe('image/png');
      const bytes = Buffer.from(icon.src.slice('data:image/png;base64,'.length), 'base64');
      expect(bytes.subarray(0, 8).toString('hex')).toBe(PNG_SIGNATURE);
    }
  });

  it(`lists ${ITEM_COUNT} item resources with unique URIs, more than two pages of 50`, () => {
    const items = features.resources.filter((r) => r.uri.startsWith('mcpcert://items/'));
    expect(items).toHaveLength(ITEM_COUNT);
    expect(new Set(features.resources.map((r) => r.uri)).size).toBe(features.resources.length);
    expect(features.resources.length).toBeGreaterThan(100);
  });

  for (const version of PROTOCOL_VERSIONS) {
    describe(version, () => {
      it('renders every listed tool as a valid Tool, and only tools whose since has come', () => {
        const listed = toolsFor(features.tools, version);
        for (const t of listed) expectValid(version, 'Tool', renderTool(t, version), t.name);
        const names = listed.map((t) => t.name);
        expect(names.includes('elicit-form')).toBe(atLeast(version, '2025-06-18'));
        expect(names.includes('elicit-url')).toBe(atLeast(version, '2025-11-25'));
      });

      it('renders every resource as a valid Resource', () => {
        for (const r of features.resources) expectValid(version, 'Resource', renderResource(r, version), r.uri);
      });

      it('renders every template as a valid ResourceTemplate', () => {
        for (const t of features.templates) expectValid(version, 'ResourceTemplate', renderTemplate(t, version), t.uriTemplate);
      });

      it('renders every prompt as a valid Prompt', () => {
        for (const p of features.prompts) expectValid(version, 'Prompt', renderPrompt(p, version), p.name);
      });
    });
  }
});

describe('reference features: tools called with generated arguments', () => {
  for (const version of PROTOCOL_VERSIONS) {
    it(`returns a valid CallToolResult from every tool listed for ${version}, structured content matching the outputSchema`, async () => {
      const { features } = setup();
      let calls = 0;
      for (const t of toolsFor(features.tools, version)) {
        for (const args of argumentVariants(t.inputSchema)) {
          const generated = schemaValidates(t.inputSchema, args);
          expect(generated.ok ? 'valid' : `${t.name} ${JSON.stringify(args)}: ${generated.errors}`).toBe('valid');
          const { ctx } = fakeContext(version);
          const result = await t.call(args, ctx);
          calls++;
          const label = `${t.name} ${JSON.stringify(args)}`;
          expectValid(version, 'CallToolResult', result, label);
          expect(result.isError === true, label).toBe(expectedToolError(t.name, args, version));
          if (!atLeast(version, '2025-06-18')) {
            expect(result.structuredContent, label).toBeUndefined();
          } else if (t.outputSchema !== undefined && result.isError !== true) {
            expect(result.structuredContent, label).toBeDefined();
            const check = schemaValidates(t.outputSchema, result.structuredContent);
            expect(check.ok ? 'valid' : `${label}: ${check.errors}`).toBe('valid');
            // TOOL-013: the same JSON is also in a text block.
            expect(texts(result).map((s) => s.trim()), label).toContain(JSON.stringify(result.structuredContent));
          }
          if (result.structuredContent !== undefined) expect(t.outputSchema, label).toBeDefined();
        }
      }
      expect(calls).toBeGreaterThan(toolsFor(features.tools, version).length);
    });
  }

  it('echo returns the text as content and as structured {text}', async () => {
    const { features } = setup();
    const { ctx } = fakeContext('2025-11-25');
    const result = await tool(features, 'echo').call({ text: 'ping ✓' }, ctx);
    expect(texts(result)[0]).toBe('ping ✓');
    expect(result.structuredContent).toEqual({ text: 'ping ✓' });
    const old = await tool(features, 'echo').call({ text: 'ping' }, fakeContext('2024-11-05').ctx);
    expect(old).toEqual({ content: [{ type: 'text', text: 'ping' }] });
  });

  it('add sums and reports an overflowing sum as a tool error', async () => {
    const { features } = setup();
    const add = tool(features, 'add');
    expect((await add.call({ a: 2, b: 40 }, fakeContext('2025-06-18').ctx)).structuredContent).toEqual({ sum: 42 });
    const overflow = await add.call({ a: 1e308, b: 1e308 }, fakeContext('2025-06-18').ctx);
    expect(overflow.isError).toBe(true);
    expect(overflow.structuredContent).toBeUndefined();
  });

  it('turns arguments of the wrong type into a tool error rather than an exception', async () => {
    const { features } = setup();
    const result = await tool(features, 'add').call({ a: 'two', b: 1 }, fakeContext('2025-11-25').ctx);
    expect(result.isError).toBe(true);
    expect(texts(result)[0]).toContain('"a"');
  });

  it('fail reports its message as an isError result', async () => {
    const { features } = setup();
    const result = await tool(features, 'fail').call({ message: 'boom on purpose' }, fakeContext('2025-03-26').ctx);
    expect(result).toEqual({ content: [{ type: 'text', text: 'boom on purpose' }], isError: true });
  });

  it('adds resultType "complete" to tool results in 2026-07-28 only', async () => {
    const { features } = setup();
    expect((await tool(features, 'echo').call({ text: 'a' }, fakeContext('2026-07-28').ctx)).resultType).toBe('complete');
    expect((await tool(features, 'echo').call({ text: 'a' }, fakeContext('2025-11-25').ctx)).resultType).toBeUndefined();
  });
});

describe('reference features: content-kinds', () => {
  const kindsOf = (result: JsonObject) => (result.content as JsonObject[]).map((b) => b.type);

  it('returns a decodable PNG for image and a RIFF/WAVE file for audio', async () => {
    const { features } = setup();
    const ck = tool(features, 'content-kinds');
    const image = ((await ck.call({ kind: 'image' }, fakeContext('2025-11-25').ctx)).content as JsonObject[])[0] as JsonObject;
    expect(image.mimeType).toBe('image/png');
    expect(Buffer.from(image.data as string, 'base64').subarray(0, 8).toString('hex')).toBe(PNG_SIGNATURE);
    const audio = ((await ck.call({ kind: 'audio' }, fakeContext('2025-11-25').ctx)).content as JsonObject[])[0] as JsonObject;
    const wav = Buffer.from(audio.data as string, 'base64');
    expect(wav.toString('ascii', 0, 4)).toBe('RIFF');
    expect(wav.toString('ascii', 8, 12)).toBe('WAVE');
    expect(wav.readUInt32LE(4)).toBe(wav.length - 8);
  });

  it('links to a resource the server lists', async () => {
    const { features } = setup();
    const result = await tool(features, 'content-kinds').call({ kind: 'resource_link' }, fakeContext('2025-06-18').ctx);
    const link = (result.content as JsonObject[])[0] as JsonObject;
    expect(link.type).toBe('resource_link');
    expect(features.resources.some((r) => r.uri === link.uri)).toBe(true);
  });

  it.each([
    ['2024-11-05', ['text', 'image', 'resource']],
    ['2025-03-26', ['text', 'image', 'audio', 'resource']],
    ['2025-06-18', ['text', 'image', 'audio', 'resource_link', 'resource']],
    ['2026-07-28', ['text', 'image', 'audio', 'resource_link', 'resource']],
  ] as const)('mixed in %s carries exactly the kinds that version has', async (version, kinds) => {
    const { features } = setup();
    const result = await tool(features, 'content-kinds').call({ kind: 'mixed' }, fakeContext(version).ctx);
    expect(kindsOf(result)).toEqual(kinds);
  });

  it('explains which version introduced a kind the negotiated version lacks', async () => {
    const { features } = setup();
    const result = await tool(features, 'content-kinds').call({ kind: 'audio' }, fakeContext('2024-11-05').ctx);
    expect(result.isError).toBe(true);
    expect(texts(result)[0]).toContain('2025-03-26');
  });
});

describe('reference features: long-running', () => {
  it('sends strictly increasing progress up to the total and returns a summary', async () => {
    const { features } = setup();
    const fake = fakeContext('2025-11-25');
    const result = await tool(features, 'long-running').call({ steps: 6, stepMs: 0 }, fake.ctx);
    expect(fake.recorded.progress.map((p) => p.progress)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(fake.recorded.progress.every((p) => p.total === 6 && typeof p.message === 'string')).toBe(true);
    expect(result.structuredContent).toEqual({ steps: 6, completed: 6 });
  });

  it('stops at the step where the request is cancelled and reports nothing after it', { timeout: 20_000 }, async () => {
    const { features } = setup();
    // One-second steps: if cancellation were ignored, 100 steps would outlast the test timeout.
    const fake = fakeContext('2025-11-25', { onProgress: (p, controller) => p === 2 && controller.abort() });
    const result = await tool(features, 'long-running').call({ steps: 100, stepMs: 1000 }, fake.ctx);
    expect(fake.recorded.progress.map((p) => p.progress)).toEqual([1, 2]);
    expect(fake.recorded.progress.some((p) => p.aborted)).toBe(false);
    expect(result.isError).toBe(true);
    expect(texts(result)[0]).toContain('Cancelled after 2 of 100');
  });

  it('does not start when the request is already cancelled', async () => {
    const { features } = setup();
    const fake = fakeContext('2025-06-18');
    fake.controller.abort();
    await tool(features, 'long-running').call({ steps: 3, stepMs: 0 }, fake.ctx);
    expect(fake.recorded.progress).toEqual([]);
  });
});

describe('reference features: tools that ask the client', () => {
  const gated: readonly { name: string; since: ProtocolVersion; args: JsonObject }[] = [
    { name: 'sample', since: '2024-11-05', args: { prompt: 'hi', maxTokens: 10 } },
    { name: 'list-roots', since: '2024-11-05', args: {} },
    { name: 'elicit-form', since: '2025-06-18', args: {} },
    { name: 'elicit-url', since: '2025-11-25', args: {} },
  ];

  for (const version of PROTOCOL_VERSIONS.filter((v) => v !== '2026-07-28')) {
    it(`never sends a request in ${version} when the client declared no capabilities`, async () => {
      const { features } = setup();
      for (const g of gated.filter((x) => atLeast(version, x.since))) {
        const fake = fakeContext(version, { capabilities: {} });
        const result = await tool(features, g.name).call(g.args, fake.ctx);
        expect(result.isError, g.name).toBe(true);
        expect(fake.recorded.requests, g.name).toEqual([]);
        expectValid(version, 'CallToolResult', result, g.name);
      }
    });
  }

  it('asks anyway in 2026-07-28, where the engine answers a missing capability with -32021', async () => {
    const { features } = setup();
    for (const g of gated) {
      const fake = fakeContext('2026-07-28', { capabilities: {} });
      await tool(features, g.name).call(g.args, fake.ctx);
      expect(fake.recorded.requests.length, g.name).toBe(1);
    }
  });

  it('does not use form mode with a 2025-11-25 client that declared only URL elicitation', async () => {
    const { features } = setup();
    const fake = fakeContext('2025-11-25', { capabilities: { elicitation: { url: {} } } });
    const result = await tool(features, 'elicit-form').call({}, fake.ctx);
    expect(result.isError).toBe(true);
    expect(fake.recorded.requests).toEqual([]);
  });

  it('does not use URL mode with a client whose elicitation object is empty (form only)', async () => {
    const { features } = setup();
    const fake = fakeContext('2025-11-25', { capabilities: { elicitation: {} } });
    const result = await tool(features, 'elicit-url').call({}, fake.ctx);
    expect(result.isError).toBe(true);
    expect(fake.recorded.requests).toEqual([]);
  });

  it.each([
    ['2025-06-18', {}, undefined],
    ['2025-11-25', {}, 'form'],
    ['2025-11-25', { form: {} }, 'form'],
    ['2026-07-28', { form: {} }, 'form'],
  ] as const)('sends a valid form elicitation in %s for elicitation %j (mode %s)', async (version, elicitation, mode) => {
    const { features } = setup();
    const fake = fakeContext(version, { capabilities: { elicitation } });
    const result = await tool(features, 'elicit-form').call({ message: 'Tell me' }, fake.ctx);
    expect(result.structuredContent).toEqual({ action: 'accept', content: CANNED['elicitation/create']?.content });
    const sent = fake.recorded.requests[0];
    expect(sent?.method).toBe('elicitation/create');
    expect(sent?.params.mode).toBe(mode);
    expect(sent?.params.message).toBe('Tell me');
    expectValid(version, 'ElicitRequest', { jsonrpc: '2.0', id: 9, method: 'elicitation/create', params: sent?.params }, 'request');
  });

  it('reports decline and cancel without content', async () => {
    const { features } = setup();
    for (const action of ['decline', 'cancel']) {
      const fake = fakeContext('2025-11-25', { answers: { 'elicitation/create': { action } } });
      const result = await tool(features, 'elicit-form').call({}, fake.ctx);
      expect(result.isError).toBeUndefined();
      expect(result.structuredContent).toEqual({ action });
    }
  });

  it('refuses accepted form content that does not match the requested schema', async () => {
    const { features } = setup();
    const fake = fakeContext('2025-11-25', { answers: { 'elicitation/create': { action: 'accept', content: { email: 'not an email', age: 400 } } } });
    const result = await tool(features, 'elicit-form').call({}, fake.ctx);
    expect(result.isError).toBe(true);
    expect(texts(result)[0]).toMatch(/email|age/);
  });

  it('sends a URL elicitation with mode, url and elicitationId and reports the action', async () => {
    const { features } = setup();
    const fake = fakeContext('2025-11-25', { answers: { 'elicitation/create': { action: 'accept' } } });
    const result = await tool(features, 'elicit-url').call({ url: 'https://example.com/consent?x=1' }, fake.ctx);
    const sent = fake.recorded.requests[0];
    expect(sent?.params).toMatchObject({ mode: 'url', url: 'https://example.com/consent?x=1' });
    expect(typeof sent?.params.elicitationId).toBe('string');
    expectValid('2025-11-25', 'ElicitRequest', { jsonrpc: '2.0', id: 9, method: 'elicitation/create', params: sent?.params }, 'request');
    expect(result.structuredContent).toEqual({ action: 'accept', elicitationId: sent?.params.elicitationId });
    expect(fake.recorded.notifications).toEqual([{ method: 'notifications/elicitation/complete', params: { elicitationId: sent?.params.elicitationId } }]);
    expectValid('2025-11-25', 'ElicitationCompleteNotification', { jsonrpc: '2.0', method: 'notifications/elicitation/complete', params: fake.recorded.notifications[0]?.params }, 'notification');
  });

  it('announces no completion when the user declines the URL', async () => {
    const { features } = setup();
    const fake = fakeContext('2025-11-25', { answers: { 'elicitation/create': { action: 'decline' } } });
    const result = await tool(features, 'elicit-url').call({}, fake.ctx);
    expect(result.structuredContent).toMatchObject({ action: 'decline' });
    expect(fake.recorded.notifications).toEqual([]);
  });

  it('omits elicitationId and the completion notification from URL elicitation in 2026-07-28', async () => {
    const { features } = setup();
    const fake = fakeContext('2026-07-28', { answers: { 'elicitation/create': { action: 'accept' } } });
    await tool(features, 'elicit-url').call({}, fake.ctx);
    expect(fake.recorded.requests[0]?.params.elicitationId).toBeUndefined();
    expect(fake.recorded.notifications).toEqual([]);
    expectValid('2026-07-28', 'ElicitRequest', { method: 'elicitation/create', params: fake.recorded.requests[0]?.params }, 'request');
  });

  it('refuses a non-http URL without asking the client', async () => {
    const { features } = setup();
    const fake = fakeContext('2025-11-25');
    const result = await tool(features, 'elicit-url').call({ url: 'javascript:alert(1)' }, fake.ctx);
    expect(result.isError).toBe(true);
    expect(fake.recorded.requests).toEqual([]);
  });

  for (const version of PROTOCOL_VERSIONS) {
    it(`sends a valid sampling/createMessage in ${version} and returns the model's text`, async () => {
      const { features } = setup();
      const fake = fakeContext(version);
      const result = await tool(features, 'sample').call({ prompt: 'Say hi', maxTokens: 20 }, fake.ctx);
      const sent = fake.recorded.requests[0];
      expect(sent?.method).toBe('sampling/createMessage');
      expect(sent?.params.maxTokens).toBe(20);
      expect(sent?.params.includeContext).toBeUndefined();
      expectValid(version, 'CreateMessageRequest', { jsonrpc: '2.0', id: 9, method: 'sampling/createMessage', params: sent?.params }, 'request');
      expect(texts(result)[0]).toBe('Hello from the fake model.');
    });
  }

  it('returns the roots as text and structured content', async () => {
    const { features } = setup();
    const fake = fakeContext('2025-06-18');
    const result = await tool(features, 'list-roots').call({}, fake.ctx);
    expect(result.structuredContent).toEqual({ roots: [{ uri: 'file:///home/user/project', name: 'project' }, { uri: 'file:///tmp' }] });
    expect(texts(result)[0]).toContain('project: file:///home/user/project');
    expectValid('2025-06-18', 'ListRootsRequest', { jsonrpc: '2.0', id: 9, method: 'roots/list', params: fake.recorded.requests[0]?.params }, 'request');
  });

  it('turns a client error answer into a tool error naming the code', async () => {
    const { features } = setup();
    const fake = fakeContext('2025-11-25', { answers: { 'sampling/createMessage': new McpError(-1, 'User rejected sampling request') } });
    const result = await tool(features, 'sample').call({ prompt: 'hi' }, fake.ctx);
    expect(result.isError).toBe(true);
    expect(texts(result)[0]).toContain('-1');
  });

  it('turns a malformed client answer into a tool error', async () => {
    const { features } = setup();
    const fake = fakeContext('2025-11-25', { answers: { 'roots/list': { roots: 'none' } } });
    const result = await tool(features, 'list-roots').call({}, fake.ctx);
    expect(result.isError).toBe(true);
    expect(texts(result)[0]).toContain('ListRootsResult');
  });

  it('stops waiting for the client when the tool call is cancelled', async () => {
    const { features } = setup();
    const fake = fakeContext('2025-11-25', { answers: { 'sampling/createMessage': 'never' } });
    const pending = tool(features, 'sample').call({ prompt: 'hi' }, fake.ctx);
    fake.controller.abort();
    const result = await pending;
    expect(result.isError).toBe(true);
    expect(texts(result)[0]).toContain('cancelled');
    expect(fake.recorded.requests[0]?.timeoutMs).toBeGreaterThan(0);
  });
});

describe('reference features: state-changing tools', () => {
  it('toggle-tool adds and removes the ephemeral tool, each time announcing a tools list change', async () => {
    const { registry, features } = setup();
    const changes: string[] = [];
    registry.on('listChanged', (list) => changes.push(list));
    const toggle = tool(features, 'toggle-tool');
    const first = await toggle.call({}, fakeContext('2025-06-18').ctx);
    expect(first.structuredContent).toEqual({ tool: 'ephemeral', present: true });
    const ephemeral = registry.tool('ephemeral');
    expect(ephemeral).toBeDefined();
    expectValid('2025-06-18', 'Tool', renderTool(ephemeral as ToolDefinition, '2025-06-18'), 'ephemeral');
    expectValid('2025-06-18', 'CallToolResult', await (ephemeral as ToolDefinition).call({}, fakeContext('2025-06-18').ctx), 'ephemeral');
    const second = await toggle.call({}, fakeContext('2025-06-18').ctx);
    expect(second.structuredContent).toEqual({ tool: 'ephemeral', present: false });
    expect(registry.tool('ephemeral')).toBeUndefined();
    expect(changes).toEqual(['tools', 'tools']);
  });

  it('touch-resource changes the counter and tells its subscribers', async () => {
    const { registry, features } = setup();
    const updates: string[] = [];
    registry.on('resourceUpdated', (uri) => updates.push(uri));
    const counter = registry.resource(COUNTER_URI) as ResourceDefinition;
    const ctx = fakeContext('2025-11-25').ctx;
    const before = (await counter.read(ctx))[0]?.text;
    const result = await tool(features, 'touch-resource').call({ uri: COUNTER_URI }, ctx);
    expect(result.structuredContent).toEqual({ uri: COUNTER_URI, count: 1 });
    const after = (await counter.read(ctx))[0]?.text;
    expect(after).not.toBe(before);
    expect(counter.size).toBe(Buffer.byteLength(after as string));
    expect(updates).toEqual([COUNTER_URI]);
  });

  it.each([['mcpcert://nope'], [HELLO_URI]])('touch-resource refuses %s with a tool error and no notification', async (uri) => {
    const { registry, features } = setup();
    const updates: string[] = [];
    registry.on('resourceUpdated', (u) => updates.push(u));
    const result = await tool(features, 'touch-resource').call({ uri }, fakeContext('2025-11-25').ctx);
    expect(result.isError).toBe(true);
    expect(texts(result)[0]).toContain(COUNTER_URI);
    expect(updates).toEqual([]);
  });

  it('log emits at the requested level with its logger name', async () => {
    const { features } = setup();
    const fake = fakeContext('2025-03-26');
    await tool(features, 'log').call({ level: 'warning', message: 'disk almost full' }, fake.ctx);
    expect(fake.recorded.logs).toEqual([{ level: 'warning', data: 'disk almost full', logger: 'mcpcert.log-tool' }]);
  });
});

describe('reference features: resources and templates', () => {
  for (const version of PROTOCOL_VERSIONS) {
    it(`reads every resource to valid ReadResourceResult contents in ${version}, sizes matching`, async () => {
      const { features } = setup();
      for (const r of features.resources) {
        const contents = await r.read(fakeContext(version).ctx);
        expect(contents.length, r.uri).toBeGreaterThan(0);
        expectValid(version, 'ReadResourceResult', readResult(version, contents), r.uri);
        const first = contents[0] as JsonObject;
        expect(first.uri).toBe(r.uri);
        expect(first.mimeType).toBe(r.mimeType);
        const bytes = typeof first.blob === 'string' ? Buffer.from(first.blob, 'base64').length : Buffer.byteLength(first.text as string);
        if (r.size !== undefined) expect(bytes, r.uri).toBe(r.size);
      }
    });
  }

  it('serves the binary resource as a base64 PNG blob', async () => {
    const { features } = setup();
    const png = features.resources.find((r) => r.mimeType === 'image/png') as ResourceDefinition;
    const [contents] = await png.read(fakeContext('2024-11-05').ctx);
    expect(Buffer.from(contents?.blob as string, 'base64').subarray(0, 8).toString('hex')).toBe(PNG_SIGNATURE);
  });

  it('the JSON resource is parseable JSON', async () => {
    const { features } = setup();
    const json = features.resources.find((r) => r.mimeType === 'application/json') as ResourceDefinition;
    const [contents] = await json.read(fakeContext('2025-06-18').ctx);
    expect(() => JSON.parse(contents?.text as string) as unknown).not.toThrow();
  });

  it('reads items 1 and 120 through the template and nothing outside or non-canonical', async () => {
    const { features } = setup();
    const items = template(features, 'mcpcert://items/{n}');
    const ctx = fakeContext('2025-11-25').ctx;
    for (const n of [1, 120]) {
      const contents = await items.read(`mcpcert://items/${n}`, ctx);
      expect(contents?.[0]?.uri).toBe(`mcpcert://items/${n}`);
      expectValid('2025-11-25', 'ReadResourceResult', { contents }, String(n));
    }
    for (const uri of ['mcpcert://items/0', 'mcpcert://items/121', 'mcpcert://items/007', 'mcpcert://items/-1', 'mcpcert://items/abc', 'mcpcert://items/', 'mcpcert://items/1/2', 'other://items/1']) {
      expect(await items.read(uri, ctx), uri).toBeUndefined();
    }
  });

  it('completes item numbers by prefix, every match (the engine caps the values at 100)', () => {
    const { features } = setup();
    const items = template(features, 'mcpcert://items/{n}');
    const all = (items.complete?.('n', '', {}) ?? []).slice(0, 100);
    expect(items.complete?.('n', '', {})).toHaveLength(120);
    expect(items.complete?.('n', '12', {})).toEqual(['12', '120']);
    expect(items.complete?.('n', 'x', {})).toEqual([]);
    expect(items.complete?.('other', '1', {})).toEqual([]);
    for (const version of PROTOCOL_VERSIONS) expectValid(version, 'CompleteResult', completeResultFor(version, all), 'items');
  });

  it('reads greetings with percent-encoded names and rejects unknown languages and bad escapes', async () => {
    const { features } = setup();
    const greeting = template(features, 'mcpcert://greeting/{lang}/{name}');
    const ctx = fakeContext('2025-11-25').ctx;
    const fr = await greeting.read('mcpcert://greeting/fr/Ren%C3%A9e', ctx);
    expect(fr?.[0]?.text).toBe('Bonjour, Renée !\n');
    expectValid('2025-11-25', 'ReadResourceResult', { contents: fr }, 'fr');
    for (const uri of ['mcpcert://greeting/xx/Ada', 'mcpcert://greeting/en/%E0%A4%A', 'mcpcert://greeting/en/', 'mcpcert://greeting/en/a%00b', 'mcpcert://greeting/en']) {
      expect(await greeting.read(uri, ctx), uri).toBeUndefined();
    }
  });

  it('completes greeting languages and names by prefix', () => {
    const { features } = setup();
    const greeting = template(features, 'mcpcert://greeting/{lang}/{name}');
    expect(greeting.complete?.('lang', 'e', {})).toEqual(['en', 'es']);
    expect(greeting.complete?.('name', 'a', { lang: 'en' })).toEqual(['Ada', 'Alan']);
    expect(greeting.complete?.('nope', '', {})).toEqual([]);
  });
});

describe('reference features: prompts', () => {
  const argsFor: Record<string, Record<string, string>> = { greet: { name: 'Grace', style: 'formal' } };

  for (const version of PROTOCOL_VERSIONS) {
    it(`gets every prompt as a valid GetPromptResult in ${version}`, async () => {
      const { features } = setup();
      for (const p of features.prompts) {
        const result = await p.get(argsFor[p.name] ?? {}, fakeContext(version).ctx);
        expectValid(version, 'GetPromptResult', result, p.name);
        expect(result.resultType).toBe(version === '2026-07-28' ? 'complete' : undefined);
      }
    });
  }

  it('with-resource embeds a listed text resource and with-image carries a PNG', async () => {
    const { features } = setup();
    const ctx = fakeContext('2024-11-05').ctx;
    const withResource = (await prompt(features, 'with-resource').get({}, ctx)).messages as JsonObject[];
    const embedded = (withResource[0] as JsonObject).content as JsonObject;
    expect(embedded.type).toBe('resource');
    expect((embedded.resource as JsonObject).uri).toBe(HELLO_URI);
    const withImage = (await prompt(features, 'with-image').get({}, ctx)).messages as JsonObject[];
    const image = (withImage[0] as JsonObject).content as JsonObject;
    expect(Buffer.from(image.data as string, 'base64').subarray(0, 8).toString('hex')).toBe(PNG_SIGNATURE);
  });

  it('greet uses the style and defaults to casual', async () => {
    const { features } = setup();
    const ctx = fakeContext('2025-06-18').ctx;
    const formal = await prompt(features, 'greet').get({ name: 'Grace', style: 'formal' }, ctx);
    const casual = await prompt(features, 'greet').get({ name: 'Grace' }, ctx);
    expect(formal.description).toContain('formal');
    expect(casual.description).toContain('casual');
  });

  it.each([
    [{}, 'name'],
    [{ name: '  ' }, 'name'],
    [{ name: 'Grace', style: 'rude' }, 'style'],
    [{ name: 'a\u0007b' }, 'name'],
  ])('greet rejects %j with -32602 naming the argument', async (args, argument) => {
    const { features } = setup();
    let caught: unknown;
    try {
      await prompt(features, 'greet').get(args as Record<string, string>, fakeContext('2025-11-25').ctx);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(McpError);
    expect((caught as McpError).code).toBe(-32602);
    expect((caught as McpError).data).toMatchObject({ argument });
  });

  it('completes greet style and name by prefix, at most 100, valid as CompleteResult', () => {
    const { features } = setup();
    const greet = prompt(features, 'greet');
    expect(greet.complete?.('style', 'f', {})).toEqual(['formal']);
    expect(greet.complete?.('style', '', {})).toEqual(['formal', 'casual']);
    expect(greet.complete?.('name', 'GR', {})).toEqual(['Grace']);
    expect(greet.complete?.('unknown', '', {})).toEqual([]);
    for (const version of PROTOCOL_VERSIONS) expectValid(version, 'CompleteResult', completeResultFor(version, greet.complete?.('name', '', {}) ?? []), 'greet');
  });

  it('declares name as required and style as optional', () => {
    const { features } = setup();
    expect(prompt(features, 'greet').arguments).toEqual([
      expect.objectContaining({ name: 'name', required: true }),
      expect.objectContaining({ name: 'style', required: false }),
    ]);
  });
});
