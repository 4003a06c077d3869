/**
 * Opens a Connection to a Target with the transport clients of transport/, every wait bounded.
 * A failure to start or reach the target becomes UnreachableError (exit code 3).
 */
import type { Connection } from '../transport/connection.js';
import { TransportError } from '../transport/errors.js';
import { connectHttp, type HttpExchange } from '../transport/http/client.js';
import type { JsonRpcPayload } from '../transport/jsonrpc.js';
import { connectSse } from '../transport/sse/client.js';
import { spawnStdio } from '../transport/stdio/client.js';
import { connectTcp } from '../transport/tcp/client.js';
import { connectWs } from '../transport/ws/client.js';
import { UnreachableError, messageOf } from './errors.js';
import { describeTarget, type Target } from './target.js';

export interface ConnectOptions {
  /** Bound on starting the process, the TCP/WebSocket/SSE handshake, and each HTTP exchange. */
  timeoutMs: number;
  /** Streamable HTTP: every HTTP answer, including bodiless 202s. */
  onExchange?: (exchange: HttpExchange) => void;
  /** Streamable HTTP: headers derived from each POST body (the 2026-07-28 mirrored headers). */
  messageHeaders?: (payload: JsonRpcPayload) => Record<string, string>;
}

/** How long a stdio target gets between closing its stdin and each escalation (SIGTERM, SIGKILL). */
const STDIO_CLOSE_GRACE_MS = 1000;

export async function openConnection(target: Target, options: ConnectOptions): Promise<Connection> {
  const timeoutMs = options.timeoutMs;
  try {
    switch (target.kind) {
      case 'stdio':
        return await spawnStdio(target.command, target.args, { startTimeoutMs: timeoutMs, closeTimeoutMs: Math.min(STDIO_CLOSE_GRACE_MS, timeoutMs) });
      case 'http':
        return await connectHttp(target.url, {
          headers: target.headers,
          requestTimeoutMs: timeoutMs,
          ...(options.onExchange ? { onExchange: options.onExchange } : {}),
          ...(options.messageHeaders ? { messageHeaders: options.messageHeaders } : {}),
          // Reconnection is the client's business; a check wants to see a lost stream, not hide it.
          maxReconnectAttempts: 1,
          reconnectDelayMs: 100,
        });
      case 'sse':
        return await connectSse(target.url, { headers: target.headers, connectTimeoutMs: timeoutMs, postTimeoutMs: timeoutMs });
      case 'ws':
        return await connectWs(target.url, { headers: target.headers, handshakeTimeoutMs: timeoutMs, closeTimeoutMs: Math.min(1000, timeoutMs) });
      case 'tcp':
        return await connectTcp(target.url, { connectTimeoutMs: timeoutMs });
    }
  } catch (err) {
    throw new UnreachableError(`cannot ${target.kind === 'stdio' ? 'start' : 'reach'} ${describeTarget(target)}: ${messageOf(err)}`, err);
  }
}

/** True for a transport failure meaning nobody is there (refused, unresolvable, process gone). */
export function isUnreachableFailure(err: unknown): boolean {
  return err instanceof TransportError && (err.code === 'MCPCERT_ERR_CONNECT' || err.code === 'MCPCERT_ERR_PROCESS');
}
