/**
 * A client session as a check sees it: requests whose answers come back as data (a JSON-RPC
 * error is the target's answer, not an exception), everything else the target sent kept for
 * judging (notifications, requests to us, responses to nothing, unusable frames), and the
 * transcript recorded through a RecordedConnection.
 *
 * Only our side's failures throw: no answer in time (NoResponseError), the connection gone
 * (TargetClosedError), the transport refusing the message (TransportFailure).
 */
import type { Connection, MessageMeta } from '../transport/connection.js';
import { isPlainObject } from '../transport/codec.js';
import { MessageError, TransportError } from '../transport/errors.js';
import { HttpClientConnection, type HttpExchange } from '../transport/http/client.js';
import {
  errorResponse,
  isErrorResponse,
  isNotification,
  isRequest,
  isResult,
  notification,
  request,
  result as resultMessage,
  type JsonObject,
  type JsonRpcError,
  type JsonRpcErrorObject,
  type JsonRpcMessage,
  type JsonRpcNotification,
  type JsonRpcPayload,
  type JsonRpcRequest,
  type JsonRpcResponse,
  type JsonRpcResult,
  type JsonValue,
  type RequestId,
} from '../transport/jsonrpc.js';
import { era, isProtocolVersion, type ProtocolVersion } from '../spec/versions.js';
import { isUnreachableFailure, openConnection } from './connect.js';
import { NoResponseError, TargetClosedError, TransportFailure, UnreachableError, messageOf } from './errors.js';
import { BoundedLog } from './bounded-log.js';
import { mirroredHeaders, modernMeta, withModernMeta } from './modern.js';
import { isFrameFault, RecordedConnection, redactHeaders, type Recorder } from './record.js';
import type { Target } from './target.js';

export type Reply =
  | { kind: 'result'; id: RequestId; result: JsonObject; message: JsonRpcResult; meta: MessageMeta }
  | { kind: 'error'; id: RequestId; error: JsonRpcErrorObject; message: JsonRpcError; meta: MessageMeta }
  /** A frame that carried our id but is not a valid JSON-RPC response (e.g. a fractional error code). */
  | { kind: 'invalid'; id: RequestId; reason: string; raw: string };

export interface RequestOptions {
  timeoutMs?: number;
  /** Use this id instead of the next counter value. */
  id?: RequestId;
  /** Streamable HTTP: headers for this POST only, over the computed ones. */
  headers?: Record<string, string>;
  /** 2026-07-28: extra `_meta` entries (they win over the defaults). */
  meta?: JsonObject;
}

/**
 * Answers a request the target sent us (sampling, elicitation, roots…) with a result, or returns
 * undefined to refuse it with -32601. Only checks that declared the matching client capability
 * should answer.
 */
export type ServerRequestAnswerer = (request: JsonRpcRequest) => JsonObject | undefined;

export interface SessionOptions {
  /** Default bound on each request. */
  timeoutMs: number;
  /** Names the connection in transcripts: `#1`, `#2`… */
  label: string;
  clientInfo: { name: string; version: string };
}

/** State the transport's header callback reads; it exists before the Session does. */
interface SharedState {
  headerOverrides: Map<string, Record<string, string>>;
  toolSchemas: Map<string, JsonValue>;
}

interface Pending {
  method: string;
  id: RequestId;
  resolve: (reply: Reply) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** Bounds on what a session keeps, so a flooding target cannot exhaust memory. */
const KEEP_NOTIFICATIONS = 1000;
const KEEP_OTHER = 100;
const KEEP_STDERR = 20;

export function idKey(id: RequestId): string {
  return `${typeof id}:${String(id)}`;
}

export class Session {
  readonly target: Target;
  readonly connection: RecordedConnection;
  readonly label: string;
  /** The version this session speaks (set by initialize for the handshake era). */
  version: ProtocolVersion;
  /** What the target answered to initialize, if this session made one. */
  initializeResult: JsonObject | undefined;
  /** Where the transcript goes now; the runner points it at the running check's recorder. */
  recorder: Recorder | undefined;

