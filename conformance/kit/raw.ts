/**
 * Sending bytes that are not a JSON-RPC message (a broken frame), which no transport client
 * of ours will do: a raw write on the target's own framing, and whatever comes back, decoded
 * as far as it decodes. Every wait is bounded.
 */
import { connect } from 'node:net';
import { WebSocket } from 'ws';
import { decode } from '../../transport/codec.js';
import type { JsonRpcMessage } from '../../transport/jsonrpc.js';
import { StdioClientConnection } from '../../transport/stdio/client.js';
import type { CheckContext } from '../check.js';
import { HarnessError, messageOf } from '../errors.js';
import type { Session } from '../session.js';
import { postSpec } from './http-session.js';

export interface RawAnswer {
  /** What came back, as text (first frames only). */
  frames: string[];
  /** The frames that are JSON-RPC messages. */
  messages: JsonRpcMessage[];
  /** HTTP status, for an HTTP target. */
  status?: number;
  /** stdio: the session (no handshake made) whose process received the frame. */
  session?: Session;
}

/**
 * Sent right after the raw frame on stream transports: a connection keeps order, so once the
 * fence is answered, an answer to the frame would already have come. No guessing how long a
 * (loaded, just started) target takes; the wait ends at the first answer of either.
 */
const FENCE_ID = 'mcpcert-raw-fence';
const FENCE = JSON.stringify({ jsonrpc: '2.0', id: FENCE_ID, method: 'ping' });

function isFenceAnswer(frame: string): boolean {
  const decoded = decode(frame);
  return decoded.ok && decoded.messages.some((m) => 'id' in m && m.id === FENCE_ID && !('method' in m));
}

function collect(frames: string[]): RawAnswer {
  const kept = frames.filter((frame) => !isFenceAnswer(frame));
  const messages: JsonRpcMessage[] = [];
  for (const frame of kept) {
    const decoded = decode(frame);
    if (decoded.ok) messages.push(...decoded.messages);
  }
  return { frames: kept, messages };
}

/** Writes `text` + newline, then the fence, on a fresh stdio process; waits up to `waitMs` for the first answer. */
async function viaStdio(ctx: CheckContext, text: string, waitMs: number): Promise<RawAnswer> {
  const session = await ctx.connect();
  const inner = session.connection.inner;
  if (!(inner instanceof StdioClientConnection)) throw new HarnessError('MCPCERT_ERR_TRANSPORT', 'expected a stdio connection');
  const frames: string[] = [];
  const answered = new Promise<void>((resolve) => {
    session.connection.on('message', (m) => {
      frames.push(JSON.stringify(m));
      resolve();
    });
    // Unusable frames are kept but do not end the wait: a start-up banner may precede the answer.
    session.connection.on('error', (e) => frames.push(e.raw ?? e.message));
  });
  inner.child.stdin.write(`${text}\n${FENCE}\n`);
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([answered, new Promise((resolve) => (timer = setTimeout(resolve, waitMs)))]);
  clearTimeout(timer);
  return { ...collect(frames), session };
}

function viaTcp(url: string, text: string, waitMs: number): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(port) });
    let buffer = '';
    const frames: string[] = [];
    const finish = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(collect(frames));
    };
    const timer = setTimeout(finish, waitMs);
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(`${text}\n${FENCE}\n`));
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      frames.push(...lines.filter((l) => l.trim() !== ''));
      if (frames.length > 0) finish();
    });
    socket.on('close', finish);
    socket.on('error', (err) => {
      clearTimeout(timer);
      socket.destroy();
      reject(new HarnessError('MCPCERT_ERR_TRANSPORT', `raw TCP to ${url} failed: ${messageOf(err)}`));
    });
  });
}

function viaWs(url: string, headers: Record<string, string>, text: string, waitMs: number): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, ['mcp'], { headers, handshakeTimeout: waitMs });
    const frames: string[] = [];
    const finish = (): void => {
      clearTimeout(timer);
      socket.terminate();
      resolve(collect(frames));
    };
    const timer = setTimeout(finish, waitMs * 2);
    socket.on('open', () => {
      socket.send(text);
      socket.send(FENCE);
    });
    socket.on('message', (data: Buffer) => {
      frames.push(data.toString('utf8'));
      finish();
    });
    socket.on('close', finish);
    socket.on('error', (err) => {
      clearTimeout(timer);
      socket.terminate();
      reject(new HarnessError('MCPCERT_ERR_TRANSPORT', `raw WebSocket to ${url} failed: ${messageOf(err)}`));
    });
  });
}

/**
 * Sends `text` as one frame on the target's transport (stdio, tcp, ws, Streamable HTTP) and
 * returns the first answer to arrive within `waitMs` (none is a valid outcome).
 */
export async function sendRaw(ctx: CheckContext, text: string, waitMs: number): Promise<RawAnswer> {
  const target = ctx.target;
  ctx.note(`raw frame sent: ${text}`);
  switch (target.kind) {
    case 'stdio':
      return viaStdio(ctx, text, waitMs);
    case 'tcp':
      return viaTcp(target.url, text, waitMs);
    case 'ws':
      return viaWs(target.url, target.headers, text, waitMs);
    case 'http': {
      const spec = { ...postSpec(ctx, { jsonrpc: '2.0', method: 'x' }), body: text };
      if (ctx.version >= '2025-06-18') spec.headers['mcp-protocol-version'] = ctx.version;
      const answer = await ctx.http(spec);
      return { ...collect(answer.body === '' ? [] : [answer.body]), status: answer.status };
    }
    case 'sse':
      throw new HarnessError('MCPCERT_ERR_TRANSPORT', 'raw frames are not supported on the legacy HTTP+SSE transport');
  }
}
