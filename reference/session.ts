/**
 * One legacy-era MCP session (2024-11-05 … 2025-11-25) on one Connection: the lifecycle
 * (initialize → initialized → operation), version negotiation, request dispatch with
 * cancellation, batches (2025-03-26 only), and the notifications a session is entitled to.
 */
import { randomUUID } from 'node:crypto';
import { methodInfo } from '../spec/methods.js';
import { validate } from '../spec/validate.js';
import { PROTOCOL_VERSIONS, type ProtocolVersion } from '../spec/versions.js';
import type { Connection, MessageMeta } from '../transport/connection.js';
import { MessageError, type TransportError } from '../transport/errors.js';
import {
  errorResponse,
  ErrorCode,
  isNotification,
  isRequest,
  notification,
  result,
  type JsonObject,
  type JsonRpcMessage,
  type JsonRpcNotification,
  type JsonRpcRequest,
  type JsonRpcResponse,
  type RequestId,
} from '../transport/jsonrpc.js';
import { RpcPeer } from '../transport/rpc.js';
import { serverCapabilities } from './capabilities.js';
import { askOver, createContext } from './context.js';
import { LazyAbort } from './lazy-abort.js';
import { McpError } from './errors.js';
import type { Handler, ServerCore } from './server-core.js';
import type { ListName } from './registry.js';
import type { LogLevel } from './types.js';

/** The handshake-era versions, newest first: the counter-offer is the first. */
const HANDSHAKE_VERSIONS = PROTOCOL_VERSIONS.filter((v) => v !== '2026-07-28').reverse();

export function negotiateVersion(requested: string): ProtocolVersion {
  return (HANDSHAKE_VERSIONS as readonly string[]).includes(requested) ? (requested as ProtocolVersion) : HANDSHAKE_VERSIONS[0]!;
}

type Phase = 'new' | 'initializing' | 'operating';

interface BatchCollector {
  expected: number;
  arrived: number;
  size: number;
  responses: JsonRpcResponse[];
}

export class LegacySession {
  readonly id = randomUUID();
  readonly connection: Connection;
  readonly #core: ServerCore;
  readonly #outgoing: RpcPeer;
  #phase: Phase = 'new';
  #version: ProtocolVersion | undefined;
  #clientCapabilities: JsonObject = {};
  #logLevel: LogLevel | undefined;
  readonly #inFlight = new Map<RequestId, { method: string; abort: LazyAbort }>();
  readonly #subscriptions = new Set<string>();
  readonly #batches = new Map<number, BatchCollector>();
  /** Last time the client sent anything, for idle expiry of HTTP sessions. */
  lastActivity = Date.now();

