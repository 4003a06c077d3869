/**
 * The official SDK client (@modelcontextprotocol/sdk) wired for interop tests against the
 * reference server: its three transports, a forced protocol version, a transcript of every
 * message both ways, canned answers to the server's requests, and values generated from the
 * simple JSON Schemas that tools and elicitation forms use.
 */
import type { Stream } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  ListRootsRequestSchema,
  type ClientCapabilities,
  type CreateMessageResult,
  type ElicitResult,
  type JSONRPCMessage,
  type ListRootsResult,
} from '@modelcontextprotocol/sdk/types.js';
import { CLI } from './serve.js';

export type SdkTransportKind = 'stdio' | 'http' | 'sse';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonRecord = { [key: string]: Json };

/** A JSON-RPC message as it crossed the wire, seen as plain data. */
export interface WireMessage {
  jsonrpc: '2.0';
  id?: string | number;
  method?: string;
  params?: JsonRecord;
  result?: JsonRecord;
  error?: { code: number; message: string; data?: Json };
}

export interface WireEntry {
  direction: 'sent' | 'received';
  message: WireMessage;
}

function asWire(message: JSONRPCMessage): WireMessage {
  // The SDK's message type is a zod-inferred union; the tests only read it as JSON.
  return message as unknown as WireMessage;
}

interface Waiter {
  predicate: (entry: WireEntry) => boolean;
  resolve: (entry: WireEntry) => void;
}

/** Every message between the SDK client and the server, in the order the client saw them. */
export class Transcript {
  readonly entries: WireEntry[] = [];
  readonly #waiters = new Set<Waiter>();

  record(direction: WireEntry['direction'], message: JSONRPCMessage): void {
    const entry: WireEntry = { direction, message: asWire(message) };
    this.entries.push(entry);
    for (const w of [...this.#waiters]) {
      if (w.predicate(entry)) {
        this.#waiters.delete(w);
        w.resolve(entry);
      }
    }
  }

  /** A position to search from, so that a later wait ignores what came before. */
  mark(): number {
    return this.entries.length;
  }

  /** Messages the client received since `from`. */
  received(from = 0): WireMessage[] {
    return this.entries.slice(from).filter((e) => e.direction === 'received').map((e) => e.message);
  }

  sent(from = 0): WireMessage[] {
    return this.entries.slice(from).filter((e) => e.direction === 'sent').map((e) => e.message);
  }

  /** Server→client requests and notifications with that method since `from`. */
  receivedMethod(method: string, from = 0): WireMessage[] {
    return this.received(from).filter((m) => m.method === method);
  }

  /**
   * The raw result (or error) the server gave to the first client `method` request sent after
   * `from` whose params `matches`: the wire form, before the SDK parses it. Throws if there is none.
   */
  responseTo(method: string, from = 0, matches: (params: JsonRecord) => boolean = () => true): WireMessage {
    const request = this.sent(from).find((m) => m.method === method && m.id !== undefined && matches(m.params ?? {}));
    if (request === undefined) throw new Error(`no matching ${method} request was sent after entry ${from}`);
    const response = this.received(from).find((m) => m.method === undefined && m.id === request.id);
    if (response === undefined) throw new Error(`no response to ${method} (id ${String(request.id)}) was received`);
    return response;
  }

