/**
 * How to replay a failure by hand: the mcpcert command for just this check, the exact message
 * that exposed it, and a ready curl line (HTTP) or shell line (stdio, TCP).
 */
import { isPlainObject } from '../transport/codec.js';
import type { JsonObject, JsonRpcPayload } from '../transport/jsonrpc.js';
import { era, type ProtocolVersion } from '../spec/versions.js';
import type { JsonValue, Repro, TranscriptEntry } from '../reports/model.js';
import type { FailureDetails } from './check.js';
import { curlLine } from './http-probe.js';
import { mirroredHeaders } from './modern.js';
import { describeTarget, shellQuote, type NetworkTarget, type Target } from './target.js';

export interface ReproInput {
  target: Target;
  check: string;
  version: ProtocolVersion;
  failure?: FailureDetails;
  transcript: readonly TranscriptEntry[];
}

const SECRET = /^(authorization|cookie|proxy-authorization)$/i;

/** The last request the check sent (a notification after it, like `initialized`, is not what failed). */
function lastSent(transcript: readonly TranscriptEntry[]): JsonValue | undefined {
  let fallback: JsonValue | undefined;
  for (let i = transcript.length - 1; i >= 0; i--) {
    const entry = transcript[i]!;
    if (entry.direction !== 'sent' || entry.kind !== 'message' || entry.message === undefined) continue;
    if (isPlainObject(entry.message) && 'id' in entry.message && 'method' in entry.message) return entry.message;
    fallback ??= entry.message;
  }
  return fallback;
}

function command(input: ReproInput): string {
  const parts = ['mcpcert', 'test', shellQuote(describeTarget(input.target))];
  if (input.target.kind !== 'stdio') {
    for (const [name, value] of Object.entries(input.target.headers)) parts.push('--header', shellQuote(`${name}: ${SECRET.test(name) ? '…' : value}`));
  }
  parts.push('--only', input.check, '--protocol-version', input.version);
  const replay = input.failure?.replay;
  if (replay !== undefined) parts.push('--seed', String(replay.seed), '--path', shellQuote(replay.path));
  return parts.join(' ');
}

function handshake(version: ProtocolVersion): JsonObject[] {
  return [
    { jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: version, capabilities: {}, clientInfo: { name: 'mcpcert-repro', version: '0' } } },
    { jsonrpc: '2.0', method: 'notifications/initialized' },
  ];
}

function isInitialize(request: JsonValue): boolean {
  return isPlainObject(request) && request.method === 'initialize';
}

/** The lines to feed a newline-delimited target: the handshake first, unless the request is itself initialize. */
function lines(request: JsonValue, version: ProtocolVersion): string[] {
  const text = typeof request === 'string' ? request : JSON.stringify(request);
  if (era(version) === 'modern' || isInitialize(request)) return [text];
  return [...handshake(version).map((m) => JSON.stringify(m)), text];
}

function headersFor(target: NetworkTarget, extra: Record<string, string>): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
  for (const [name, value] of Object.entries(target.headers)) headers[name] = SECRET.test(name) ? '…' : value;
  return { ...headers, ...extra };
}

/** curl for Streamable HTTP: a handshake-era request needs a session first, so three commands. */
function httpCurl(target: NetworkTarget, request: JsonValue, version: ProtocolVersion): string {
  const body = typeof request === 'string' ? request : JSON.stringify(request);
  if (era(version) === 'modern') {
    const mirrored = typeof request === 'string' ? {} : mirroredHeaders(request as unknown as JsonRpcPayload, () => undefined);
    return curlLine({ method: 'POST', url: target.url, headers: headersFor(target, mirrored), body });
  }
  if (isInitialize(request)) return curlLine({ method: 'POST', url: target.url, headers: headersFor(target, {}), body });
  const [init, initialized] = handshake(version).map((m) => JSON.stringify(m));
  const versionHeader: Record<string, string> = version >= '2025-06-18' ? { 'mcp-protocol-version': version } : {};
  const open = `S=$(${curlLine({ method: 'POST', url: target.url, headers: headersFor(target, {}), body: init! }).replace('curl -sS -i', 'curl -sS -D - -o /dev/null')} | tr -d '\\r' | sed -n 's/^[Mm][Cc][Pp]-[Ss]ession-[Ii][Dd]: //p')`;
  const withSession = (text: string): string => `${curlLine({ method: 'POST', url: target.url, headers: headersFor(target, versionHeader), body: text })} -H "mcp-session-id: $S"`;
  return [open, withSession(initialized!), withSession(body)].join(' && ');
}

/**
 * Checks describe the failing request without the id the session gave it; replayed without
 * one it would be a notification and get no answer, so a request gets id 1 back.
 */
function withId(request: JsonValue | undefined): JsonValue | undefined {
  if (!isPlainObject(request) || 'id' in request || typeof request.method !== 'string' || request.method.startsWith('notifications/')) return request;
  return { jsonrpc: '2.0', id: 1, ...request };
}

export function buildRepro(input: ReproInput): Repro {
  const repro: Repro = { command: command(input) };
  const failure = input.failure;
  if (failure?.replay) {
    repro.seed = failure.replay.seed;
    repro.path = failure.replay.path;
    if (failure.replay.counterexample !== undefined) repro.counterexample = failure.replay.counterexample;
  }
  if (failure?.http) {
    repro.curl = curlLine({ ...failure.http, headers: Object.fromEntries(Object.entries(failure.http.headers).map(([n, v]) => [n, SECRET.test(n) ? '…' : v])) });
    if (failure.http.body !== undefined) repro.request = failure.http.body;
    return repro;
  }
  const request = withId((failure?.request as JsonValue | undefined) ?? lastSent(input.transcript));
  if (request === undefined) return repro;
  repro.request = request;
  const target = input.target;
  if (target.kind === 'http') repro.curl = httpCurl(target, request, input.version);
  const printf = `printf '%s\\n' ${lines(request, input.version).map(shellQuote).join(' ')}`;
  if (target.kind === 'stdio') repro.shell = `${printf} | ${[target.command, ...target.args].map(shellQuote).join(' ')}`;
  if (target.kind === 'tcp') {
    const url = new URL(target.url);
    repro.shell = `${printf} | nc ${url.hostname} ${url.port}`;
  }
  return repro;
}
