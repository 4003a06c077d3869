/**
 * Builds the RequestContext a handler runs with: progress that is monotonic and stops at the
 * response, logging filtered by the session's level, and server→client requests gated by what
 * the client declared.
 */
import type { ProtocolVersion } from '../spec/versions.js';
import type { Connection } from '../transport/connection.js';
import { HttpServerConnection } from '../transport/http/server-connection.js';
import { notification, type JsonObject, type JsonValue, type RequestId } from '../transport/jsonrpc.js';
import type { RpcPeer } from '../transport/rpc.js';
import { clientCapabilityFor } from './capabilities.js';
import { LazyAbort } from './lazy-abort.js';
import { McpError } from './errors.js';
import { LOG_LEVELS, type LogLevel, type RequestContext, type SessionServices } from './types.js';

export interface ContextInput {
  version: ProtocolVersion;
  requestId: RequestId;
  params: JsonObject;
  clientCapabilities: JsonObject;
  /** Created on first use (see LazyAbort). */
  abort: LazyAbort;
  connection: Connection;
  /** How requests to the client go out: JSON-RPC requests (legacy) or MRTR input requests (2026-07-28). */
  askClient: (method: string, params: JsonObject, options: { relatedRequestId?: RequestId; timeoutMs: number; signal: AbortSignal }) => Promise<JsonObject>;
  session: SessionServices;
  /** The minimum level of notifications/message: a level, everything, or nothing at all. */
  logLevel: () => LogLevel | 'all' | 'none';
}

/**
 * askClient for the handshake era: a JSON-RPC request to the client over the same
 * connection, refused (never sent) when the client did not declare the capability it needs
 * (LIFE-016; URL-mode elicitation needs `elicitation.url`).
 */
export function askOver(outgoing: RpcPeer, clientCapabilities: () => JsonObject): ContextInput['askClient'] {
  return (method, params, options) => {
    const gate = clientCapabilityFor(method, params, clientCapabilities());
    if (gate !== undefined && !gate.declared) {
      return Promise.reject(new McpError(-32601, `the client did not declare the "${gate.path}" capability needed for ${method}`));
    }
    return outgoing.request(method, params, options);
  };
}

export interface ManagedContext extends RequestContext {
  /** Called when the response goes out: nothing related to the request may follow it. */
  finish(): void;
  /**
   * A context for work that outlives this request's response: a 2025-11-25 task. Its
   * messages carry the related-task `_meta` and are not tied to the request's HTTP stream;
   * it ends when the task does.
   */
  forTask(taskId: string, signal: AbortSignal, askClient?: ContextInput['askClient']): ManagedContext;
}

export const RELATED_TASK = 'io.modelcontextprotocol/related-task';

/** How long a client told to reconnect (SSE `retry`) should wait. */
const DEFAULT_RETRY_MS = 500;

function withRelatedTask(params: JsonObject, taskId: string | undefined): JsonObject {
  if (taskId === undefined) return params;
  const meta = typeof params._meta === 'object' && params._meta !== null && !Array.isArray(params._meta) ? params._meta : {};
  return { ...params, _meta: { ...meta, [RELATED_TASK]: { taskId } } };
}

export function progressToken(params: JsonObject): string | number | undefined {
  const meta = params._meta;
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) return undefined;
  const token = meta.progressToken;
  return typeof token === 'string' || (typeof token === 'number' && Number.isInteger(token)) ? token : undefined;
}

export function createContext(input: ContextInput, taskId?: string): ManagedContext {
  const token = progressToken(input.params);
  let lastProgress = -Infinity;
  let finished = false;
  // Task work continues after the response, when the request's own HTTP stream is gone.
  const related = taskId === undefined ? { relatedRequestId: input.requestId } : {};
  const send = (method: string, params: JsonObject) =>
    finished || input.connection.closed ? Promise.resolve() : input.connection.send(notification(method, withRelatedTask(params, taskId)), related).catch(() => undefined);

  return {
    version: input.version,
    requestId: input.requestId,
    clientCapabilities: input.clientCapabilities,
    get signal() {
      return input.abort.signal;
    },
    session: input.session,
    finish() {
      finished = true;
    },
    closeStream(retryMs = DEFAULT_RETRY_MS) {
      // Polling (closing the connection before the response) is a 2025-11-25 rule; before it,
      // servers SHOULD NOT close the stream before the response.
      if (finished || input.version !== '2025-11-25' || !(input.connection instanceof HttpServerConnection)) return false;
      return input.connection.disconnectStream(input.requestId, retryMs);
    },
    forTask(id, signal, askClient) {
      const abort = new LazyAbort();
      if (signal.aborted) abort.abort(signal.reason);
      else signal.addEventListener('abort', () => abort.abort(signal.reason), { once: true });
      return createContext({ ...input, abort, ...(askClient ? { askClient } : {}) }, id);
    },
    progress(progress, total, message) {
      // The spec requires progress to increase with every notification: a feature that reports
      // the same value twice is corrected here rather than trusted.
      if (token === undefined || !(progress > lastProgress)) return Promise.resolve();
      lastProgress = progress;
      const params: JsonObject = { progressToken: token, progress };
      if (total !== undefined) params.total = total;
      if (message !== undefined && input.version !== '2024-11-05') params.message = message;
      return send('notifications/progress', params);
    },
    log(level: LogLevel, data: JsonValue, logger?: string) {
      const minimum = input.logLevel();
      if (minimum === 'none' || (minimum !== 'all' && LOG_LEVELS.indexOf(level) < LOG_LEVELS.indexOf(minimum))) return Promise.resolve();
      const params: JsonObject = { level, data };
      if (logger !== undefined) params.logger = logger;
      return send('notifications/message', params);
    },
    async request(method, params, options = {}) {
      if (finished) throw new McpError(-32603, `${method} cannot be sent after the response to request ${String(input.requestId)}`);
      // Cancelling the call cancels what it is waiting for on the client, too.
      return input.askClient(method, withRelatedTask(params, taskId), { ...related, timeoutMs: options.timeoutMs ?? 60_000, signal: input.abort.signal });
    },
  };
}
