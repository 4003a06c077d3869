/**
 * Interop: the official SDK client (@modelcontextprotocol/sdk 1.32.2) against `mcpcert serve`
 * over stdio, Streamable HTTP and legacy HTTP+SSE, at each handshake-era version. Every tool,
 * resource and prompt the server lists is exercised; the server's requests to the client
 * (sampling, elicitation, roots) are answered with canned data that must come back in the tool
 * results; tasks run to completion and are cancelled. Raw results are also checked against the
 * official schema of the negotiated version, which is stricter than the SDK's parsing.
 */
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  CallToolResultSchema,
  CreateTaskResultSchema,
  McpError,
  type CallToolResult,
  type ClientCapabilities,
  type Prompt,
  type Resource,
  type ResourceTemplate,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validate } from '../../spec/validate.js';
import type { ProtocolVersion } from '../../spec/versions.js';
import { argumentVariants, CANNED, connectSdk, fullCapabilities, valueFor, type JsonRecord, type SdkSession, type SdkTransportKind } from '../helpers/sdk-client.js';
import { startServe, type Served } from '../helpers/serve.js';

const VERSIONS = ['2024-11-05', '2025-03-26', '2025-06-18', '2025-11-25'] as const satisfies readonly ProtocolVersion[];
type Version = (typeof VERSIONS)[number];
const KINDS = ['stdio', 'http', 'sse'] as const satisfies readonly SdkTransportKind[];

/** Per request; generous because two cores are shared with other test files. */
const REQUEST = { timeout: 15_000 } as const;
const COUNTER = 'mcpcert://counter';
const RELATED_TASK = 'io.modelcontextprotocol/related-task';
/** Tools whose purpose is to return a tool error. */
const FAILING_BY_DESIGN = new Set(['fail', 'test_error_handling']);
/** content-kinds offers every kind in its schema and answers a tool error for kinds the version lacks. */
const KIND_SINCE: Record<string, Version> = { audio: '2025-03-26', resource_link: '2025-06-18' };

function expectsToolError(version: Version, name: string, args: JsonRecord): boolean {
  if (FAILING_BY_DESIGN.has(name)) return true;
  const since = name === 'content-kinds' && typeof args.kind === 'string' ? KIND_SINCE[args.kind] : undefined;
  return since !== undefined && version < since;
}
const MAX_PAGES = 100;
const READ_CONCURRENCY = 8;

let served: Served;

beforeAll(async () => {
  served = await startServe();
});

afterAll(async () => {
  await served?.stop();
});

function targetFor(kind: SdkTransportKind): string | undefined {
  return kind === 'stdio' ? undefined : served.targets[kind];
}

async function open(kind: SdkTransportKind, version: Version, capabilities: ClientCapabilities): Promise<SdkSession> {
  return connectSdk({ kind, target: targetFor(kind), version, capabilities });
}

async function shut(session: SdkSession | undefined): Promise<void> {
  if (session === undefined) return;
  // Streamable HTTP sessions end with DELETE, so the server does not keep them until it stops.
  if (session.transport instanceof StreamableHTTPClientTransport) await session.transport.terminateSession().catch(() => undefined);
  await session.close();
}

function expectSchema(version: Version, definition: string, value: unknown): void {
  const check = validate(version, definition, value);
  expect(check.ok ? 'valid' : `${definition} invalid for ${version}: ${check.summary}`, JSON.stringify(value).slice(0, 500)).toBe('valid');
}

/** Follows nextCursor to the end; refuses a cursor that repeats (a loop) and too many pages. */
async function allPages<T>(fetchPage: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor?: string | undefined }>): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  const cursors = new Set<string>();
  let cursor: string | undefined;
  for (let pages = 1; pages <= MAX_PAGES; pages++) {
    const page = await fetchPage(cursor);
    items.push(...page.items);
    if (page.nextCursor === undefined) return { items, pages };
    expect(cursors.has(page.nextCursor), `cursor ${page.nextCursor} repeated`).toBe(false);
    cursors.add(page.nextCursor);
    cursor = page.nextCursor;
  }
  throw new Error(`more than ${MAX_PAGES} pages`);
}

function textOf(result: CallToolResult): string {
  return result.content
    .filter((c): c is { type: 'text'; text: string } => c.type === 'text')
    .map((c) => c.text)
    .join('\n');
}

