/**
 * One request sent on the target's own framing and the text of the frame that answers it, as
 * written: for rules (unique keys) that decoding would hide. 2026-07-28 requests need no
 * handshake, so a fresh connection is enough. Every wait is bounded by `waitMs`.
 */
import { connect } from 'node:net';
import { WebSocket } from 'ws';
import { decode } from '../../transport/codec.js';
import type { JsonObject, JsonRpcRequest } from '../../transport/jsonrpc.js';
import { StdioClientConnection } from '../../transport/stdio/client.js';
import type { CheckContext } from '../check.js';
import { HarnessError } from '../errors.js';
import { mirroredHeaders } from '../modern.js';
import { postSpec } from './http-session.js';
import { StreamReader } from './sse-stream.js';

function answers(text: string, request: JsonRpcRequest): boolean {
  const decoded = decode(text);
  return decoded.ok && decoded.messages.some((m) => 'id' in m && m.id === request.id && !('method' in m));
}

/** Splits newline-delimited text as it arrives; `take` sees each complete line and says whether to stop. */
function lineSplitter(take: (line: string) => boolean): (chunk: string) => boolean {
  let buffer = '';
  return (chunk) => {
    buffer += chunk;
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    return lines.some((line) => line.trim() !== '' && take(line));
  };
}

function viaLines(open: (onText: (chunk: string) => void, done: () => void) => () => void, request: JsonRpcRequest, waitMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    let found: string | undefined;
    let close: () => void = () => undefined;
    const finish = (): void => {
      clearTimeout(timer);
      close();
      resolve(found);
    };
    const timer = setTimeout(finish, waitMs);
    const split = lineSplitter((line) => {
      if (!answers(line, request)) return false;
      found = line;
      return true;
    });
    close = open((chunk) => {
      if (split(chunk)) finish();
    }, finish);
  });
}

async function viaStdio(ctx: CheckContext, request: JsonRpcRequest, waitMs: number): Promise<string | undefined> {
  const session = await ctx.connect();
  const inner = session.connection.inner;
  if (!(inner instanceof StdioClientConnection)) throw new HarnessError('MCPCERT_ERR_TRANSPORT', 'expected a stdio connection');
  const child = inner.child;
  return viaLines((onText) => {
    const listener = (chunk: Buffer | string): void => onText(chunk.toString());
    child.stdout.on('data', listener);
    child.stdin.write(`${JSON.stringify(request)}\n`);
    return () => child.stdout.off('data', listener);
  }, request, waitMs);
}

function viaTcp(url: string, request: JsonRpcRequest, waitMs: number): Promise<string | undefined> {
  const { hostname, port } = new URL(url);
  return viaLines((onText, done) => {
    const socket = connect({ host: hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(port) });
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(`${JSON.stringify(request)}\n`));
    socket.on('data', (chunk: string) => onText(chunk));
    socket.on('close', done);
    socket.on('error', done);
    return () => socket.destroy();
  }, request, waitMs);
}

function viaWs(url: string, headers: Record<string, string>, request: JsonRpcRequest, waitMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, ['mcp'], { headers, handshakeTimeout: waitMs });
    let found: string | undefined;
    const finish = (): void => {
      clearTimeout(timer);
      socket.terminate();
      resolve(found);
    };
    const timer = setTimeout(finish, waitMs);
    socket.on('open', () => socket.send(JSON.stringify(request)));
    socket.on('message', (data: Buffer) => {
      const text = data.toString('utf8');
      if (!answers(text, request)) return;
      found = text;
      finish();
    });
    socket.on('close', finish);
    socket.on('error', finish);
  });
}

async function viaHttp(ctx: CheckContext, request: JsonRpcRequest, inputSchemaOf: (tool: string) => JsonObject | undefined, waitMs: number): Promise<string | undefined> {
  const reader = new StreamReader(ctx);
  try {
    const stream = await reader.open(postSpec(ctx, request, mirroredHeaders(request, inputSchemaOf)), `POST ${request.method}`);
    if (!stream.isSse) return stream.body !== '' && answers(stream.body, request) ? stream.body : undefined;
    const carrying = (): string | undefined => stream.events.find((e) => answers(e.data, request))?.data;
    await reader.until(stream, () => carrying() !== undefined, waitMs);
    return carrying();
  } finally {
    await reader.closeAll();
  }
}

/**
 * Sends `request` (complete: id, params with `_meta`) on a connection of its own and returns the
 * text of the frame (line, WebSocket message, HTTP body or SSE event data) holding its answer,
 * or undefined when none came within `waitMs`.
 * @throws HarnessError on the legacy HTTP+SSE transport, which has no request-per-connection path.
 */
export function rawReply(ctx: CheckContext, request: JsonRpcRequest, inputSchemaOf: (tool: string) => JsonObject | undefined, waitMs: number): Promise<string | undefined> {
  const target = ctx.target;
  ctx.note(`raw request sent: ${JSON.stringify(request).slice(0, 500)}`);
  switch (target.kind) {
    case 'stdio':
      return viaStdio(ctx, request, waitMs);
    case 'tcp':
      return viaTcp(target.url, request, waitMs);
    case 'ws':
      return viaWs(target.url, target.headers, request, waitMs);
    case 'http':
      return viaHttp(ctx, request, inputSchemaOf, waitMs);
    case 'sse':
      throw new HarnessError('MCPCERT_ERR_TRANSPORT', 'raw replies are not read on the legacy HTTP+SSE transport');
  }
}