  readonly notifications = new BoundedLog<JsonRpcNotification>(KEEP_NOTIFICATIONS);
  /** Requests the target sent us (answered: ping with {}, others by `answerServerRequest`, else -32601). */
  readonly serverRequests = new BoundedLog<JsonRpcRequest>(KEEP_OTHER);
  /** Set by checks whose client declared capabilities (sampling, elicitation, roots) to answer for them. */
  answerServerRequest: ServerRequestAnswerer | undefined;
  /** Responses whose id matched no request in flight. */
  readonly unmatched = new BoundedLog<JsonRpcResponse>(KEEP_OTHER);
  /**
   * Responses that came after their request's timeout: late, not unsolicited, so a check
   * watching for answers nobody asked for does not blame them on what it is probing.
   */
  readonly late = new BoundedLog<JsonRpcResponse>(KEEP_OTHER);
  /** Unusable frames (bad JSON, cut-off lines, …) that carried no id of ours. */
  readonly frameErrors = new BoundedLog<TransportError>(KEEP_OTHER);
  readonly stderrTail: string[] = [];
  /** Every message the target sent (the newest, bounded), for checks that validate them all. */
  readonly received = new BoundedLog<JsonRpcMessage>(KEEP_NOTIFICATIONS);

  readonly #options: SessionOptions;
  readonly #pending = new Map<string, Pending>();
  /** Ids of requests given up on (timed out), oldest first, bounded. */
  readonly #expired = new Set<string>();
  readonly #headerOverrides: Map<string, Record<string, string>>;
  readonly #toolSchemas: Map<string, JsonValue>;
  #nextId = 1;
  #closeReason: string | undefined;