  constructor(core: ServerCore, connection: Connection) {
    this.#core = core;
    this.connection = connection;
    this.#outgoing = new RpcPeer(connection, { answerRequests: false });
    // Messages, frame errors and the close arrive through the ConnectionRouter, which decides
    // per message which era it belongs to.
    core.registry.on('listChanged', this.#onListChanged);
    core.registry.on('resourceUpdated', this.#onResourceUpdated);
  }

  get version(): ProtocolVersion | undefined {
    return this.#version;
  }

  get phase(): Phase {
    return this.#phase;
  }

  get inFlight(): number {
    return this.#inFlight.size;
  }

  setLogLevel(level: LogLevel): void {
    this.#logLevel = level;
  }

  /** One message of the legacy era (the router's decision). */
  receive(message: JsonRpcMessage, meta: MessageMeta): void {
    this.lastActivity = meta.receivedAt;
    if (meta.batch) {
      this.#onBatchMember(message, meta);
      return;
    }
    if (isRequest(message)) void this.#handleRequest(message, meta);
    else if (isNotification(message)) this.#handleNotification(message);
    // Responses are matched by the RpcPeer that sent the server→client requests.
  }

  /** A frame that was not a usable message gets the JSON-RPC answer the spec gives it. */
  receiveError(error: TransportError | MessageError): void {
    if (error instanceof MessageError) {
      void this.#reply(errorResponse(error.requestId, error.rpcCode, error.message));
      return;
    }
    // HTTP transports answer bad bodies with a status themselves (the error carries it).
    if (error.status !== undefined) return;
    if (error.code === 'MCPCERT_ERR_INVALID_UTF8') void this.#reply(errorResponse(null, ErrorCode.ParseError, 'Parse error: the message is not valid UTF-8'));
    else if (error.code === 'MCPCERT_ERR_FRAME_TOO_LARGE') void this.#reply(errorResponse(null, ErrorCode.InvalidRequest, `Invalid Request: ${error.message}`));
    else if (error.code === 'MCPCERT_ERR_BINARY_FRAME') void this.#reply(errorResponse(null, ErrorCode.InvalidRequest, 'Invalid Request: binary frames are not JSON-RPC messages'));
  }

  /** The connection is gone: everything in progress stops. */
  closed(): void {
    for (const { abort } of this.#inFlight.values()) abort.abort(new McpError(ErrorCode.InternalError, 'connection closed'));
    this.#inFlight.clear();
    this.#core.registry.off('listChanged', this.#onListChanged);
    this.#core.registry.off('resourceUpdated', this.#onResourceUpdated);
    this.#core.sessionClosed(this);
  }

  readonly #onListChanged = (list: ListName): void => {
    if (this.#phase !== 'operating' || !this.#version) return;
    void this.#notify(`notifications/${list}/list_changed`);
  };

  readonly #onResourceUpdated = (uri: string): void => {
    if (this.#phase !== 'operating' || !this.#subscriptions.has(uri)) return;
    void this.#notify('notifications/resources/updated', { uri });
  };

  #notify(method: string, params?: JsonObject): Promise<void> {
    if (this.connection.closed) return Promise.resolve();
    return this.connection.send(notification(method, params)).catch(() => undefined);
  }

  #reply(response: JsonRpcResponse): Promise<void> {
    if (this.connection.closed) return Promise.resolve();
    const options = response.id === undefined || response.id === null ? {} : { relatedRequestId: response.id };
    return this.connection.send(response, options).catch(() => undefined);
  }

  // ---- batches (2025-03-26) -------------------------------------------------------------

  #onBatchMember(message: JsonRpcMessage, meta: MessageMeta): void {
    const batch = meta.batch!;
    if (batch.index === 0) {
      // Only 2025-03-26 has batches, and `initialize` may never be in one (so a batch can
      // never start a session).
      if (this.#version !== '2025-03-26') {
        const why = this.#version === undefined ? 'a JSON-RPC batch cannot start a session (initialize must be sent alone)' : `JSON-RPC batches are not supported in protocol version ${this.#version}`;
        void this.#reply(errorResponse(null, ErrorCode.InvalidRequest, `Invalid Request: ${why}`));
        this.#batches.set(batch.id, { expected: -1, arrived: 0, size: batch.size, responses: [] });
      } else {
        this.#batches.set(batch.id, { expected: 0, arrived: 0, size: batch.size, responses: [] });
      }
    }
    const collector = this.#batches.get(batch.id);
    if (!collector) return;
    collector.arrived++;
    if (collector.expected === -1) {
      if (collector.arrived === collector.size) this.#batches.delete(batch.id);
      return;
    }
    if (isRequest(message)) {
      collector.expected++;
      if (message.method === 'initialize') {
        this.#collect(batch.id, errorResponse(message.id, ErrorCode.InvalidRequest, 'Invalid Request: initialize must not be part of a JSON-RPC batch'));
      } else {
        void this.#handleRequest(message, meta, (response) => this.#collect(batch.id, response));
      }
    } else if (isNotification(message)) {
      this.#handleNotification(message);
    }
    this.#flushBatch(batch.id);
  }

