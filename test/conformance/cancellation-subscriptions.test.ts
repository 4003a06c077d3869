/**
 * The cancellation, subscriptions and (2026-07-28) progress checks behind a TCP proxy in front
 * of the reference server that breaks one rule at a time; the unbroken proxy is the control.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Check } from '../../conformance/check.js';
import race from '../../conformance/checks/cancellation/race.js';
import stopsWhenCancelled from '../../conformance/checks/cancellation/stops-when-cancelled.js';
import nothingAfterCancel from '../../conformance/checks/cancellation/nothing-after-cancel.js';
import listenStream from '../../conformance/checks/subscriptions/listen-stream.js';
import progressMonotonic from '../../conformance/checks/progress/monotonic.js';
import { runSuite } from '../../conformance/runner.js';
import { parseTarget } from '../../conformance/target.js';
import { populateDefault } from '../../reference/populate.js';
import { listenAll } from '../../reference/serve.js';
import { ReferenceServer } from '../../reference/server.js';
import type { Listener } from '../../transport/connection.js';
import { listenLoopbackTcp, pipeLines } from './fixtures/mini-server.js';

const TOOL = { name: 'mcpcert', version: '0.0.0-test' };
const SUBSCRIPTION = 'io.modelcontextprotocol/subscriptionId';

interface Breakage {
  /** Never pass notifications/cancelled on: the server keeps working and answers. */
  swallowCancel?: boolean;
  /** After a cancellation, send notifications/cancelled back for the same id. */
  echoCancel?: boolean;
  /** Answer a request again when it is cancelled after its response. */
  answerAgainOnCancel?: boolean;
  /** Drop the subscription acknowledgment. */
  noAck?: boolean;
  /** Strip the subscription id from list_changed notifications. */
  untaggedChanges?: boolean;
  /** Deliver log messages on the open subscription (tagged with its id). */
  logOnListen?: boolean;
  /** Send one more progress notification after each response that had some. */
  progressAfterResponse?: boolean;
}

type Msg = { id?: unknown; method?: string; params?: Record<string, unknown>; result?: unknown; error?: unknown };

function proxyConnection(b: Breakage, client: Socket, upstream: Socket): void {
  const answers = new Map<string, string>();
  const tokens = new Map<string, unknown>();
  let listenId: unknown;
  const toClient = (lines: string[]): void => {
    if (!client.destroyed && lines.length > 0) client.write(lines.map((l) => `${l}\n`).join(''));
  };
  pipeLines(client, (text) => upstream.write(text), (line) => {
    const msg = JSON.parse(line) as Msg;
    if (msg.method === 'subscriptions/listen') listenId = msg.id;
    const token = (msg.params?._meta as Record<string, unknown> | undefined)?.progressToken;
    if (msg.id !== undefined && token !== undefined) tokens.set(JSON.stringify(msg.id), token);
    if (msg.method === 'notifications/cancelled') {
      const target = JSON.stringify(msg.params?.requestId);
      const extra: string[] = [];
      if (b.echoCancel) extra.push(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: msg.params?.requestId } }));
      if (b.answerAgainOnCancel && answers.has(target)) extra.push(answers.get(target)!);
      setTimeout(() => toClient(extra), 20);
      if (b.swallowCancel) return [];
    }
    return [line];
  });
  pipeLines(upstream, (text) => {
    if (!client.destroyed) client.write(text);
  }, (line) => {
    const msg = JSON.parse(line) as Msg;
    const out = [line];
    if (msg.method === 'notifications/subscriptions/acknowledged' && b.noAck) return [];
    if (msg.method?.endsWith('/list_changed') && b.untaggedChanges) return [JSON.stringify({ ...msg, params: {} })];
    if (msg.method === 'notifications/message' && b.logOnListen && listenId !== undefined) return [JSON.stringify({ ...msg, params: { ...msg.params, _meta: { [SUBSCRIPTION]: listenId } } })];
    if (msg.id !== undefined && ('result' in msg || 'error' in msg)) {
      const key = JSON.stringify(msg.id);
      answers.set(key, line);
      if (b.progressAfterResponse && tokens.has(key)) out.push(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: tokens.get(key), progress: 1e9 } }));
    }
    return out;
  });
}

async function listenProxy(upstreamUrl: string, b: Breakage): Promise<{ url: string; close(): Promise<void> }> {
  const { hostname, port } = new URL(upstreamUrl);
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect({ host: hostname, port: Number(port) });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
    }
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    proxyConnection(b, client, upstream);
  });
  return listenLoopbackTcp(server, sockets);
}

describe('cancellation and subscriptions checks behind a breaking proxy', () => {
  let reference: ReferenceServer;
  let listeners: Listener[];
  const closers: Array<() => Promise<void>> = [];
  beforeAll(async () => {
    reference = new ReferenceServer({ populate: populateDefault });
    listeners = await listenAll(reference, ['tcp'], { host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await Promise.all(closers.map((c) => c()));
    await Promise.all(listeners.map((l) => l.close()));
    await reference.close();
  });

  async function run(b: Breakage, checks: readonly Check[], version: '2025-11-25' | '2026-07-28'): Promise<Record<string, string>> {
    const proxy = await listenProxy(listeners[0]!.target, b);
    closers.push(proxy.close);
    const { report } = await runSuite({ targets: [parseTarget(proxy.url)], checks, protocolVersion: version, timeoutMs: 3000, tool: TOOL, keepAllEvidence: false });
    for (const r of report.results) if (r.status === 'fail' || r.status === 'warn') expect(r.evidence!.failures[0]!.expected, r.check).toBeTruthy();
    return Object.fromEntries(report.results.map((r) => [r.check, r.status]));
  }

  const LEGACY: readonly Check[] = [race, stopsWhenCancelled];
  const MODERN: readonly Check[] = [race, nothingAfterCancel, listenStream, progressMonotonic];

  it('the unbroken proxy passes every check (the control)', async () => {
    expect(await run({}, LEGACY, '2025-11-25')).toEqual({ 'cancellation/race': 'pass', 'cancellation/stops-when-cancelled': 'pass' });
    expect(await run({}, MODERN, '2026-07-28')).toEqual(Object.fromEntries(MODERN.map((c) => [c.id, 'pass'])));
  });

  it.each([
    [{ swallowCancel: true }, '2025-11-25', { 'cancellation/stops-when-cancelled': 'warn' }],
    [{ answerAgainOnCancel: true }, '2025-11-25', { 'cancellation/race': 'fail' }],
    [{ swallowCancel: true }, '2026-07-28', { 'cancellation/nothing-after-cancel': 'fail' }],
    [{ echoCancel: true }, '2026-07-28', { 'cancellation/nothing-after-cancel': 'fail' }],
    [{ answerAgainOnCancel: true }, '2026-07-28', { 'cancellation/race': 'fail' }],
    [{ noAck: true }, '2026-07-28', { 'subscriptions/listen-stream': 'fail' }],
    [{ untaggedChanges: true }, '2026-07-28', { 'subscriptions/listen-stream': 'fail' }],
    [{ logOnListen: true }, '2026-07-28', { 'subscriptions/listen-stream': 'fail' }],
    [{ progressAfterResponse: true }, '2026-07-28', { 'progress/monotonic': 'fail' }],
  ] as const)('%o at %s gives %o', async (breakage, version, expected) => {
    // Only the check that must catch it runs (the control shows the others pass unbroken).
    const checks = [...LEGACY, ...MODERN].filter((c, i, all) => c.id in expected && all.indexOf(c) === i);
    expect(await run(breakage, checks, version)).toEqual(expected);
  });
});
