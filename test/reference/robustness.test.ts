/**
 * Robustness of the reference server under hostile input, on every transport: 10,000 generated
 * malformed or hostile inputs on an initialized session and 1,000 before initialize, each held
 * to the answer the spec demands (test/helpers/hostile-inputs.ts says which, and where the
 * spec is silent, which choice of the engine it pins). Then ping still answers, a fresh
 * connection still initializes, and the server process is still running. Oversized messages,
 * HTTP header faults and duplicate in-flight ids are checked apart.
 *
 * The servers are `mcpcert serve` child processes (one per transport, so a crash on one does
 * not hide the others); duplicate ids need a slow request, so those run against an in-process
 * server (and a stdio child) that has one.
 *
 * Replay: MCPCERT_SEED=<seed> npx vitest run test/reference/robustness.test.ts
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { request as httpGet, type ClientRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Writable } from 'node:stream';
import fc from 'fast-check';
import { Pool } from 'undici';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReferenceServer } from '../../reference/server.js';
import { listenAll, NETWORK_TRANSPORTS } from '../../reference/serve.js';
import type { ProtocolVersion } from '../../spec/versions.js';
import { SseReader } from '../../transport/framing/sse.js';
import type { Listener } from '../../transport/connection.js';
import type { JsonObject, RequestId } from '../../transport/jsonrpc.js';
import {
  batchReplies,
  headerFault,
  INVALID_PARAMS,
  INVALID_REQUEST,
  oversizedInputs,
  PARSE_ERROR,
  preview,
  sampleHostile,
  SLOW_TOOL,
  slowTool,
  type HostileInput,
} from '../helpers/hostile-inputs.js';
import { CLI, startServe, type Served } from '../helpers/serve.js';
import { within } from '../helpers/transport-suite.js';

const SEED = Number(process.env.MCPCERT_SEED ?? 20260822);
const REPLAY = `seed ${SEED} (replay: MCPCERT_SEED=${SEED} npx vitest run test/reference/robustness.test.ts)`;
const FLOOD = 10_000;
const EARLY = 1_000;
/** Inputs written at once on a stream; well under the engine's 256 requests in flight per session. */
const ROUND = 100;
const ROUND_TIMEOUT_MS = 15_000;
const HTTP_CONCURRENCY = 16;
const LIMIT_BYTES = 4 * 1024 * 1024;
const SSE_VERSION: ProtocolVersion = '2024-11-05';
const VERSION: ProtocolVersion = '2025-11-25';

type StreamKind = 'stdio' | 'tcp' | 'ws' | 'sse';

// ---- small helpers --------------------------------------------------------------------------

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** 1 and "1" are different ids; -0 and 0 are the same JSON value. */
function idKey(id: unknown): string {
  return typeof id === 'string' ? `s:${id}` : `n:${JSON.stringify(id)}`;
}

function clipJson(value: unknown, max = 200): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function frame(value: JsonObject): HostileInput {
  return { label: 'control', bytes: Buffer.from(JSON.stringify(value)), utf8: true, expect: { kind: 'silent' } };
}

function initializeFrame(id: string, version: ProtocolVersion): HostileInput {
  return frame({ jsonrpc: '2.0', id, method: 'initialize', params: { protocolVersion: version, capabilities: {}, clientInfo: { name: 'robustness', version: '1' } } });
}

/** Runs `fn` over `items`, `limit` at a time; the first error stops the rest and is thrown. */
async function mapLimit<T>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      try {
        await fn(items[index]!, index);
      } catch (err) {
        next = items.length;
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

function writeAll(stream: Writable, chunk: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(chunk, (err) => (err ? reject(err) : resolve()));
  });
}

/** What went wrong, grouped by input family so that 300 failures of one kind read as one line. */
class Failures {
  readonly #byFamily = new Map<string, { count: number; first: string }>();

  add(input: HostileInput | undefined, detail: string): void {
    const family = input === undefined ? detail.slice(0, detail.indexOf(':')) : familyOf(input.label);
    const entry = this.#byFamily.get(family);
    if (entry) entry.count++;
    else this.#byFamily.set(family, { count: 1, first: input === undefined ? detail : `${detail}\n      input ${preview(input)}` });
  }

  get total(): number {
    let n = 0;
    for (const { count } of this.#byFamily.values()) n += count;
    return n;
  }

  lines(): string[] {
    return [...this.#byFamily].map(([family, { count, first }]) => `${family} (×${count}): ${first}`);
  }
}

/** `invalid-params (name not a string) tools/call id=small` → `invalid-params (name not a string)`. */
function familyOf(label: string): string {
  if (label.startsWith('deep ')) return label.replace(/ depth=\d+$/, '');
  return /^[a-z0-9-]+(?: \([^)]*\))?/.exec(label)?.[0] ?? label;
}

function expectNoFailures(failures: Failures, what: string): void {
  expect(failures.lines(), `${what}: ${failures.total} inputs answered wrongly; ${REPLAY}`).toEqual([]);
}

// ---- what the server sends back, on any stream ----------------------------------------------

type Listen = (message: unknown) => void;

/** Parsed messages from the server, and the moment the link died. */
class Inbox {
  readonly #listeners = new Set<Listen>();
  readonly #mourners = new Set<(why: string) => void>();
  /** Frames that were not JSON: a server MUST write nothing but MCP messages. */
  readonly garbage: string[] = [];
  death: string | undefined;