  #collect(batchId: number, response: JsonRpcResponse): void {
    this.#batches.get(batchId)?.responses.push(response);
    this.#flushBatch(batchId);
  }

  #flushBatch(batchId: number): void {
    const c = this.#batches.get(batchId);
    if (!c || c.arrived < c.size || c.responses.length < c.expected) return;
    this.#batches.delete(batchId);
    if (c.responses.length === 0 || this.connection.closed) return;
    // Streamable HTTP gathers a POST's responses itself; stream transports need the array.
    if (this.connection.transport === 'http') for (const r of c.responses) void this.#reply(r);
    else void this.connection.send(c.responses).catch(() => undefined);
  }

  // ---- requests ---------------------------------------------------------------------------

  async #handleRequest(req: JsonRpcRequest, meta: MessageMeta, respond: (r: JsonRpcResponse) => void = (r) => void this.#reply(r)): Promise<void> {
    if (this.#inFlight.has(req.id)) {
      respond(errorResponse(req.id, ErrorCode.InvalidRequest, `Invalid Request: request id ${JSON.stringify(req.id)} is already in use by a request in progress`));
      return;
    }
    if (this.#inFlight.size >= this.#core.limits.maxInFlight) {
      respond(errorResponse(req.id, ErrorCode.InternalError, `Server busy: ${this.#inFlight.size} requests are already in progress on this session`));
      return;
    }
    const abort = new LazyAbort();
    this.#inFlight.set(req.id, { method: req.method, abort });
    try {
      const value = await this.#dispatch(req, meta, abort);
      if (abort.aborted) return; // cancelled: the spec says not to answer
      respond(result(req.id, value));
    } catch (err) {
      if (abort.aborted && !(err instanceof McpError && req.method === 'initialize')) return;
      respond(toErrorResponse(req.id, err));
    } finally {
      this.#inFlight.delete(req.id);
    }
  }

  async #dispatch(req: JsonRpcRequest, meta: MessageMeta, abort: LazyAbort): Promise<JsonObject> {
    const params = req.params ?? {};
    if (req.method === 'initialize') return this.#initialize(req);
    if (req.method === 'ping') return {};
    if (this.#phase === 'new' || !this.#version) {
      throw new McpError(ErrorCode.InvalidRequest, `Invalid Request: the session is not initialized; send initialize before ${req.method}`);
    }
    const version = this.#version;
    const info = methodInfo(version, req.method);
    const handler = this.#core.handlers.get(req.method);
    if (!info || info.kind !== 'request' || info.direction === 'server-to-client' || !handler) {
      throw new McpError(ErrorCode.MethodNotFound, `Method not found: ${req.method}${info ? '' : ` (not part of protocol version ${version})`}`);
    }
    const checked = validate(version, info.definition, req);
    if (!checked.ok) throw new McpError(ErrorCode.InvalidParams, `Invalid params for ${req.method}: ${checked.summary}`);
    const ctx = createContext({
      version,
      requestId: req.id,
      params,
      clientCapabilities: this.#clientCapabilities,
      abort,
      connection: this.connection,
      askClient: askOver(this.#outgoing, () => this.#clientCapabilities),
      session: {
        id: this.id,
        subscribe: (uri) => this.#subscriptions.add(uri),
        unsubscribe: (uri) => this.#subscriptions.delete(uri),
        setLogLevel: (level) => this.setLogLevel(level),
        notify: (method, params) => this.#notify(method, params),
      },
      logLevel: () => this.#logLevel ?? 'all',
    });
    try {
      return await handler(params, ctx, meta);
    } finally {
      ctx.finish();
    }
  }

  #initialize(req: JsonRpcRequest): JsonObject {
    if (this.#phase !== 'new') throw new McpError(ErrorCode.InvalidRequest, 'Invalid Request: initialize may be sent only once per session');
    const params = req.params ?? {};
    const requested = params.protocolVersion;
    if (typeof requested !== 'string') throw new McpError(ErrorCode.InvalidParams, 'Invalid params for initialize: protocolVersion must be a string');
    const version = negotiateVersion(requested);
    // The shape of initialize is checked against the version that will be spoken.
    const checked = validate(version, 'InitializeRequest', req);
    if (!checked.ok) throw new McpError(ErrorCode.InvalidParams, `Invalid params for initialize: ${checked.summary}`);
    this.#version = version;
    this.#clientCapabilities = (params.capabilities as JsonObject | undefined) ?? {};
    this.#phase = 'initializing';
    const res: JsonObject = {
      protocolVersion: version,
      capabilities: serverCapabilities(version),
      serverInfo: this.#core.serverInfo(version),
    };
    if (this.#core.instructions) res.instructions = this.#core.instructions;
    return res;
  }

  // ---- notifications ------------------------------------------------------------------------

  #handleNotification(n: JsonRpcNotification): void {
    switch (n.method) {
      case 'notifications/initialized':
        if (this.#phase === 'initializing') this.#phase = 'operating';
        return;
      case 'notifications/cancelled': {
        const id = n.params?.requestId;
        if (typeof id !== 'string' && typeof id !== 'number') return;
        const entry = this.#inFlight.get(id);
        // initialize must not be cancelled; unknown or finished ids are ignored, as the spec asks.
        if (entry && entry.method !== 'initialize') entry.abort.abort(new McpError(ErrorCode.InternalError, 'cancelled by the client'));
        return;
      }
      // Anything else (notifications/progress for our requests, roots/list_changed, unknown
      // notifications) needs no answer and changes nothing.
    }
  }
}

export function toErrorResponse(id: RequestId, err: unknown): JsonRpcResponse {
  if (err instanceof McpError) return errorResponse(id, err.code, err.message, err.data);
  return errorResponse(id, ErrorCode.InternalError, `Internal error: ${err instanceof Error ? err.message : String(err)}`);
}

export type { Handler };