function structured(result: CallToolResult): JsonRecord {
  expect(result.structuredContent, JSON.stringify(result)).toBeDefined();
  return result.structuredContent as JsonRecord;
}

async function listAllTools(s: SdkSession, version: Version): Promise<Tool[]> {
  const { items } = await allPages(async (cursor) => {
    const mark = s.transcript.mark();
    const page = await s.client.listTools(cursor === undefined ? undefined : { cursor }, REQUEST);
    expectSchema(version, 'ListToolsResult', s.transcript.responseTo('tools/list', mark).result);
    return { items: page.tools, nextCursor: page.nextCursor };
  });
  return items;
}

/** Calls a tool and checks the raw result against the version's schema. */
async function call(s: SdkSession, version: Version, name: string, args: JsonRecord = {}): Promise<CallToolResult> {
  const mark = s.transcript.mark();
  const result = (await s.client.callTool({ name, arguments: args }, CallToolResultSchema, REQUEST)) as CallToolResult;
  expectSchema(version, 'CallToolResult', s.transcript.responseTo('tools/call', mark).result);
  return result;
}

/** Names in `{var}` expressions of a URI template (the simple level-1 form these use). */
function templateVariables(uriTemplate: string): string[] {
  return [...uriTemplate.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
}

/** The first completion for an argument, or undefined when the server offers none. */
async function firstCompletion(s: SdkSession, version: Version, ref: { type: 'ref/prompt'; name: string } | { type: 'ref/resource'; uri: string }, argument: string): Promise<string | undefined> {
  const mark = s.transcript.mark();
  const result = await s.client.complete({ ref, argument: { name: argument, value: '' } }, REQUEST);
  expectSchema(version, 'CompleteResult', s.transcript.responseTo('completion/complete', mark).result);
  expect(result.completion.values.length).toBeLessThanOrEqual(100);
  return result.completion.values[0];
}

/**
 * Arguments for a prompt: required ones always, optional ones only when completion suggests a
 * value. Prompt arguments have no schema, so an argument named like a URI gets `someUri` (one the
 * server listed) and any other plain text.
 */
async function promptArguments(s: SdkSession, version: Version, prompt: Prompt, someUri: string): Promise<Record<string, string>> {
  const args: Record<string, string> = {};
  const canComplete = s.client.getServerCapabilities()?.completions !== undefined;
  for (const a of prompt.arguments ?? []) {
    const suggested = canComplete ? await firstCompletion(s, version, { type: 'ref/prompt', name: prompt.name }, a.name) : undefined;
    if (suggested !== undefined) args[a.name] = suggested;
    else if (a.required === true) args[a.name] = /ur[il]$/i.test(a.name) ? someUri : CANNED.text;
  }
  return args;
}

const MATRIX: [SdkTransportKind, Version][] = KINDS.flatMap((kind) => VERSIONS.map((v): [SdkTransportKind, Version] => [kind, v]));

describe.each(MATRIX)('SDK client over %s offering %s', (kind, version) => {
  let s: SdkSession;

  beforeAll(async () => {
    s = await open(kind, version, fullCapabilities(version));
  });

  afterAll(async () => {
    await shut(s);
  });

  it('gets the offered version echoed in a schema-valid InitializeResult, which the SDK accepts', async () => {
    expect(s.initializeResult.protocolVersion).toBe(version);
    expectSchema(version, 'InitializeResult', s.initializeResult);
    expect(s.transcript.sent().some((m) => m.method === 'notifications/initialized')).toBe(true);
    const caps = s.client.getServerCapabilities();
    expect(caps?.tools).toBeDefined();
    expect(caps?.prompts).toBeDefined();
    expect(caps?.logging).toBeDefined();
    expect(caps?.resources?.subscribe).toBe(true);
    // completions is a capability only from 2025-03-26, tasks only in 2025-11-25.
    expect(caps?.completions !== undefined).toBe(version >= '2025-03-26');
    expect(caps?.tasks !== undefined).toBe(version === '2025-11-25');
    expect(s.client.getServerVersion()?.name).toEqual(expect.any(String));
    // The SDK's HTTP transport sends the negotiated version in MCP-Protocol-Version from now on.
    if (s.transport instanceof StreamableHTTPClientTransport) expect(s.transport.protocolVersion).toBe(version);
    await expect(s.client.ping(REQUEST)).resolves.toEqual({});
  });

  it('lists every tool and calls each with generated arguments, getting results, never JSON-RPC errors', async () => {
    const tools = await listAllTools(s, version);
    const names = tools.map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining(['echo', 'long-running', 'sample', 'list-roots', 'toggle-tool', 'touch-resource']));
    // Tools appear only from the version whose features they need.
    expect(names.includes('elicit-form')).toBe(version >= '2025-06-18');
    expect(names.includes('elicit-url')).toBe(version >= '2025-11-25');

    const problems: string[] = [];
    for (const tool of tools) {
      for (const args of argumentVariants(tool.inputSchema)) {
        const label = `${tool.name} ${JSON.stringify(args)}`;
        try {
          const result = await call(s, version, tool.name, args);
          if ((result.isError === true) !== expectsToolError(version, tool.name, args)) problems.push(`${label}: isError=${String(result.isError)}: ${textOf(result)}`);
          if (result.content.length === 0) problems.push(`${label}: empty content`);
          // The tool list is server-wide: undo the toggle at once (list_changed has its own test).
          if (tool.name === 'toggle-tool') await call(s, version, tool.name, args);
        } catch (err) {
          problems.push(`${label}: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect((await listAllTools(s, version)).map((t) => t.name)).toEqual(names);
  });

  it('pages through more than 120 resources and reads every one of them', async () => {
    const { items: resources, pages } = await allPages(async (cursor) => {
      const mark = s.transcript.mark();
      const page = await s.client.listResources(cursor === undefined ? undefined : { cursor }, REQUEST);
      expectSchema(version, 'ListResourcesResult', s.transcript.responseTo('resources/list', mark).result);
      return { items: page.resources, nextCursor: page.nextCursor };
    });
    expect(resources.length).toBeGreaterThan(120);
    expect(pages).toBeGreaterThan(1);
    const uris = resources.map((r: Resource) => r.uri);
    expect(new Set(uris).size).toBe(uris.length);
    expect(uris).toContain(COUNTER);

    const problems: string[] = [];
    const mark = s.transcript.mark();
    const readOne = async (uri: string): Promise<void> => {
      try {
        const read = await s.client.readResource({ uri }, REQUEST);
        const raw = s.transcript.responseTo('resources/read', mark, (params) => params.uri === uri).result;
        const check = validate(version, 'ReadResourceResult', raw);
        if (!check.ok) problems.push(`${uri}: ${check.summary}`);
        if (read.contents.length === 0) problems.push(`${uri}: no contents`);
        if (!read.contents.some((c) => c.uri === uri)) problems.push(`${uri}: no content carries the URI read`);
      } catch (err) {
        problems.push(`${uri}: ${err instanceof Error ? err.message : String(err)}`);
      }
    };
    // A few reads in flight at a time, as a client rendering a list would do.
    for (let i = 0; i < uris.length; i += READ_CONCURRENCY) await Promise.all(uris.slice(i, i + READ_CONCURRENCY).map(readOne));
    expect(problems).toEqual([]);
  });

  it('lists resource templates', async () => {
    const { items: templates } = await allPages(async (cursor) => {
      const mark = s.transcript.mark();
      const page = await s.client.listResourceTemplates(cursor === undefined ? undefined : { cursor }, REQUEST);
      expectSchema(version, 'ListResourceTemplatesResult', s.transcript.responseTo('resources/templates/list', mark).result);
      return { items: page.resourceTemplates, nextCursor: page.nextCursor };
    });
    expect(templates.length).toBeGreaterThan(0);
    for (const t of templates) expect(templateVariables(t.uriTemplate).length, t.uriTemplate).toBeGreaterThan(0);
  });

  it('lists every prompt and gets each with its required arguments', async () => {
    const { items: prompts } = await allPages(async (cursor) => {
      const mark = s.transcript.mark();
      const page = await s.client.listPrompts(cursor === undefined ? undefined : { cursor }, REQUEST);
      expectSchema(version, 'ListPromptsResult', s.transcript.responseTo('prompts/list', mark).result);
      return { items: page.prompts, nextCursor: page.nextCursor };
    });
    expect(prompts.length).toBeGreaterThan(0);
    const someUri = (await s.client.listResources(undefined, REQUEST)).resources[0]!.uri;
    const problems: string[] = [];
    for (const prompt of prompts) {
      const args = await promptArguments(s, version, prompt, someUri);
      const mark = s.transcript.mark();
      try {
        const got = await s.client.getPrompt({ name: prompt.name, arguments: args }, REQUEST);
        const check = validate(version, 'GetPromptResult', s.transcript.responseTo('prompts/get', mark).result);
        if (!check.ok) problems.push(`${prompt.name}: ${check.summary}`);
        if (got.messages.length === 0) problems.push(`${prompt.name}: no messages`);
      } catch (err) {
        problems.push(`${prompt.name} ${JSON.stringify(args)}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    expect(problems).toEqual([]);
  });

  if (version >= '2025-03-26') {
    it('completes prompt arguments and template variables, and reads a URI built from the completions', async () => {
      const prompts = (await s.client.listPrompts(undefined, REQUEST)).prompts;
      const promptValues: string[] = [];
      for (const p of prompts) {
        for (const a of p.arguments ?? []) {
          const v = await firstCompletion(s, version, { type: 'ref/prompt', name: p.name }, a.name);
          if (v !== undefined) promptValues.push(v);
        }
      }
      expect(promptValues.length).toBeGreaterThan(0);

      const templates: ResourceTemplate[] = (await s.client.listResourceTemplates(undefined, REQUEST)).resourceTemplates;
      let readFromCompletion = 0;
      for (const t of templates) {
        const values = new Map<string, string>();
        for (const variable of templateVariables(t.uriTemplate)) {
          const v = await firstCompletion(s, version, { type: 'ref/resource', uri: t.uriTemplate }, variable);
          if (v !== undefined) values.set(variable, v);
        }
        if (values.size === 0) continue;
        const uri = t.uriTemplate.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(values.get(name) ?? 'sdk'));
        const mark = s.transcript.mark();
        const read = await s.client.readResource({ uri }, REQUEST);
        expectSchema(version, 'ReadResourceResult', s.transcript.responseTo('resources/read', mark).result);
        expect(read.contents.length).toBeGreaterThan(0);
        readFromCompletion++;
      }
      expect(readFromCompletion).toBeGreaterThan(0);
    });
  }

  it('answers sampling, elicitation and roots callbacks, whose canned data comes back in the tool results', async () => {
    const hasStructured = version >= '2025-06-18';
    const handled = { sampling: s.callbacks.sampling.length, elicitation: s.callbacks.elicitation.length, roots: s.callbacks.roots };

    let mark = s.transcript.mark();
    const sampled = await call(s, version, 'sample', { prompt: 'Say hello to the SDK.', maxTokens: 20 });
    expect(sampled.isError).not.toBe(true);
    const samplingRequests = s.transcript.receivedMethod('sampling/createMessage', mark);
    expect(samplingRequests).toHaveLength(1);
    expectSchema(version, 'CreateMessageRequest', samplingRequests[0]);
    expect(JSON.stringify(samplingRequests[0]!.params)).toContain('Say hello to the SDK.');
    expect(textOf(sampled)).toContain(CANNED.reply);
    if (hasStructured) expect(structured(sampled)).toMatchObject({ model: CANNED.model, role: 'assistant', text: CANNED.reply });

    mark = s.transcript.mark();
    const roots = await call(s, version, 'list-roots');
    expect(roots.isError).not.toBe(true);
    expect(s.transcript.receivedMethod('roots/list', mark)).toHaveLength(1);
    for (const r of CANNED.roots) expect(textOf(roots)).toContain(r.uri);
    if (hasStructured) expect(structured(roots).roots).toEqual(CANNED.roots);

    if (version >= '2025-06-18') {
      mark = s.transcript.mark();
      const form = await call(s, version, 'elicit-form', { message: 'Tell the SDK about yourself.' });
      expect(form.isError, textOf(form)).not.toBe(true);
      const asked = s.transcript.receivedMethod('elicitation/create', mark);
      expect(asked).toHaveLength(1);
      expectSchema(version, 'ElicitRequest', asked[0]);
      const params = asked[0]!.params!;
      // `mode` exists only from 2025-11-25, where form requests may carry it.
      if (version < '2025-11-25') expect(params.mode).toBeUndefined();
      expect(structured(form)).toEqual({ action: 'accept', content: valueFor(params.requestedSchema) });
    }

    if (version >= '2025-11-25') {
      mark = s.transcript.mark();
      const url = await call(s, version, 'elicit-url', { url: CANNED.url });
      expect(url.isError, textOf(url)).not.toBe(true);
      const asked = s.transcript.receivedMethod('elicitation/create', mark);
      expect(asked).toHaveLength(1);
      expectSchema(version, 'ElicitRequest', asked[0]);
      const params = asked[0]!.params!;
      expect(params).toMatchObject({ mode: 'url', url: CANNED.url, elicitationId: expect.any(String) });
      expect(structured(url)).toEqual({ action: 'accept', elicitationId: params.elicitationId });
      const done = await s.transcript.waitForMethod('notifications/elicitation/complete', mark);
      expectSchema(version, 'ElicitationCompleteNotification', done);
      expect(done.params?.elicitationId).toBe(params.elicitationId);
    }

    // The answers came from the SDK's handlers, one call each.
    expect(s.callbacks.sampling.length - handled.sampling).toBe(1);
    expect(s.callbacks.roots - handled.roots).toBe(1);
    expect(s.callbacks.elicitation.length - handled.elicitation).toBe(version >= '2025-11-25' ? 2 : version >= '2025-06-18' ? 1 : 0);
  });

  it('filters log notifications by the level set with logging/setLevel', async () => {
    await s.client.setLoggingLevel('debug', REQUEST);
    let mark = s.transcript.mark();
    await call(s, version, 'log', { level: 'info', message: 'info for the SDK' });
    const info = await s.transcript.waitFor(
      (e) => e.direction === 'received' && e.message.method === 'notifications/message' && JSON.stringify(e.message.params?.data).includes('info for the SDK'),
      'the info log message',
      mark,
    );
    expectSchema(version, 'LoggingMessageNotification', info.message);
    expect(info.message.params?.level).toBe('info');

    await s.client.setLoggingLevel('error', REQUEST);
    mark = s.transcript.mark();
    await call(s, version, 'log', { level: 'info', message: 'filtered out' });
    await call(s, version, 'log', { level: 'critical', message: 'let through' });
    await s.transcript.waitFor(
      (e) => e.direction === 'received' && e.message.method === 'notifications/message' && JSON.stringify(e.message.params?.data).includes('let through'),
      'the critical log message',
      mark,
    );
    // Both calls' messages travel the same way, so the filtered one would have come first.
    const logged = s.transcript.receivedMethod('notifications/message', mark).map((m) => m.params?.level);
    expect(logged).toEqual(['critical']);
    await s.client.setLoggingLevel('debug', REQUEST);
  });

  it(`notifies resources/updated for ${COUNTER} only while subscribed`, async () => {
    const isUpdate = (m: { method?: string; params?: JsonRecord }) => m.method === 'notifications/resources/updated' && m.params?.uri === COUNTER;
    await s.client.subscribeResource({ uri: COUNTER }, REQUEST);
    let mark = s.transcript.mark();
    await call(s, version, 'touch-resource', { uri: COUNTER });
    const first = await s.transcript.waitFor((e) => e.direction === 'received' && isUpdate(e.message), 'resources/updated', mark);
    expectSchema(version, 'ResourceUpdatedNotification', first.message);

    await s.client.unsubscribeResource({ uri: COUNTER }, REQUEST);
    mark = s.transcript.mark();
    await call(s, version, 'touch-resource', { uri: COUNTER });
    await s.client.subscribeResource({ uri: COUNTER }, REQUEST);
    await call(s, version, 'touch-resource', { uri: COUNTER });
    await s.transcript.waitFor((e) => e.direction === 'received' && isUpdate(e.message), 'resources/updated after resubscribing', mark);
    // Updates share one stream, so one for the unsubscribed touch would have arrived first.
    expect(s.transcript.received(mark).filter(isUpdate)).toHaveLength(1);
    await s.client.unsubscribeResource({ uri: COUNTER }, REQUEST);
  });

  it('notifies tools/list_changed when toggle-tool adds the ephemeral tool and again when it removes it', async () => {
    const before = (await listAllTools(s, version)).map((t) => t.name);
    expect(before).not.toContain('ephemeral');
    let mark = s.transcript.mark();
    await call(s, version, 'toggle-tool');
    expectSchema(version, 'ToolListChangedNotification', await s.transcript.waitForMethod('notifications/tools/list_changed', mark));
    const during = (await listAllTools(s, version)).map((t) => t.name);
    expect(during.filter((n) => !before.includes(n))).toEqual(['ephemeral']);
    const ephemeral = await call(s, version, 'ephemeral');
    expect(ephemeral.isError, textOf(ephemeral)).not.toBe(true);
    mark = s.transcript.mark();
    await call(s, version, 'toggle-tool');
    await s.transcript.waitForMethod('notifications/tools/list_changed', mark);
    expect((await listAllTools(s, version)).map((t) => t.name)).toEqual(before);
  });

  it('reports progress of long-running and stops it when the SDK aborts the call', async () => {
    const seen: number[] = [];
    let mark = s.transcript.mark();
    const done = await s.client.callTool({ name: 'long-running', arguments: { steps: 4, stepMs: 50 } }, CallToolResultSchema, {
      ...REQUEST,
      onprogress: (p) => seen.push(p.progress),
    });
    expect(done.isError).not.toBe(true);
    const request = s.transcript.sent(mark).find((m) => m.method === 'tools/call')!;
    const token = (request.params?._meta as JsonRecord).progressToken;
    // On the wire: one notification per step, for this token, all before the response.
    const notes = s.transcript.receivedMethod('notifications/progress', mark);
    expect(notes.map((n) => [n.params?.progressToken, n.params?.progress, n.params?.total])).toEqual([1, 2, 3, 4].map((p) => [token, p, 4]));
    for (const n of notes) expectSchema(version, 'ProgressNotification', n);
    const responseAt = s.transcript.entries.findIndex((e, i) => i >= mark && e.direction === 'received' && e.message.id === request.id && e.message.method === undefined);
    const lastProgressAt = s.transcript.entries.findLastIndex((e) => e.direction === 'received' && e.message.method === 'notifications/progress');
    expect(lastProgressAt).toBeLessThan(responseAt);
    // SDK 1.32.2 dispatches notifications a microtask later than responses, and drops the
    // handler with the response, so progress that arrives in the same chunk as the response
    // never reaches onprogress: the callback sees a prefix, the earlier steps at least.
    expect(seen.length).toBeGreaterThan(0);
    expect(seen).toEqual([1, 2, 3, 4].slice(0, seen.length));

    mark = s.transcript.mark();
    const controller = new AbortController();
    const cancelled = s.client.callTool({ name: 'long-running', arguments: { steps: 100, stepMs: 50 } }, CallToolResultSchema, {
      ...REQUEST,
      signal: controller.signal,
      onprogress: () => controller.abort('the SDK test cancels the call'),
    });
    await expect(cancelled).rejects.toThrow(/the SDK test cancels the call/);
    const id = s.transcript.sent(mark).find((m) => m.method === 'tools/call')!.id;
    const cancel = s.transcript.sent(mark).find((m) => m.method === 'notifications/cancelled');
    expect(cancel?.params?.requestId).toBe(id);
    // The server goes on serving, and never answers the cancelled request.
    const after = await call(s, version, 'long-running', { steps: 1, stepMs: 0 });
    expect(after.isError).not.toBe(true);
    expect(s.transcript.received(mark).filter((m) => m.method === undefined && m.id === id)).toEqual([]);
  });

  if (version === '2025-11-25') {
    it('runs a task to completion and cancels another', async () => {
      const tools = await listAllTools(s, version);
      expect(tools.find((t) => t.name === 'long-running')?.execution?.taskSupport).toBe('optional');
      expect(s.client.getServerCapabilities()?.tasks?.requests?.tools?.call).toBeDefined();

      let mark = s.transcript.mark();
      const messages = [];
      for await (const m of s.client.experimental.tasks.callToolStream({ name: 'long-running', arguments: { steps: 3, stepMs: 10 } }, CallToolResultSchema, {
        ...REQUEST,
        task: { ttl: 60_000 },
      })) {
        messages.push(m);
      }
      const created = messages[0];
      expect(created?.type).toBe('taskCreated');
      if (created?.type !== 'taskCreated') throw new Error('no task was created');
      const taskId = created.task.taskId;
      expectSchema(version, 'CreateTaskResult', s.transcript.responseTo('tools/call', mark).result);
      const last = messages.at(-1);
      expect(last?.type, JSON.stringify(last)).toBe('result');
      if (last?.type !== 'result') throw new Error('the task gave no result');
      const result = last.result as CallToolResult;
      expect(result.structuredContent).toEqual({ steps: 3, completed: 3 });
      expect(result._meta?.[RELATED_TASK]).toEqual({ taskId });
      expectSchema(version, 'GetTaskPayloadResult', s.transcript.responseTo('tasks/result', mark).result);
      const finished = await s.client.experimental.tasks.getTask(taskId, REQUEST);
      expect(finished.status).toBe('completed');
      expectSchema(version, 'GetTaskResult', s.transcript.responseTo('tasks/get', mark).result);
      const status = await s.transcript.waitFor(
        (e) => e.direction === 'received' && e.message.method === 'notifications/tasks/status' && e.message.params?.taskId === taskId && e.message.params.status === 'completed',
        'notifications/tasks/status completed',
        mark,
      );
      expectSchema(version, 'TaskStatusNotification', status.message);

      mark = s.transcript.mark();
      const second = await s.client.request(
        { method: 'tools/call', params: { name: 'long-running', arguments: { steps: 100, stepMs: 200 } } },
        CreateTaskResultSchema,
        { ...REQUEST, task: { ttl: 60_000 } },
      );
      expect(second.task.status).toBe('working');
      const cancelledId = second.task.taskId;
      expect(cancelledId).not.toBe(taskId);
      const cancelResult = await s.client.experimental.tasks.cancelTask(cancelledId, REQUEST);
      expect(cancelResult.status).toBe('cancelled');
      expectSchema(version, 'CancelTaskResult', s.transcript.responseTo('tasks/cancel', mark).result);
      expect((await s.client.experimental.tasks.getTask(cancelledId, REQUEST)).status).toBe('cancelled');

      const again = await s.client.experimental.tasks.cancelTask(cancelledId, REQUEST).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(again).toBeInstanceOf(McpError);
      expect((again as McpError).code).toBe(-32602);

      mark = s.transcript.mark();
      const listed = await s.client.experimental.tasks.listTasks(undefined, REQUEST);
      expectSchema(version, 'ListTasksResult', s.transcript.responseTo('tasks/list', mark).result);
      const byId = new Map(listed.tasks.map((t) => [t.taskId, t.status]));
      expect(byId.get(taskId)).toBe('completed');
      expect(byId.get(cancelledId)).toBe('cancelled');
    });
  }
});

describe('an SDK client that declares no sampling, elicitation or roots', () => {
  const ASKING_TOOLS: Record<Version, string[]> = {
    '2024-11-05': ['sample', 'list-roots'],
    '2025-03-26': ['sample', 'list-roots'],
    '2025-06-18': ['sample', 'list-roots', 'elicit-form'],
    '2025-11-25': ['sample', 'list-roots', 'elicit-form', 'elicit-url'],
  };
  const CALLBACK_METHODS = ['sampling/createMessage', 'elicitation/create', 'roots/list'];
  const CASES: [SdkTransportKind, Version][] = [
    ['http', '2025-11-25'],
    ['sse', '2024-11-05'],
  ];

  it.each(CASES)('over %s at %s gets tool errors and no requests from the server', async (kind, version) => {
    const s = await open(kind, version, {});
    try {
      const tools = await listAllTools(s, version);
      for (const name of ASKING_TOOLS[version]) {
        const tool = tools.find((t) => t.name === name);
        expect(tool, name).toBeDefined();
        const result = await call(s, version, name, valueFor(tool!.inputSchema) as JsonRecord);
        expect(result.isError, `${name}: ${textOf(result)}`).toBe(true);
        expect(textOf(result)).not.toBe('');
      }
      // A request would have come before the tool's result; none came at all.
      const asked = s.transcript.received().filter((m) => m.id !== undefined && CALLBACK_METHODS.includes(m.method ?? ''));
      expect(asked).toEqual([]);
    } finally {
      await shut(s);
    }
  });

  it('with elicitation {} at 2025-11-25 gets form elicitation only (an empty object means form)', async () => {
    const s = await open('http', '2025-11-25', { elicitation: {} });
    try {
      const form = await call(s, '2025-11-25', 'elicit-form', {});
      expect(form.isError, textOf(form)).not.toBe(true);
      expect(s.transcript.receivedMethod('elicitation/create')).toHaveLength(1);
      const url = await call(s, '2025-11-25', 'elicit-url', { url: CANNED.url });
      expect(url.isError).toBe(true);
      expect(s.transcript.receivedMethod('elicitation/create')).toHaveLength(1);
    } finally {
      await shut(s);
    }
  });
});
