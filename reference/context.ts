/**
 * Builds the RequestContext a handler runs with: progress that is monotonic and stops at the
 * response, logging filtered by the session's level, and server→client requests gated by what
 * the client declared.
 */
import type { ProtocolVersion } from '../spec/versions.js';
import type { Connection } from '../transport/connection.js';
import { notification, type JsonObject, type JsonValue, type RequestId } from '../transport/jsonrpc.js';
import type { RpcPeer } from '../transport/rpc.js';
import { hasCapability } from './capabilities.js';
import { McpError } from './errors.js';
import { LOG_LEVELS, type LogLevel, type RequestContext, type SessionServices } from './types.js';

/** Which client capability a server→client request needs. */
const CLIENT_GATES: Record<string, string> = {
  'sampling/createMessage': 'sampling',
  'elicitation/create': 'elicitation',
  'roots/list': 'roots',
};

export interface ContextInput {
  version: ProtocolVersion;
  requestId: RequestId;
  params: JsonObject;
  clientCapabilities: JsonObject;
  signal: AbortSignal;
  connection: Connection;
  outgoing: RpcPeer;
  session: SessionServices;
  /** The session's minimum log level; undefined sends every level. */
  logLevel: () => LogLevel | undefined;
}

export interface ManagedContext extends RequestContext {
  /** Called when the response goes out: nothing related to the request may follow it. */
  finish(): void;
}

export function progressToken(params: JsonObject): string | number | undefined {
  const meta = params._meta;
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) return undefined;
  const token = meta.progressToken;
  return typeof token === 'string' || (typeof token === 'number' && Number.isInteger(token)) ? token : undefined;
}

export function createContext(input: ContextInput): ManagedContext {
  const token = progressToken(input.params);
  let lastProgress = -Infinity;
  let finished = false;
  const related = { relatedRequestId: input.requestId };
  const send = (method: string, params: JsonObject) =>
    finished || input.connection.closed ? Promise.resolve() : input.connection.send(notification(method, params), related).catch(() => undefined);

  return {
    version: input.version,
    requestId: input.requestId,
    clientCapabilities: input.clientCapabilities,
    signal: input.signal,
    session: input.session,
    finish() {
      finished = true;
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
      if (minimum !== undefined && LOG_LEVELS.indexOf(level) < LOG_LEVELS.indexOf(minimum)) return Promise.resolve();
      const params: JsonObject = { level, data };
      if (logger !== undefined) params.logger = logger;
      return send('notifications/message', params);
    },
    async request(method, params, options = {}) {
      const gate = CLIENT_GATES[method];
      if (gate !== undefined && !hasCapability(input.clientCapabilities, gate)) {
        throw new McpError(-32601, `the client did not declare the "${gate}" capability needed for ${method}`);
      }
      if (finished) throw new McpError(-32603, `${method} cannot be sent after the response to request ${String(input.requestId)}`);
      return input.outgoing.request(method, params, { relatedRequestId: input.requestId, timeoutMs: options.timeoutMs ?? 60_000 });
    },
  };
}