  push(text: string): void {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      this.garbage.push(text.slice(0, 200));
      return;
    }
    for (const listener of [...this.#listeners]) listener(value);
  }

  die(why: string): void {
    if (this.death !== undefined) return;
    this.death = why;
    for (const mourner of [...this.#mourners]) mourner(why);
  }

  listen(listener: Listen, onDeath: (why: string) => void): () => void {
    this.#listeners.add(listener);
    this.#mourners.add(onDeath);
    if (this.death !== undefined) {
      const why = this.death;
      queueMicrotask(() => onDeath(why));
    }
    return () => {
      this.#listeners.delete(listener);
      this.#mourners.delete(onDeath);
    };
  }

  /** The first message `pick` accepts. */
  next<T>(pick: (message: unknown) => T | undefined, ms: number, what: string): Promise<T> {
    let stop = (): void => undefined;
    const found = new Promise<T>((resolve, reject) => {
      stop = this.listen(
        (message) => {
          const value = pick(message);
          if (value !== undefined) resolve(value);
        },
        (why) => reject(new Error(`${what}: the link died: ${why}`)),
      );
    });
    const bounded = within(found, ms, what).finally(() => stop());
    // Callers often start waiting before they send; a send that fails must not leave this unhandled.
    bounded.catch(() => undefined);
    return bounded;
  }

  reply(id: RequestId, ms = 10_000): Promise<Record<string, unknown>> {
    return this.next((m) => (isObject(m) && !('method' in m) && 'id' in m && idKey(m.id) === idKey(id) ? m : undefined), ms, `the reply to ${JSON.stringify(id)}`);
  }
}

function lineSplitter(inbox: Inbox): (chunk: Buffer) => void {
  let rest = Buffer.alloc(0);
  return (chunk) => {
    let buffer = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
    for (let nl = buffer.indexOf(0x0a); nl !== -1; nl = buffer.indexOf(0x0a)) {
      inbox.push(buffer.subarray(0, nl).toString('utf8'));
      buffer = buffer.subarray(nl + 1);
    }
    rest = Buffer.from(buffer);
  };
}

interface PostAnswer {
  status: number;
  contentType: string;
  sessionId: string | undefined;
  body: string;
  /** Set when no HTTP answer came (a reset, a timeout). */
  failure?: string;
}

/** A raw client: frames out exactly as given, parsed messages in. */
interface StreamLink {
  readonly transport: StreamKind;
  readonly inbox: Inbox;
  /** Sends frames in order; on SSE each is a POST and its answer is returned. */
  send(frames: readonly HostileInput[]): Promise<Array<PostAnswer | undefined>>;
  close(): Promise<void>;
}

const NL = Buffer.from('\n');

function ndjsonBytes(frames: readonly HostileInput[]): Buffer {
  return Buffer.concat(frames.flatMap((f) => [f.bytes, NL]));
}

class StdioLink implements StreamLink {
  readonly transport = 'stdio' as const;
  readonly inbox = new Inbox();
  readonly child: ChildProcessWithoutNullStreams;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr = '';

  constructor(args: string[]) {
    this.child = spawn(process.execPath, ['--import', 'tsx', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (d: string) => (this.stderr += d));
    this.child.stdout.on('data', lineSplitter(this.inbox));
    // After a crash the pipe breaks; the exit below is what reports it.
    this.child.stdin.on('error', () => undefined);
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => {
        this.inbox.die(`the stdio server exited (code ${String(code)}, signal ${String(signal)}); stderr: ${this.stderr.slice(-1500)}`);
        resolve({ code, signal });
      }),
    );
  }

  async send(frames: readonly HostileInput[]): Promise<undefined[]> {
    await writeAll(this.child.stdin, ndjsonBytes(frames));
    return [];
  }

  /** Closes stdin, the spec's way to end a stdio session, and waits for the exit (bounded). */
  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await this.exited;
    clearTimeout(timer);
  }
}

class TcpLink implements StreamLink {
  readonly transport = 'tcp' as const;
  readonly inbox = new Inbox();
  readonly #socket: Socket;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('data', lineSplitter(this.inbox));
    socket.on('error', () => undefined);
    socket.on('close', () => this.inbox.die('the server closed the TCP connection'));
  }

  static async open(target: string): Promise<TcpLink> {
    const url = new URL(target);
    const socket = connect({ host: url.hostname, port: Number(url.port) });
    await within(new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject)), 5000, `connecting to ${target}`);
    return new TcpLink(socket);
  }

  async send(frames: readonly HostileInput[]): Promise<undefined[]> {
    await writeAll(this.#socket, ndjsonBytes(frames));
    return [];
  }

  async close(): Promise<void> {
    if (this.#socket.destroyed) return;
    const closed = new Promise((resolve) => this.#socket.once('close', resolve));
    this.#socket.end();
    const timer = setTimeout(() => this.#socket.destroy(), 2000);
    await closed;
    clearTimeout(timer);
  }
}

class WsLink implements StreamLink {
  readonly transport = 'ws' as const;
  readonly inbox = new Inbox();
  readonly socket: WebSocket;
  readonly closed: Promise<number>;

  private constructor(socket: WebSocket) {
    this.socket = socket;
    socket.on('message', (data: Buffer) => this.inbox.push(data.toString('utf8')));
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) =>
      socket.once('close', (code) => {
        this.inbox.die(`the WebSocket closed with code ${code}`);
        resolve(code);
      }),
    );
  }

  static async open(target: string): Promise<WsLink> {
    const socket = new WebSocket(target, 'mcp', { maxPayload: 64 * 1024 * 1024 });
    const link = new WsLink(socket);
    await within(new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject)), 5000, `connecting to ${target}`);
    return link;
  }

  /** Bytes that are not UTF-8 go as binary frames: a text frame could not carry them (RFC 6455 §5.6). */
  async send(frames: readonly HostileInput[]): Promise<undefined[]> {
    await Promise.all(frames.map((f) => new Promise<void>((resolve, reject) => this.socket.send(f.bytes, { binary: !f.utf8 }, (err) => (err ? reject(err) : resolve())))));
    return [];
  }

  async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    this.socket.close(1000);
    const timer = setTimeout(() => this.socket.terminate(), 2000);
    await this.closed;
    clearTimeout(timer);
  }
}

/** The legacy HTTP+SSE client: one GET stream in, one POST per frame out. */
class SseLink implements StreamLink {
  readonly transport = 'sse' as const;
  readonly inbox = new Inbox();
  readonly pool: Pool;
  endpoint = '';
  readonly #get: ClientRequest;
  readonly #announced: Promise<string>;

  private constructor(target: string) {
    const url = new URL(target.replace(/^sse\+/, ''));
    this.pool = new Pool(url.origin, { connections: HTTP_CONCURRENCY });
    const reader = new SseReader(64 * 1024 * 1024);
    let announce: (path: string) => void = () => undefined;
    this.#announced = new Promise<string>((resolve) => (announce = resolve));
    this.#get = httpGet(url, { headers: { accept: 'text/event-stream' } }, (res) => {
      res.on('data', (chunk: Buffer) => {
        for (const item of reader.push(chunk)) {
          if (item.type !== 'event') continue;
          if (item.event.event === 'endpoint') announce(item.event.data);
          else this.inbox.push(item.event.data);
        }
      });
      res.on('close', () => this.inbox.die('the server ended the SSE stream'));
    });
    this.#get.on('error', (err) => this.inbox.die(`the SSE GET failed: ${err.message}`));
    this.#get.end();
  }

  static async open(target: string): Promise<SseLink> {
    const link = new SseLink(target);
    link.endpoint = await within(link.#announced, 5000, `the endpoint event of ${target}`);
    return link;
  }

  async send(frames: readonly HostileInput[]): Promise<Array<PostAnswer | undefined>> {
    const answers: PostAnswer[] = [];
    await mapLimit(frames, HTTP_CONCURRENCY, async (f, i) => {
      answers[i] = await post(this.pool, this.endpoint, { 'content-type': 'application/json' }, f.bytes);
    });
    return answers;
  }

  async close(): Promise<void> {
    this.#get.destroy();
    await this.pool.close();
  }
}