  /** Resolves with the first entry since `from` that matches; rejects after `timeoutMs`. */
  waitFor(predicate: (entry: WireEntry) => boolean, what: string, from: number, timeoutMs = 10_000): Promise<WireEntry> {
    const seen = this.entries.slice(from).find(predicate);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise<WireEntry>((resolve, reject) => {
      const waiter: Waiter = {
        predicate,
        resolve: (entry) => {
          clearTimeout(timer);
          resolve(entry);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      this.#waiters.add(waiter);
    });
  }

  /** Waits for a server→client notification or request with that method since `from`. */
  waitForMethod(method: string, from: number, timeoutMs = 10_000): Promise<WireMessage> {
    return this.waitFor((e) => e.direction === 'received' && e.message.method === method, method, from, timeoutMs).then((e) => e.message);
  }
}

/** What the canned handlers answer, so tests can look for it in tool results. */
export const CANNED = {
  model: 'mcpcert-sdk-canned-model',
  reply: 'Canned reply from the official SDK client.',
  roots: [
    { uri: 'file:///tmp/mcpcert-sdk-client/project', name: 'sdk-project' },
    { uri: 'file:///tmp/mcpcert-sdk-client/other' },
  ],
  text: 'mcpcert sdk-client',
  email: 'sdk-client@example.com',
  url: 'https://example.com/mcpcert/sdk-client',
} as const;

function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function firstConst(branches: unknown): Json | undefined {
  if (!Array.isArray(branches)) return undefined;
  for (const b of branches) if (isRecord(b) && 'const' in b) return b.const;
  return undefined;
}

function stringFor(schema: JsonRecord): string {
  let text: string;
  if (schema.format === 'email') text = CANNED.email;
  else if (schema.format === 'uri' || schema.format === 'url') text = CANNED.url;
  else if (schema.format === 'date-time') text = '2025-01-02T03:04:05Z';
  else if (schema.format === 'date') text = '2025-01-02';
  else text = CANNED.text;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity;
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  if (text.length > max) text = text.slice(0, max);
  if (text.length < min) text = text.padEnd(min, 'x');
  return text;
}

function numberFor(schema: JsonRecord): number {
  if (typeof schema.minimum === 'number') return schema.type === 'integer' ? Math.ceil(schema.minimum) : schema.minimum;
  if (typeof schema.default === 'number') return schema.default;
  const min = typeof schema.minimum === 'number' ? schema.minimum : typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum + 1 : undefined;
  const max = typeof schema.maximum === 'number' ? schema.maximum : typeof schema.exclusiveMaximum === 'number' ? schema.exclusiveMaximum - 1 : undefined;
  let n = min ?? 2;
  if (max !== undefined && n > max) n = max;
  return schema.type === 'integer' ? Math.ceil(n) : n;
}

/**
 * A value valid for a simple schema: the kinds tools and elicitation forms use (primitives,
 * enums, `const` branches, arrays and flat objects with every property filled). A `default`,
 * then an example, is preferred, as a person or a model would start from those; a bounded
 * number takes its minimum instead, which keeps tools that count steps or tokens short.
 */
export function valueFor(schema: unknown): Json {
  if (!isRecord(schema)) return CANNED.text;
  if ('const' in schema) return schema.const;
  if ((schema.type === 'number' || schema.type === 'integer') && (typeof schema.minimum === 'number' || typeof schema.default === 'number')) return numberFor(schema);
  if ('default' in schema) return schema.default;
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0]!;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0]!;
  const branch = firstConst(schema.oneOf) ?? firstConst(schema.anyOf);
  if (branch !== undefined) return branch;
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string':
      return stringFor(schema);
    case 'integer':
    case 'number':
      return numberFor(schema);
    case 'boolean':
      return true;
    case 'null':
      return null;
    case 'array': {
      const count = typeof schema.minItems === 'number' ? Math.max(1, schema.minItems) : 1;
      const pool = isRecord(schema.items) ? optionsOf(schema.items) : [];
      return Array.from({ length: count }, (_, i) => (pool.length > 0 ? pool[i % pool.length]! : valueFor(schema.items)));
    }
    default: {
      if (Array.isArray(schema.anyOf) && schema.anyOf.length > 0) return valueFor(schema.anyOf[0]);
      if (Array.isArray(schema.oneOf) && schema.oneOf.length > 0) return valueFor(schema.oneOf[0]);
      const out: JsonRecord = {};
      const props = isRecord(schema.properties) ? schema.properties : {};
      for (const [name, sub] of Object.entries(props)) out[name] = valueFor(sub);
      return out;
    }
  }
}

/** The finite choices a schema allows (enum values or `const` branches), or none. */
function optionsOf(schema: JsonRecord): Json[] {
  if (Array.isArray(schema.enum)) return schema.enum;
  for (const key of ['oneOf', 'anyOf'] as const) {
    const branches = schema[key];
    if (Array.isArray(branches) && branches.every((b) => isRecord(b) && 'const' in b)) return branches.map((b) => (b as JsonRecord).const!);
  }
  return [];
}

/**
 * Argument objects for a tool: the generated base, plus one variant per other choice of each
 * top-level enum property, so every `kind` or `level` a tool offers is exercised once.
 */
export function argumentVariants(inputSchema: unknown): JsonRecord[] {
  const base = valueFor(inputSchema);
  const baseArgs: JsonRecord = isRecord(base) ? base : {};
  const variants: JsonRecord[] = [baseArgs];
  const props = isRecord(inputSchema) && isRecord(inputSchema.properties) ? inputSchema.properties : {};
  for (const [name, sub] of Object.entries(props)) {
    if (!isRecord(sub)) continue;
    for (const option of optionsOf(sub)) {
      if (JSON.stringify(option) !== JSON.stringify(baseArgs[name])) variants.push({ ...baseArgs, [name]: option });
    }
  }
  return variants;
}

/** What a canned handler was asked, for assertions on the server's side of the exchange. */
export interface CallbackLog {
  sampling: JsonRecord[];
  elicitation: JsonRecord[];
  roots: number;
}

/**
 * Registers canned handlers for the callbacks `capabilities` declares (and only those: the
 * SDK refuses a handler for an undeclared capability). Elicitation forms are filled from the
 * requested schema; URL elicitations are accepted.
 */