  private constructor(target: Target, version: ProtocolVersion, options: SessionOptions, inner: Connection, recorder: Recorder | undefined, shared: SharedState) {
    this.target = target;
    this.#headerOverrides = shared.headerOverrides;
    this.#toolSchemas = shared.toolSchemas;
    this.version = version;
    this.label = options.label;
    this.#options = options;
    this.recorder = recorder;
    this.connection = new RecordedConnection(inner, () => this.recorder, options.label);
    this.connection.on('message', (message, meta) => this.#onMessage(message, meta));
    this.connection.on('error', (error) => this.#onFrameError(error));
    this.connection.on('log', (line) => {
      this.stderrTail.push(line);
      if (this.stderrTail.length > KEEP_STDERR) this.stderrTail.shift();
    });
    this.connection.on('close', (info) => {
      this.#closeReason = info.reason;
      const reason = this.#describeClose(info.reason);
      for (const [key, pending] of this.#pending) {
        clearTimeout(pending.timer);
        this.#pending.delete(key);
        pending.reject(new TargetClosedError(pending.method, pending.id, reason));
      }
    });
  }

  /**
   * Connects (spawns, dials) and wraps the connection.
   * @throws UnreachableError when the target cannot be started or reached.
   */
  static async open(target: Target, version: ProtocolVersion, options: SessionOptions, recorder?: Recorder): Promise<Session> {
    let session: Session | undefined;
    const shared: SharedState = { headerOverrides: new Map(), toolSchemas: new Map() };
    const onExchange = (exchange: HttpExchange): void => {
      session?.recorder?.http('received', {
        method: exchange.method,
        url: exchange.url,
        status: exchange.status,
        requestHeaders: redactHeaders(exchange.requestHeaders),
        headers: redactHeaders(exchange.headers),
      }, options.label);
    };
    const messageHeaders = (payload: JsonRpcPayload): Record<string, string> => {
      const computed = mirroredHeaders(payload, (tool) => shared.toolSchemas.get(tool));
      const override = !Array.isArray(payload) && 'id' in payload && payload.id !== undefined && payload.id !== null ? shared.headerOverrides.get(idKey(payload.id)) : undefined;
      return { ...computed, ...(override ?? {}) };
    };
    const inner = await openConnection(target, { timeoutMs: options.timeoutMs, onExchange, messageHeaders });
    session = new Session(target, version, options, inner, recorder, shared);
    return session;
  }

  get era(): 'legacy' | 'modern' {
    return era(this.version);
  }

  get closed(): boolean {
    return this.connection.closed;
  }

  get sessionId(): string | undefined {
    return this.connection.sessionId;
  }

  /** The Streamable HTTP client underneath, for checks about sessions and headers. */
  get http(): HttpClientConnection | undefined {
    return this.connection.inner instanceof HttpClientConnection ? this.connection.inner : undefined;
  }

  /** Why the connection closed, with the last stderr lines of a stdio target. */
  get closeReason(): string | undefined {
    return this.#closeReason === undefined ? undefined : this.#describeClose(this.#closeReason);
  }

  /** Sends a request and waits for its response (a JSON-RPC error resolves, as data). */
  request(method: string, params?: JsonObject, options: RequestOptions = {}): Promise<Reply> {
    const id = options.id ?? this.#nextId++;
    return this.send(request(id, method, params), options);
  }

  /**
   * Sends a request message exactly as given (checks about ids and malformed params need that)
   * and waits for the response carrying its id.
   */
  send(message: JsonRpcRequest, options: RequestOptions = {}): Promise<Reply> {
    const { id, method } = message;
    const key = idKey(id);
    const timeoutMs = options.timeoutMs ?? this.#options.timeoutMs;
    if (this.#pending.has(key)) return Promise.reject(new TransportFailure(method, `request id ${JSON.stringify(id)} is already in flight`));
    if (this.closed) return Promise.reject(new TargetClosedError(method, id, this.closeReason ?? 'closed'));
    if (options.headers) this.#headerOverrides.set(key, options.headers);
    return new Promise<Reply>((resolve, reject) => {
      const done = (): void => {
        this.#headerOverrides.delete(key);
      };
      const timer = setTimeout(() => {
        if (!this.#pending.delete(key)) return;
        this.#expired.add(key);
        if (this.#expired.size > KEEP_OTHER) this.#expired.delete(this.#expired.values().next().value!);
        done();
        reject(new NoResponseError(method, id, timeoutMs));
      }, timeoutMs);
      this.#pending.set(key, {
        method,
        id,
        timer,
        resolve: (reply) => {
          done();
          resolve(reply);
        },
        reject: (error) => {
          done();
          reject(error);
        },
      });
      this.connection.send(message).catch((err: unknown) => {
        // An HTTP error status may have carried the JSON-RPC error for this id: then it is settled.
        const pending = this.#pending.get(key);
        if (!pending) return;
        this.#pending.delete(key);
        clearTimeout(pending.timer);
        pending.reject(this.#sendFailure(method, id, err));
      });
    });
  }

  /** A request of the negotiated era: 2026-07-28 requests get their `_meta` (and mirrored headers). */
  call(method: string, params?: JsonObject, options: RequestOptions = {}): Promise<Reply> {
    return this.request(method, this.eraParams(params, options.meta), options);
  }

  /** `params` as this session's era sends them: 2026-07-28 adds the `_meta` fields. */
  eraParams(params?: JsonObject, meta?: JsonObject): JsonObject | undefined {
    return this.era === 'legacy' ? params : withModernMeta(params, this.modernMeta(meta));
  }

  /** The `_meta` this session's 2026-07-28 requests carry. */
  modernMeta(extra?: JsonObject): JsonObject {
    return modernMeta(this.version, this.#options.clientInfo, extra);
  }

  async notify(method: string, params?: JsonObject): Promise<void> {
    try {
      await this.connection.send(notification(method, params));
    } catch (err) {
      throw this.#sendFailure(method, '(notification)', err);
    }
  }

  /**
   * The handshake of the legacy era: `initialize`, then (on a result) `notifications/initialized`.
   * The session then speaks the version the target answered when mcpcert knows it.
   */
  async initialize(version: string, options: { capabilities?: JsonObject; timeoutMs?: number } = {}): Promise<Reply> {
    const reply = await this.request('initialize', { protocolVersion: version, capabilities: options.capabilities ?? {}, clientInfo: { ...this.#options.clientInfo } }, options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs });
    if (reply.kind !== 'result') return reply;
    this.initializeResult = reply.result;
    const answered = reply.result.protocolVersion;
    const spoken = isProtocolVersion(answered) ? answered : isProtocolVersion(version) ? version : this.version;
    this.version = spoken;
    // MCP-Protocol-Version is required on every later request from 2025-06-18 on.
    if (spoken >= '2025-06-18') this.http?.setProtocolVersion(spoken);
    await this.notify('notifications/initialized');
    return reply;
  }

  /** Tells requests in flight to give up now (a check ran out of time). */
  abortPending(reason: string): void {
    for (const [key, pending] of this.#pending) {
      clearTimeout(pending.timer);
      this.#pending.delete(key);
      pending.reject(new TargetClosedError(pending.method, pending.id, reason));
    }
  }

  get inFlight(): number {
    return this.#pending.size;
  }

  /** Closes the connection (a stdio target is asked to exit, then terminated). Never throws. */
  async close(): Promise<void> {
    this.abortPending('the session was closed');
    await this.connection.close('check finished').catch(() => undefined);
  }

  #onMessage(message: JsonRpcMessage, meta: MessageMeta): void {
    this.received.push(message);
    if (isResult(message) || isErrorResponse(message)) {
      const id = message.id;
      const pending = id === undefined || id === null ? undefined : this.#pending.get(idKey(id));
      if (pending === undefined || id === undefined || id === null) {
        if (id !== undefined && id !== null && this.#expired.delete(idKey(id))) this.late.push(message);
        else this.unmatched.push(message);
        return;
      }
      this.#pending.delete(idKey(id));
      clearTimeout(pending.timer);
      if (isResult(message)) {
        if (pending.method === 'tools/list') this.#learnTools(message.result);
        pending.resolve({ kind: 'result', id, result: message.result, message, meta });
      } else {
        pending.resolve({ kind: 'error', id, error: message.error, message, meta });
      }
      return;
    }
    if (isRequest(message)) {
      this.serverRequests.push(message);
      // Unless a check declared client capabilities and answers for them, only ping has an answer.
      const answer = message.method === 'ping' ? {} : this.answerServerRequest?.(message);
      const reply = answer !== undefined ? resultMessage(message.id, answer) : errorResponse(message.id, -32601, `mcpcert declared no client capability for ${message.method}`);
      if (!this.closed) this.connection.send(reply).catch(() => undefined);
      return;
    }
    if (isNotification(message)) this.notifications.push(message);
  }

  #onFrameError(error: TransportError | MessageError): void {
    if (!isFrameFault(error)) return;
    const id = error instanceof MessageError ? error.requestId : null;
    const pending = id === null ? undefined : this.#pending.get(idKey(id));
    if (pending === undefined || id === null) {
      this.frameErrors.push(error);
      return;
    }
    this.#pending.delete(idKey(id));
    clearTimeout(pending.timer);
    pending.resolve({ kind: 'invalid', id, reason: error.message, raw: error.raw ?? '' });
  }

  #learnTools(result: JsonObject): void {
    const tools = result.tools;
    if (!Array.isArray(tools)) return;
    for (const tool of tools) {
      if (isPlainObject(tool) && typeof tool.name === 'string' && tool.inputSchema !== undefined) this.#toolSchemas.set(tool.name, tool.inputSchema);
    }
  }

  #sendFailure(method: string, id: RequestId, err: unknown): Error {
    if (isUnreachableFailure(err)) return new UnreachableError(`cannot reach the target: ${messageOf(err)}`, err);
    if (err instanceof TransportError && err.code === 'MCPCERT_ERR_CLOSED') return new TargetClosedError(method, id, this.closeReason ?? err.message);
    const status = err instanceof TransportError ? err.status : undefined;
    return new TransportFailure(method, messageOf(err), status, err);
  }

  #describeClose(reason: string): string {
    const tail = this.stderrTail.slice(-5);
    return tail.length === 0 ? reason : `${reason}; last stderr lines: ${tail.join(' | ')}`;
  }
}