async function post(pool: Pool, path: string, headers: Record<string, string>, body: Buffer, method: 'POST' | 'GET' | 'DELETE' | 'PUT' = 'POST'): Promise<PostAnswer> {
  try {
    const res = await pool.request({ path, method, headers, body: method === 'POST' || method === 'PUT' ? body : null, headersTimeout: 15_000, bodyTimeout: 15_000 });
    const text = await res.body.text();
    const sid = res.headers['mcp-session-id'];
    return { status: res.statusCode, contentType: String(res.headers['content-type'] ?? ''), sessionId: typeof sid === 'string' ? sid : undefined, body: text };
  } catch (err) {
    return { status: 0, contentType: '', sessionId: undefined, body: '', failure: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
  }
}

/** A POST nobody answered is a hang: stop there rather than wait out thousands more. */
function noHang(input: HostileInput, answer: PostAnswer): PostAnswer {
  if (answer.failure?.includes('Timeout')) throw new Error(`no HTTP answer within 15 s (a hang): ${answer.failure}\n  input ${preview(input)}\n  ${REPLAY}`);
  return answer;
}

function describeAnswer(a: PostAnswer): string {
  return a.failure ?? `HTTP ${a.status} ${a.contentType} ${JSON.stringify(a.body.slice(0, 200))}`;
}

/** The JSON-RPC messages in an HTTP answer body (JSON, or an SSE stream of them). */
function messagesIn(a: PostAnswer): unknown[] | string {
  if (a.contentType.startsWith('text/event-stream')) {
    const reader = new SseReader(64 * 1024 * 1024);
    const out: unknown[] = [];
    try {
      for (const item of reader.push(Buffer.from(a.body))) {
        if (item.type === 'event' && item.event.data !== '') out.push(JSON.parse(item.event.data));
      }
    } catch {
      return `an SSE event that is not JSON: ${describeAnswer(a)}`;
    }
    return out;
  }
  try {
    // One payload: a message, or the array answering a batch.
    return [JSON.parse(a.body) as unknown];
  } catch {
    return `a body that is not JSON: ${describeAnswer(a)}`;
  }
}

// ---- judging replies ------------------------------------------------------------------------

type Check = { code: number } | 'result';

function verify(reply: Record<string, unknown>, check: Check): string | undefined {
  if (reply.jsonrpc !== '2.0') return `a reply without "jsonrpc":"2.0": ${clipJson(reply)}`;
  if (check === 'result') return isObject(reply.result) && !('error' in reply) ? undefined : `expected a result, got ${clipJson(reply)}`;
  const error = reply.error;
  if (!isObject(error) || 'result' in reply) return `expected error ${check.code}, got ${clipJson(reply)}`;
  if (error.code !== check.code) return `expected error ${check.code}, got ${String(error.code)} (${String(error.message).slice(0, 160)})`;
  if (typeof error.message !== 'string') return `error.message is not a string: ${clipJson(reply)}`;
  return undefined;
}

/** An error with this code and id (null: absent or null, as 2025-11-25 allows). */
function verifyError(reply: unknown, code: number, id: RequestId | null): string | undefined {
  if (!isObject(reply)) return `expected one error object, got ${clipJson(reply)}`;
  const problem = verify(reply, { code });
  if (problem) return problem;
  const gotId = reply.id ?? null;
  if (id === null ? gotId !== null : gotId === null || idKey(gotId) !== idKey(id)) return `expected id ${JSON.stringify(id)}, got ${clipJson(reply.id)}`;
  return undefined;
}

/** What a stream carries back for one input: replies by id, and id-less errors by code. */
function onStream(transport: StreamKind, input: HostileInput): { byId: Array<[RequestId, Check]>; idless: number[] } {
  const none = { byId: [], idless: [] };
  const e = input.expect;
  switch (e.kind) {
    case 'frame-error':
      // Legacy SSE answers an unusable POST body with the HTTP response itself.
      if (transport === 'sse') return none;
      // Not UTF-8, so sent as a binary frame: the engine refuses those with -32600.
      if (transport === 'ws' && !input.utf8) return { byId: [], idless: [INVALID_REQUEST] };
      return e.id === null ? { byId: [], idless: [e.code] } : { byId: [[e.id, { code: e.code }]], idless: [] };
    case 'blank':
      // Newline framings skip empty lines; a WebSocket frame of whitespace is a parse error.
      return transport === 'ws' ? { byId: [], idless: [PARSE_ERROR] } : none;
    case 'error':
      return { byId: [[e.id, { code: e.code }]], idless: [] };
    case 'result':
      return { byId: [[e.id, 'result']], idless: [] };
    case 'silent':
      return none;
    case 'batch': {
      const replies = batchReplies(e);
      return {
        byId: replies.filter((id): id is RequestId => id !== null).map((id) => [id, { code: INVALID_REQUEST }]),
        idless: replies.filter((id) => id === null).map(() => INVALID_REQUEST),
      };
    }
  }
}

/** The POST answer legacy SSE gives: 400 with the JSON-RPC error for unusable bodies, else 202. */
function ssePostVerdict(input: HostileInput, answer: PostAnswer): string | undefined {
  const e = input.expect;
  if (e.kind === 'frame-error' || e.kind === 'blank') {
    if (answer.status !== 400) return `expected HTTP 400, got ${describeAnswer(answer)}`;
    const messages = messagesIn(answer);
    if (typeof messages === 'string') return messages;
    return verifyError(messages[0], e.kind === 'blank' ? PARSE_ERROR : e.code, e.kind === 'blank' ? null : e.id);
  }
  return answer.status === 202 ? undefined : `expected HTTP 202, got ${describeAnswer(answer)}`;
}

function multiset(codes: number[]): string {
  const counts = new Map<number, number>();
  for (const c of codes) counts.set(c, (counts.get(c) ?? 0) + 1);
  return [...counts].sort((a, b) => a[0] - b[0]).map(([c, n]) => `${c}×${n}`).join(' ');
}

/**
 * Writes a round of inputs and then a ping (the sentinel). Everything id-less the server says
 * about the round is written before the sentinel's reply (frames are judged in order, and
 * those answers need no work), so at that moment the id-less errors can be counted exactly;
 * replies with ids are matched one by one.
 */
async function runRound(link: StreamLink, round: readonly HostileInput[], sentinelId: string, failures: Failures): Promise<void> {
  const byId = new Map<string, { input: HostileInput; check: Check }>();
  const idless: Array<{ code: number; input: HostileInput }> = [];
  for (const input of round) {
    const share = onStream(link.transport, input);
    for (const [id, check] of share.byId) byId.set(idKey(id), { input, check });
    for (const code of share.idless) idless.push({ code, input });
  }
  const seenIdless: number[] = [];
  let atSentinel: number[] | undefined;
  let stop = (): void => undefined;
  const done = new Promise<void>((resolve, reject) => {
    stop = link.inbox.listen(
      (m) => {
        if (!isObject(m)) {
          failures.add(undefined, `the server sent something that is not a JSON-RPC object: ${clipJson(m)}`);
          return;
        }
        if ('method' in m) return; // the server's own notifications and requests
        if (!('id' in m) || m.id === null) seenIdless.push(isObject(m.error) ? Number(m.error.code) : NaN);
        else if (idKey(m.id) === idKey(sentinelId)) atSentinel = [...seenIdless];
        else {
          const entry = byId.get(idKey(m.id));
          if (!entry) failures.add(carrierOf(round, m.id), `a reply where none was due: ${clipJson(m)}`);
          else {
            byId.delete(idKey(m.id));
            const problem = verify(m, entry.check);
            if (problem) failures.add(entry.input, problem);
          }
        }
        if (atSentinel !== undefined && byId.size === 0) resolve();
      },
      (why) => reject(new Error(`${link.transport}: ${why}\n  while this round was in flight:\n${round.map((i) => `    ${preview(i)}`).join('\n')}\n  ${REPLAY}`)),
    );
  });
  // Awaited below; a death while sending must not surface as an unhandled rejection first.
  done.catch(() => undefined);
  try {
    const answers = await link.send(round);
    answers.forEach((answer, i) => {
      const problem = answer && ssePostVerdict(round[i]!, noHang(round[i]!, answer));
      if (problem) failures.add(round[i], problem);
    });
    await link.send([frame({ jsonrpc: '2.0', id: sentinelId, method: 'ping' })]);
    await within(done, ROUND_TIMEOUT_MS, 'a round').catch((err: unknown) => {
      if (link.inbox.death !== undefined) throw err;
      const missing = [...byId.values()].map(({ input }) => `    ${preview(input)}`);
      throw new Error(`${link.transport}: no answer within ${ROUND_TIMEOUT_MS} ms (a hang) to ${atSentinel === undefined ? 'the sentinel ping and ' : ''}${missing.length} inputs:\n${missing.join('\n')}\n  ${REPLAY}`);
    });
  } finally {
    stop();
  }
  const expected = idless.map((x) => x.code);
  const got = atSentinel ?? [];
  if (multiset(got) !== multiset(expected)) {
    // Name the inputs behind each code whose count is off (they cannot be told apart by id).
    const off = new Set([...expected, ...got].filter((c) => expected.filter((x) => x === c).length !== got.filter((x) => x === c).length));
    const suspects = idless.filter(({ code }) => off.has(code)).slice(0, 8).map(({ input, code }) => `${code} for ${preview(input, 80)}`);
    failures.add(undefined, `id-less errors of a round: expected ${multiset(expected) || 'none'}, got ${multiset(got) || 'none'}; among:\n      ${suspects.join('\n      ')}`);
  }
}

/** The input of a round whose text carries this id (to blame a reply nobody was due). */
function carrierOf(round: readonly HostileInput[], id: unknown): HostileInput | undefined {
  const token = JSON.stringify(id);
  const pattern = new RegExp(`"id":${token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![0-9])`);
  return round.find((i) => pattern.test(i.bytes.toString('utf8')));
}

async function floodStream(link: StreamLink, inputs: readonly HostileInput[], failures: Failures, tag: string): Promise<void> {
  for (let r = 0; r * ROUND < inputs.length; r++) await runRound(link, inputs.slice(r * ROUND, (r + 1) * ROUND), `#sentinel#${tag}#${r}`, failures);
}

async function initializeOn(link: StreamLink, version: ProtocolVersion, id: string): Promise<Record<string, unknown>> {
  const reply = link.inbox.reply(id);
  await link.send([initializeFrame(id, version)]);
  const got = await reply;
  expect(got.result, `initialize on ${link.transport}: ${clipJson(got)}`).toMatchObject({ protocolVersion: version });
  await link.send([frame({ jsonrpc: '2.0', method: 'notifications/initialized' })]);
  return got;
}

async function requestOn(link: StreamLink, id: string, method: string, params?: JsonObject): Promise<Record<string, unknown>> {
  const reply = link.inbox.reply(id);
  await link.send([frame(params === undefined ? { jsonrpc: '2.0', id, method } : { jsonrpc: '2.0', id, method, params })]);
  return reply;
}

// ---- the servers ----------------------------------------------------------------------------

const served = new Map<string, Served>();
let stdio: StdioLink;
/** Inputs are drawn once per (version, phase) and replayed on every transport of that version. */
const samples = new Map<string, HostileInput[]>();

function inputsFor(version: ProtocolVersion, phase: 'operating' | 'uninitialized'): HostileInput[] {
  const key = `${version}/${phase}`;
  let inputs = samples.get(key);
  if (!inputs) {
    inputs = sampleHostile({ version, phase, seed: SEED, count: phase === 'operating' ? FLOOD : EARLY, firstSerial: phase === 'operating' ? 1_000_000 : 1 });
    samples.set(key, inputs);
  }
  return inputs;
}

beforeAll(async () => {
  stdio = new StdioLink([CLI, 'serve', '--transport', 'stdio']);
  // One server per transport, started side by side; whatever did start is kept for afterAll.
  const started = await Promise.allSettled(NETWORK_TRANSPORTS.map(async (t) => served.set(t, await startServe(['--transport', t, '--port', '0'], 1))));
  const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}, 60_000);

afterAll(async () => {
  await stdio?.close();
  await Promise.all([...served.values()].map((s) => s.stop()));
});

function targetOf(t: string): string {
  const s = served.get(t);
  if (!s) throw new Error(`no ${t} server was started`);
  return s.targets[t]!;
}

async function openLink(kind: Exclude<StreamKind, 'stdio'>): Promise<StreamLink> {
  const target = targetOf(kind);
  if (kind === 'tcp') return TcpLink.open(target);
  if (kind === 'ws') return WsLink.open(target);
  return SseLink.open(target);
}

function alive(kind: StreamKind | 'http'): void {
  if (kind === 'stdio') expect(stdio.child.exitCode, `the stdio server exited; stderr: ${stdio.stderr.slice(-1500)}`).toBeNull();
  else expect(served.get(kind)!.child.exitCode, `the ${kind} server exited; stderr: ${served.get(kind)!.stderr().slice(-1500)}`).toBeNull();
}

// ---- stream transports ----------------------------------------------------------------------

function streamSuite(kind: StreamKind): void {
  const version = kind === 'sse' ? SSE_VERSION : VERSION;
  describe(`${kind}: hostile input (seed ${SEED})`, () => {
    let link: StreamLink;
    beforeAll(async () => {
      link = kind === 'stdio' ? stdio : await openLink(kind);
    });
    afterAll(async () => {
      if (kind !== 'stdio') await link?.close();
    });

    it(`answers ${EARLY} hostile inputs before initialize as the spec demands`, async () => {
      // stdio has one session per process: its early inputs go to the session the flood uses later.
      const early = kind === 'stdio' ? link : await openLink(kind);
      const failures = new Failures();
      try {
        await floodStream(early, inputsFor(version, 'uninitialized'), failures, 'early');
      } finally {
        if (early !== link) await early.close();
      }
      expect(early.inbox.garbage, 'frames that are not JSON').toEqual([]);
      expectNoFailures(failures, `${kind} before initialize`);
    });

    it(`answers ${FLOOD} hostile inputs on an initialized session as the spec demands`, async () => {
      await initializeOn(link, version, '#init');
      const failures = new Failures();
      await floodStream(link, inputsFor(version, 'operating'), failures, 'flood');
      expect(link.inbox.garbage, 'frames that are not JSON').toEqual([]);
      expectNoFailures(failures, `${kind} after initialize`);
    });

    it('refuses messages over 4 MiB and keeps serving', async () => {
      const failures = new Failures();
      if (kind === 'stdio' || kind === 'tcp') {
        // A line over the cap is answered -32600 (id null) and skipped; the stream stays usable.
        await runRound(link, oversizedInputs(LIMIT_BYTES), '#sentinel#oversized', failures);
      } else if (kind === 'ws') {
        // ws refuses a frame over maxPayload by closing with 1009 (RFC 6455 §7.4.1).
        for (const input of oversizedInputs(LIMIT_BYTES)) {
          const victim = (await openLink('ws')) as WsLink;
          await victim.send([input]).catch(() => undefined);
          const code = await within(victim.closed, 10_000, `the close after ${input.label}`);
          if (code !== 1009) failures.add(input, `expected close code 1009, got ${code}`);
        }
      } else {
        const inputs = oversizedInputs(LIMIT_BYTES);
        (await link.send(inputs)).forEach((answer, i) => {
          // 413, or the connection cut while the body was still arriving; never a 2xx.
          if (answer!.failure === undefined && answer!.status !== 413) failures.add(inputs[i], `expected HTTP 413, got ${describeAnswer(answer!)}`);
        });
      }
      expectNoFailures(failures, `${kind} oversized`);
      expect(await requestOn(link, '#after-oversized', 'ping')).toMatchObject({ result: {} });
    });

    it('still answers ping and tools/list, serves a fresh connection, and is still running', async () => {
      expect(await requestOn(link, '#after#ping', 'ping')).toMatchObject({ jsonrpc: '2.0', id: '#after#ping', result: {} });
      // The empty string is a valid id too; it must come back as it went.
      expect(await requestOn(link, '', 'ping')).toMatchObject({ id: '', result: {} });
      expect((await requestOn(link, '#after#list', 'tools/list')).result).toHaveProperty('tools');
      if (kind === 'stdio') {
        alive('stdio');
        // Closing stdin ends the session; a server that survived the flood exits cleanly.
        await stdio.close();
        expect(await stdio.exited, `stderr: ${stdio.stderr.slice(-1500)}`).toEqual({ code: 0, signal: null });
        return;
      }
      const fresh = await openLink(kind);
      try {
        await initializeOn(fresh, version, '#fresh#init');
        expect((await requestOn(fresh, '#fresh#list', 'tools/list')).result).toHaveProperty('tools');
      } finally {
        await fresh.close();
      }
      alive(kind);
    });
  });
}

for (const kind of ['stdio', 'tcp', 'ws', 'sse'] as const) streamSuite(kind);

describe('ws: transport-level faults', () => {
  it('fails the connection with 1007 on a text frame that is not UTF-8, and keeps serving others', async () => {
    const bad = inputsFor(VERSION, 'operating').filter((i) => !i.utf8).slice(0, 5);
    expect(bad.length).toBe(5);
    for (const input of bad) {
      const victim = (await openLink('ws')) as WsLink;
      // Sent as text on purpose: RFC 6455 §8.1 makes invalid UTF-8 in a text frame fatal.
      victim.socket.send(input.bytes, { binary: false });
      expect(await within(victim.closed, 5000, 'the close'), preview(input)).toBe(1007);
    }
    const fresh = await openLink('ws');
    await initializeOn(fresh, VERSION, '#utf8#init');
    await fresh.close();
    alive('ws');
  });

  it('refuses a foreign Origin (403) and a foreign subprotocol (400) at the upgrade', async () => {
    const target = targetOf('ws');
    const refusal = (options: { origin?: string; protocol: string }): Promise<number> =>
      within(
        new Promise<number>((resolve) => {
          const socket = new WebSocket(target, options.protocol, options.origin === undefined ? {} : { origin: options.origin });
          socket.on('unexpected-response', (_req, res) => {
            resolve(res.statusCode ?? 0);
            socket.terminate();
          });
          socket.on('open', () => {
            resolve(101);
            socket.terminate();
          });
          // No listener at all (the server died): fail now rather than at the timeout.
          socket.on('error', () => resolve(0));
        }),
        5000,
        'the upgrade answer',
      );
    expect(await refusal({ origin: 'https://evil.test', protocol: 'mcp' })).toBe(403);
    expect(await refusal({ protocol: 'graphql-ws' })).toBe(400);
    alive('ws');
  });
});

// ---- Streamable HTTP ------------------------------------------------------------------------

describe(`http: hostile input (seed ${SEED})`, () => {
  let pool: Pool;
  let path: string;
  let session: string;
  const accept = { accept: 'application/json, text/event-stream', 'content-type': 'application/json' };
  const sessionHeaders = (): Record<string, string> => ({ ...accept, 'mcp-session-id': session, 'mcp-protocol-version': VERSION });
  let getStream: ClientRequest | undefined;
  const onGetStream: unknown[] = [];

  beforeAll(async () => {
    const url = new URL(targetOf('http'));
    path = url.pathname;
    pool = new Pool(url.origin, { connections: HTTP_CONCURRENCY });
  });
  afterAll(async () => {
    getStream?.destroy();
    await pool?.close();
  });

  async function openSession(): Promise<string> {
    const answer = await post(pool, path, accept, initializeFrame('#http#init', VERSION).bytes);
    expect(answer.status, describeAnswer(answer)).toBe(200);
    expect(answer.sessionId).toBeDefined();
    const initialized = await post(pool, path, { ...accept, 'mcp-session-id': answer.sessionId!, 'mcp-protocol-version': VERSION }, frame({ jsonrpc: '2.0', method: 'notifications/initialized' }).bytes);
    expect(initialized.status, describeAnswer(initialized)).toBe(202);
    return answer.sessionId!;
  }

  it(`answers ${EARLY} hostile inputs without a session: 400 without a session id, 404 with an unknown one`, async () => {
    const failures = new Failures();
    await mapLimit(inputsFor(VERSION, 'uninitialized'), HTTP_CONCURRENCY, async (input, i) => {
      if (input.label.startsWith('initialize-broken')) {
        // A refused initialize opens nothing: a session id belongs on the response carrying
        // the InitializeResult (2025-11-25 "Session Management"), and a failed one holds no slot.
        const answer = noHang(input, await post(pool, path, accept, input.bytes));
        const messages = messagesIn(answer);
        const problem =
          answer.status !== 200 ? `expected HTTP 200, got ${describeAnswer(answer)}` : typeof messages === 'string' ? messages : answer.sessionId !== undefined ? `the refused initialize got session id ${answer.sessionId}` : verifyError(messages[0], INVALID_PARAMS, input.expect.kind === 'error' ? input.expect.id : null);
        if (problem) failures.add(input, problem);
        return;
      }
      const unknownSession = i % 2 === 1;
      const headers = unknownSession ? { ...accept, 'mcp-session-id': `unknown-${i}`, 'mcp-protocol-version': VERSION } : accept;
      const answer = noHang(input, await post(pool, path, headers, input.bytes));
      // The body is judged before the session: one with no usable message is a 400 either way.
      const e = input.expect;
      const unusable = e.kind === 'frame-error' || e.kind === 'blank' || (e.kind === 'batch' && e.members === 0);
      const status = unknownSession && !unusable ? 404 : 400;
      if (answer.status !== status) failures.add(input, `expected HTTP ${status}, got ${describeAnswer(answer)}`);
    });
    expectNoFailures(failures, 'http without a session');
  });

  it(`answers ${FLOOD} hostile inputs on an initialized session as the spec demands`, async () => {
    session = await openSession();
    // The GET stream is open during the flood: no response may go there (2025-11-25 "Listening").
    let getStatus: number | undefined;
    getStream = httpGet(new URL(targetOf('http')), { headers: { accept: 'text/event-stream', 'mcp-session-id': session, 'mcp-protocol-version': VERSION } }, (res) => {
      getStatus = res.statusCode;
      const reader = new SseReader();
      res.on('data', (chunk: Buffer) => {
        for (const item of reader.push(chunk)) if (item.type === 'event' && item.event.data !== '') onGetStream.push(JSON.parse(item.event.data));
      });
    });
    getStream.on('error', () => undefined);
    getStream.end();
    const failures = new Failures();
    await mapLimit(inputsFor(VERSION, 'operating'), HTTP_CONCURRENCY, async (input) => {
      const problem = httpVerdict(input, noHang(input, await post(pool, path, sessionHeaders(), input.bytes)));
      if (problem) failures.add(input, problem);
    });
    expectNoFailures(failures, 'http after initialize');
    expect(getStatus, 'the GET stream watched during the flood').toBe(200);
    expect(onGetStream.filter((m) => isObject(m) && !('method' in m)), 'responses on the GET stream').toEqual([]);
  });

  it('answers each bad header with its status: 406, 415, 403, 404, 400', async () => {
    const faults = fc.sample(headerFault(), { seed: SEED, numRuns: 300 });
    const failures = new Failures();
    await mapLimit(faults, HTTP_CONCURRENCY, async (fault, i) => {
      const headers: Record<string, string> = { ...sessionHeaders() };
      if (fault.value === null) delete headers[fault.name];
      else headers[fault.name] = fault.value;
      const answer = await post(pool, path, headers, frame({ jsonrpc: '2.0', id: `#header#${i}`, method: 'ping' }).bytes);
      const label = `header-${fault.label}: ${fault.value === null ? '(absent)' : JSON.stringify(fault.value)}`;
      const input: HostileInput = { label, bytes: Buffer.alloc(0), utf8: true, expect: { kind: 'silent' } };
      if (answer.status !== fault.status) failures.add(input, `expected HTTP ${fault.status}, got ${describeAnswer(answer)}`);
      else if (answer.body !== '') {
        // The body MAY be a JSON-RPC error without an id.
        const messages = messagesIn(answer);
        const first = typeof messages === 'string' ? undefined : messages[0];
        if (!isObject(first) || !isObject(first.error) || !Number.isInteger(first.error.code) || (first.id ?? null) !== null) failures.add(input, `the body is not a JSON-RPC error without id: ${describeAnswer(answer)}`);
      }
    });
    const others: Array<[string, 'GET' | 'DELETE' | 'PUT', Record<string, string>, number]> = [
      ['GET without text/event-stream', 'GET', { ...sessionHeaders(), accept: 'application/json' }, 406],
      ['GET of an unknown session', 'GET', { ...sessionHeaders(), accept: 'text/event-stream', 'mcp-session-id': 'nope' }, 404],
      ['GET without a session', 'GET', { accept: 'text/event-stream' }, 400],
      ['DELETE of an unknown session', 'DELETE', { 'mcp-session-id': 'nope' }, 404],
      ['PUT', 'PUT', sessionHeaders(), 405],
    ];
    for (const [label, method, headers, status] of others) {
      const answer = await post(pool, path, headers, Buffer.from('{}'), method);
      if (answer.status !== status) failures.add({ label, bytes: Buffer.alloc(0), utf8: true, expect: { kind: 'silent' } }, `expected HTTP ${status}, got ${describeAnswer(answer)}`);
    }
    expectNoFailures(failures, 'http header faults');
  });

  it('refuses messages over 4 MiB with 413 and keeps serving', async () => {
    for (const input of oversizedInputs(LIMIT_BYTES)) {
      const answer = await post(pool, path, sessionHeaders(), input.bytes);
      // 413, or the connection cut while the body was still arriving; never a 2xx.
      if (answer.failure === undefined) expect(answer.status, `${input.label}: ${describeAnswer(answer)}`).toBe(413);
    }
    const ping = await post(pool, path, sessionHeaders(), frame({ jsonrpc: '2.0', id: '#after-oversized', method: 'ping' }).bytes);
    expect(messagesIn(ping)).toEqual([{ jsonrpc: '2.0', id: '#after-oversized', result: {} }]);
  });

  it('still answers ping and tools/list, serves a fresh session, and is still running', async () => {
    const ping = await post(pool, path, sessionHeaders(), frame({ jsonrpc: '2.0', id: '', method: 'ping' }).bytes);
    expect(messagesIn(ping)).toEqual([{ jsonrpc: '2.0', id: '', result: {} }]);
    const fresh = await openSession();
    const list = await post(pool, path, { ...accept, 'mcp-session-id': fresh, 'mcp-protocol-version': VERSION }, frame({ jsonrpc: '2.0', id: 1, method: 'tools/list' }).bytes);
    expect(messagesIn(list)).toMatchObject([{ id: 1, result: { tools: expect.any(Array) } }]);
    alive('http');
  });
});

/** The answer Streamable HTTP gives one POST (2025-11-25 "Sending Messages to the Server"). */
function httpVerdict(input: HostileInput, answer: PostAnswer): string | undefined {
  const e = input.expect;
  if (e.kind === 'silent') return answer.status === 202 && answer.body === '' ? undefined : `expected HTTP 202 with no body, got ${describeAnswer(answer)}`;
  const expectedStatus = e.kind === 'error' || e.kind === 'result' ? 200 : 400;
  if (answer.status !== expectedStatus) return `expected HTTP ${expectedStatus}, got ${describeAnswer(answer)}`;
  const messages = messagesIn(answer);
  if (typeof messages === 'string') return messages;
  const responses = messages.filter((m) => !(isObject(m) && 'method' in m));
  switch (e.kind) {
    case 'frame-error':
      return responses.length === 1 ? verifyError(responses[0], e.code, e.id) : `expected one error, got ${clipJson(responses)}`;
    case 'blank':
      return responses.length === 1 ? verifyError(responses[0], PARSE_ERROR, null) : `expected one error, got ${clipJson(responses)}`;
    case 'batch': {
      // Batches are refused before any member runs: one -32600 for the array when it held a
      // usable message (batches are not part of the version), else the answer to each fault.
      if (e.members > 0) return responses.length === 1 ? verifyError(responses[0], INVALID_REQUEST, null) : `expected one error, got ${clipJson(responses)}`;
      const list = responses[0];
      if (!Array.isArray(list) || list.length !== e.faults.length) return `expected an array of ${e.faults.length} errors, got ${clipJson(responses)}`;
      for (const [k, id] of e.faults.entries()) {
        const problem = verifyError(list[k], INVALID_REQUEST, id);
        if (problem) return problem;
      }
      return undefined;
    }
    case 'error':
    case 'result':
      if (responses.length !== 1 || !isObject(responses[0])) return `expected one response, got ${clipJson(responses)}`;
      if (idKey(responses[0].id) !== idKey(e.id)) return `expected id ${JSON.stringify(e.id)}, got ${clipJson(responses[0].id)}`;
      return verify(responses[0], e.kind === 'result' ? 'result' : { code: e.code });
  }
}

// ---- legacy HTTP+SSE endpoints --------------------------------------------------------------

describe('sse: endpoint faults', () => {
  it('answers a bad POST or GET with its status and keeps the session', async () => {
    const link = (await openLink('sse')) as SseLink;
    try {
      await initializeOn(link, SSE_VERSION, '#endpoint#init');
      const ping = Buffer.from('{"jsonrpc":"2.0","id":1,"method":"ping"}');
      const json = { 'content-type': 'application/json' };
      const cases: Array<[string, string, 'POST' | 'GET' | 'PUT', Record<string, string>, number]> = [
        ['unknown session', '/messages?sessionId=nope', 'POST', json, 404],
        ['no session', '/messages', 'POST', json, 400],
        ['text/plain body', link.endpoint, 'POST', { 'content-type': 'text/plain' }, 415],
        ['no body type', link.endpoint, 'POST', {}, 415],
        ['foreign Origin on POST', link.endpoint, 'POST', { ...json, origin: 'https://evil.test' }, 403],
        ['foreign Host on POST', link.endpoint, 'POST', { ...json, host: 'evil.test' }, 403],
        ['foreign Origin on GET', '/sse', 'GET', { accept: 'text/event-stream', origin: 'http://example.com' }, 403],
        ['GET that takes only JSON', '/sse', 'GET', { accept: 'application/json' }, 406],
        ['PUT on the stream', '/sse', 'PUT', json, 405],
        ['GET on the POST endpoint', link.endpoint, 'GET', {}, 405],
      ];
      for (const [label, path, method, headers, status] of cases) {
        const answer = await post(link.pool, path, headers, ping, method);
        expect(answer.status, `${label}: ${describeAnswer(answer)}`).toBe(status);
      }
      expect(await requestOn(link, '#endpoint#ping', 'ping')).toMatchObject({ result: {} });
    } finally {
      await link.close();
    }
    alive('sse');
  });
});

// ---- duplicate in-flight ids ----------------------------------------------------------------

// Independent connections to one server: run side by side, each bounded on its own.
describe.concurrent('duplicate in-flight ids', () => {
  let server: ReferenceServer;
  let listeners: Listener[];
  const targets = new Map<string, string>();
  const slowChild = (): StdioLink => {
    const url = (path: string): string => new URL(`../../${path}`, import.meta.url).href;
    const code = [
      `import { ReferenceServer } from ${JSON.stringify(url('reference/server.ts'))};`,
      `import { serveOnStdio } from ${JSON.stringify(url('reference/serve-stdio.ts'))};`,
      `import { slowTool } from ${JSON.stringify(url('test/helpers/hostile-inputs.ts'))};`,
      'const server = new ReferenceServer({ populate: (r) => r.addTool(slowTool()) });',
      'await serveOnStdio(server);',
      'await server.close();',
    ].join('\n');
    return new StdioLink(['--input-type=module', '--eval', code]);
  };

  beforeAll(async () => {
    server = new ReferenceServer({ populate: (r) => r.addTool(slowTool()) });
    listeners = await listenAll(server, NETWORK_TRANSPORTS, { host: '127.0.0.1', port: 0 });
    for (const l of listeners) targets.set(l.transport, l.target);
  });
  afterAll(async () => {
    await server?.close();
  });

  async function streamLink(kind: StreamKind): Promise<StreamLink> {
    if (kind === 'stdio') return slowChild();
    const target = targets.get(kind)!;
    if (kind === 'tcp') return TcpLink.open(target);
    if (kind === 'ws') return WsLink.open(target);
    return SseLink.open(target);
  }

  const slowCall = (id: string, token: string): HostileInput => frame({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: SLOW_TOOL, arguments: { ms: 1000 }, _meta: { progressToken: token } } });
  const progressOf = (token: string) => (m: unknown): true | undefined =>
    isObject(m) && m.method === 'notifications/progress' && isObject(m.params) && m.params.progressToken === token ? true : undefined;

  for (const kind of ['stdio', 'tcp', 'ws', 'sse'] as const) {
    it(`${kind}: a second request with an in-flight id gets -32600 with that id, and the first still gets its result`, async () => {
      const link = await streamLink(kind);
      try {
        await initializeOn(link, kind === 'sse' ? SSE_VERSION : VERSION, '#dup#init');
        const replies: Array<Record<string, unknown>> = [];
        const stop = link.inbox.listen((m) => {
          if (isObject(m) && !('method' in m) && m.id === 'dup') replies.push(m);
        }, () => undefined);
        const started = link.inbox.next(progressOf('dup-progress'), 10_000, 'the slow call to start');
        await link.send([slowCall('dup', 'dup-progress')]);
        await started;
        const first = link.inbox.next((m) => (isObject(m) && m.id === 'dup' ? m : undefined), 10_000, 'the answer to the duplicate');
        await link.send([frame({ jsonrpc: '2.0', id: 'dup', method: 'ping' })]);
        expect(verifyError(await first, INVALID_REQUEST, 'dup')).toBeUndefined();
        await link.inbox.next((m) => (isObject(m) && m.id === 'dup' && 'result' in m ? m : undefined), 10_000, 'the result of the slow call');
        expect(replies.map((r) => ('result' in r ? 'result' : (r.error as { code: number }).code))).toEqual([INVALID_REQUEST, 'result']);
        stop();
      } finally {
        await link.close();
      }
    });

    it(`${kind}: a malformed response that reuses an in-flight id is not taken as that request's answer`, async () => {
      const link = await streamLink(kind);
      try {
        await initializeOn(link, kind === 'sse' ? SSE_VERSION : VERSION, '#mal#init');
        const started = link.inbox.next(progressOf('mal-progress'), 10_000, 'the slow call to start');
        await link.send([slowCall('mal', 'mal-progress')]);
        await started;
        const firstWithId = link.inbox.next((m) => (isObject(m) && !('method' in m) && m.id === 'mal' ? m : undefined), 10_000, 'the first reply carrying the id');
        // `result` must be an object: this is an invalid *response*. Its id is one of the
        // server's own request ids, so an error answer may not carry it (JSON-RPC 2.0 §5).
        const [answer] = await link.send([frame({ jsonrpc: '2.0', id: 'mal', result: 7 })]);
        if (answer) expect(answer.status, describeAnswer(answer)).toBeGreaterThanOrEqual(200);
        expect(await firstWithId, 'the slow call must be answered by its own result').toMatchObject({ result: { content: [{ type: 'text', text: 'slow done' }] } });
      } finally {
        await link.close();
      }
    });
  }

  it('http: a second POST with an in-flight id gets -32600 with that id, and the first POST still gets its result', async () => {
    const url = new URL(targets.get('http')!);
    const pool = new Pool(url.origin, { connections: 4 });
    try {
      const accept = { accept: 'application/json, text/event-stream', 'content-type': 'application/json' };
      const init = await post(pool, url.pathname, accept, initializeFrame('#dup#init', VERSION).bytes);
      const headers = { ...accept, 'mcp-session-id': init.sessionId!, 'mcp-protocol-version': VERSION };
      await post(pool, url.pathname, headers, frame({ jsonrpc: '2.0', method: 'notifications/initialized' }).bytes);
      // The slow call's answer is an SSE stream: progress first, then the result.
      const slow = await pool.request({ path: url.pathname, method: 'POST', headers, body: slowCall('dup', 'dup-progress').bytes, headersTimeout: 10_000, bodyTimeout: 10_000 });
      const reader = new SseReader();
      const events: unknown[] = [];
      let progressed: () => void = () => undefined;
      const started = new Promise<void>((resolve) => (progressed = resolve));
      const slowDone = (async () => {
        for await (const chunk of slow.body) {
          for (const item of reader.push(chunk as Buffer)) {
            if (item.type !== 'event' || item.event.data === '') continue;
            const m: unknown = JSON.parse(item.event.data);
            events.push(m);
            if (progressOf('dup-progress')(m)) progressed();
          }
        }
      })();
      await within(started, 10_000, 'the slow call to start');
      const duplicate = await post(pool, url.pathname, headers, frame({ jsonrpc: '2.0', id: 'dup', method: 'ping' }).bytes);
      const dupMessages = messagesIn(duplicate);
      expect(typeof dupMessages === 'string' ? dupMessages : verifyError(dupMessages[0], INVALID_REQUEST, 'dup'), describeAnswer(duplicate)).toBeUndefined();
      await within(slowDone, 10_000, 'the slow call to finish');
      expect(events.filter((m) => isObject(m) && !('method' in m))).toMatchObject([{ id: 'dup', result: { content: [{ type: 'text', text: 'slow done' }] } }]);
    } finally {
      await pool.close();
    }
  });
});