export function installCannedHandlers(client: Client, capabilities: ClientCapabilities): CallbackLog {
  const log: CallbackLog = { sampling: [], elicitation: [], roots: 0 };
  if (capabilities.sampling !== undefined) {
    client.setRequestHandler(CreateMessageRequestSchema, (request): CreateMessageResult => {
      log.sampling.push(request.params as unknown as JsonRecord);
      return { role: 'assistant', content: { type: 'text', text: CANNED.reply }, model: CANNED.model, stopReason: 'endTurn' };
    });
  }
  if (capabilities.elicitation !== undefined) {
    client.setRequestHandler(ElicitRequestSchema, (request): ElicitResult => {
      const params = request.params as unknown as JsonRecord;
      log.elicitation.push(params);
      if (params.mode === 'url') return { action: 'accept' };
      const content = valueFor(params.requestedSchema);
      return { action: 'accept', content: content as ElicitResult['content'] };
    });
  }
  if (capabilities.roots !== undefined) {
    client.setRequestHandler(ListRootsRequestSchema, (): ListRootsResult => {
      log.roots += 1;
      return { roots: CANNED.roots.map((r) => ({ ...r })) };
    });
  }
  return log;
}

/** The capabilities a full-featured client of that version declares. */
export function fullCapabilities(version: string): ClientCapabilities {
  const caps: ClientCapabilities = { sampling: {}, roots: { listChanged: true } };
  if (version >= '2025-11-25') caps.elicitation = { form: {}, url: {} };
  else if (version >= '2025-06-18') caps.elicitation = {};
  return caps;
}

/**
 * Makes the SDK client offer `version` in its initialize request. SDK 1.32.2 always offers its
 * latest version and has no option for another, so the outgoing message is rewritten here;
 * every message is also recorded, both ways, before the SDK handles it.
 */
export function instrument<T extends Transport>(transport: T, version: string, transcript: Transcript): T {
  const send = transport.send.bind(transport);
  transport.send = (message, options) => {
    let outgoing = message;
    const wire = asWire(message);
    if (wire.method === 'initialize' && wire.params !== undefined) {
      outgoing = { ...wire, params: { ...wire.params, protocolVersion: version } } as unknown as JSONRPCMessage;
    }
    transcript.record('sent', outgoing);
    return send(outgoing, options);
  };
  // Protocol.connect keeps a callback that is already set and calls it before its own.
  transport.onmessage = (message) => transcript.record('received', message);
  return transport;
}

export interface SdkSession {
  readonly client: Client;
  readonly transport: Transport;
  readonly transcript: Transcript;
  readonly callbacks: CallbackLog;
  /** The raw InitializeResult the server sent. */
  readonly initializeResult: JsonRecord;
  /** What the stdio server wrote on stderr (empty for network transports). */
  stderr(): string;
  close(): Promise<void>;
}

export interface SdkConnectOptions {
  kind: SdkTransportKind;
  /** `http://…/mcp` or `sse+http://…/sse` from `mcpcert serve`; unused for stdio. */
  target?: string;
  version: string;
  capabilities: ClientCapabilities;
  timeoutMs?: number;
}

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

function transportFor(options: SdkConnectOptions): { transport: Transport; stderr: () => string } {
  if (options.kind === 'stdio') {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: ['--import', 'tsx', CLI, 'serve', '--transport', 'stdio'],
      cwd: REPO_ROOT,
      stderr: 'pipe',
    });
    let stderr = '';
    const stream: Stream | null = transport.stderr;
    stream?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    return { transport, stderr: () => stderr };
  }
  if (options.target === undefined) throw new Error(`a ${options.kind} session needs a target URL`);
  if (options.kind === 'http') return { transport: new StreamableHTTPClientTransport(new URL(options.target)), stderr: () => '' };
  return { transport: new SSEClientTransport(new URL(options.target.replace(/^sse\+/, ''))), stderr: () => '' };
}

/** Connects an SDK client that offers `version` and answers the callbacks it declares. */
export async function connectSdk(options: SdkConnectOptions): Promise<SdkSession> {
  const transcript = new Transcript();
  const { transport, stderr } = transportFor(options);
  instrument(transport, options.version, transcript);
  const client = new Client({ name: 'mcpcert-sdk-interop', version: '1.0.0' }, { capabilities: options.capabilities });
  const callbacks = installCannedHandlers(client, options.capabilities);
  const timeoutMs = options.timeoutMs ?? 20_000;
  try {
    await client.connect(transport, { timeout: timeoutMs });
  } catch (err) {
    await client.close().catch(() => undefined);
    throw new Error(`the SDK client could not connect over ${options.kind} offering ${options.version}: ${err instanceof Error ? err.message : String(err)}; stderr: ${stderr()}`);
  }
  const response = transcript.responseTo('initialize');
  if (response.result === undefined) throw new Error(`initialize failed: ${JSON.stringify(response.error)}`);
  let closed = false;
  return {
    client,
    transport,
    transcript,
    callbacks,
    initializeResult: response.result,
    stderr,
    async close() {
      if (closed) return;
      closed = true;
      await client.close();
    },
  };
}
