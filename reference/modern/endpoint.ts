/**
 * The 2026-07-28 side of a connection: every request stands alone. Version, capabilities and
 * log level come from its `_meta`; nothing is remembered between requests except what is in
 * flight (for stdio cancellation) and open subscriptions.
 */
import { randomUUID } from 'node:crypto';
import { methodInfo } from '../../spec/methods.js';
import { validate } from '../../spec/validate.js';
import type { Connection, MessageMeta } from '../../transport/connection.js';
import { errorResponse, ErrorCode, result, type JsonObject, type JsonRpcRequest, type JsonRpcResponse, type RequestId } from '../../transport/jsonrpc.js';
import { serverCapabilities } from '../capabilities.js';
import { createContext, type ContextInput } from '../context.js';
import { LazyAbort } from '../lazy-abort.js';
import { McpError } from '../errors.js';
import type { Handler, ServerCore } from '../server-core.js';
import type { SessionServices } from '../types.js';
import { decorateResult } from './decorate.js';
import { Subscription } from './listen.js';
import { ErrorCodes, MODERN_VERSIONS, readRequestMeta, type RequestMeta } from './meta.js';
import { MRTR_METHODS, MrtrAttempt, verifyState } from './mrtr.js';
import { declaresTasks, detailedTask, TASKS_CAPABILITY } from './tasks-ext.js';

const VERSION = '2026-07-28';

const TASK_METHODS: ReadonlySet<string> = new Set(['tasks/get', 'tasks/update', 'tasks/cancel']);

/** Who a stateless request comes from: its authenticated principal, or nobody in particular. */
function ownerOf(meta: MessageMeta): string {
  return meta.http?.principal?.id ?? '';
}

/** HTTP status for a JSON-RPC error of the stateless era (spec digest §B.5). */
export function httpStatusFor(code: number): number {
  if (code === ErrorCode.MethodNotFound) return 404;
  if (code === ErrorCode.InvalidParams || code === -32020 || code === -32021 || code === -32022 || code === ErrorCode.InvalidRequest) return 400;
  return 500;
}

export function discoverHandler(core: ServerCore): Handler {
  return () => {
    const res: JsonObject = { supportedVersions: [...MODERN_VERSIONS], capabilities: serverCapabilities(VERSION) };
    if (core.instructions) res.instructions = core.instructions;
    return res;
  };
}

/** Statelessness: there is no session to subscribe through or to set a level on. */
function statelessServices(): SessionServices {
  const refuse = () => {
    throw new McpError(ErrorCode.MethodNotFound, 'not available in protocol version 2026-07-28');
  };
  return { id: randomUUID(), subscribe: refuse, unsubscribe: refuse, setLogLevel: refuse, notify: () => Promise.resolve() };
}

const noClientRequests: ContextInput['askClient'] = () => Promise.reject(new McpError(ErrorCode.InternalError, `only ${[...MRTR_METHODS].join(', ')} may ask the client for input`));

export class ModernEndpoint {
  readonly #core: ServerCore;
  readonly #connection: Connection;
  readonly #inFlight = new Map<RequestId, LazyAbort>();
  readonly #subscriptions = new Map<RequestId, Subscription>();

  constructor(core: ServerCore, connection: Connection) {
    this.#core = core;
    this.#connection = connection;
  }

  owns(id: RequestId): boolean {
    return this.#inFlight.has(id) || this.#subscriptions.has(id);
  }

  /** stdio-style cancellation: the request stops and gets no answer (M-STDIO-010). */
  cancel(id: RequestId): void {
    this.#inFlight.get(id)?.abort(new McpError(ErrorCode.InternalError, 'cancelled by the client'));
    const subscription = this.#subscriptions.get(id);
    if (subscription) {
      subscription.stop();
      this.#subscriptions.delete(id);
    }
  }

  /** The connection is gone (on HTTP this is how a client cancels). */
  closed(): void {
    for (const abort of this.#inFlight.values()) abort.abort(new McpError(ErrorCode.InternalError, 'connection closed'));
    this.#inFlight.clear();
    for (const s of this.#subscriptions.values()) s.stop();
    this.#subscriptions.clear();
  }

  /** The server shuts down: subscriptions end with their graceful response. */
  async shutdown(): Promise<void> {
    await Promise.all([...this.#subscriptions.values()].map((s) => s.end()));
    this.#subscriptions.clear();
  }

  async handle(req: JsonRpcRequest, meta: MessageMeta): Promise<void> {
    if (this.owns(req.id)) {
      await this.#reply(errorResponse(req.id, ErrorCode.InvalidRequest, `Invalid Request: request id ${JSON.stringify(req.id)} is already in use by a request in progress`));
      return;
    }
    const abort = new LazyAbort();
    this.#inFlight.set(req.id, abort);
    let response: JsonRpcResponse | undefined;
    try {
      const value = await this.#dispatch(req, meta, abort);
      if (value !== undefined) response = result(req.id, value);
    } catch (err) {
      response = err instanceof McpError ? errorResponse(req.id, err.code, err.message, err.data) : errorResponse(req.id, ErrorCode.InternalError, `Internal error: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      this.#inFlight.delete(req.id);
    }
    // A cancelled request gets nothing more (M-STDIO-010, M-HTTP-021).
    if (response && !abort.aborted) await this.#reply(response);
  }

  /** Resolves to the result, or undefined when the request stays open (a subscription). */
  async #dispatch(req: JsonRpcRequest, meta: MessageMeta, abort: LazyAbort): Promise<JsonObject | undefined> {
    const requestMeta = readRequestMeta(req.params);
    // Tasks are the one extension this server speaks; its methods are not in the core schema.
    if (TASK_METHODS.has(req.method)) return decorateResult(req.method, this.#taskMethod(req, meta), this.#core.serverInfo(VERSION));
    const info = methodInfo(VERSION, req.method);
    if (!info || info.kind !== 'request' || info.direction === 'server-to-client' || info.mrtrOnly) {
      throw new McpError(ErrorCode.MethodNotFound, `Method not found: ${req.method}`);
    }
    const checked = validate(VERSION, info.definition, req);
    if (!checked.ok) throw new McpError(ErrorCode.InvalidParams, `Invalid params for ${req.method}: ${checked.summary}`);
    if (req.method === 'subscriptions/listen') {
      await this.#listen(req, requestMeta, meta);
      return undefined;
    }
    const handler = this.#core.handlers.get(req.method);
    if (!handler) throw new McpError(ErrorCode.MethodNotFound, `Method not found: ${req.method}`);
    const params = req.params ?? {};
    const attempt = this.#attemptFor(req.method, params, requestMeta, ownerOf(meta));
    const ctx = createContext({
      version: VERSION,
      requestId: req.id,
      params,
      clientCapabilities: requestMeta.capabilities,
      abort,
      connection: this.#connection,
      askClient: attempt ? attempt.ask : noClientRequests,
      session: statelessServices(),
      // Without a logLevel in _meta the client did not opt in: no notifications/message (M-LOG-003).
      logLevel: () => requestMeta.logLevel ?? 'none',
    });
    const asTask = req.method === 'tools/call' ? this.#taskDecision(params, requestMeta) : false;
    if (asTask) {
      const task = this.#core.modernTasks.start(ownerOf(meta), ctx, (taskCtx) => handler(params, taskCtx, meta));
      ctx.finish();
      return decorateResult(req.method, { ...detailedTask(task), resultType: 'task' }, this.#core.serverInfo(VERSION));
    }
    let value: JsonObject | undefined;
    let failure: unknown;
    try {
      value = await handler(params, ctx, meta);
    } catch (err) {
      failure = err;
    } finally {
      ctx.finish();
    }
    // What the request asked of the client decides the answer, whatever the feature did with
    // the errors it was thrown on the way (features may turn them into error results).
    const override = attempt?.outcome(req.method, params);
    if (override && 'error' in override) throw override.error;
    if (override) value = override.result;
    else if (failure !== undefined) throw failure;
    return decorateResult(req.method, value ?? {}, this.#core.serverInfo(VERSION));
  }

  /**
   * Whether this tools/call becomes a task. The server decides (SEP-2663): tools that declare
   * task support run as tasks for requests that declared the extension; a tool that can only
   * run as a task is refused with -32021 to a request that did not.
   */
  #taskDecision(params: JsonObject, requestMeta: RequestMeta): boolean {
    const tool = typeof params.name === 'string' ? this.#core.registry.tool(params.name) : undefined;
    const support = tool?.taskSupport ?? 'forbidden';
    if (support === 'forbidden') return false;
    if (declaresTasks(requestMeta.capabilities)) return params.inputResponses === undefined;
    if (support === 'required') throw new McpError(ErrorCodes.MissingRequiredClientCapability, `Missing required client capability: tool ${String(params.name)} runs only as a task`, { requiredCapabilities: TASKS_CAPABILITY });
    return false;
  }

  /** tasks/get, tasks/update, tasks/cancel of the tasks extension. */
  #taskMethod(req: JsonRpcRequest, meta: MessageMeta): JsonObject {
    const params = req.params ?? {};
    if (typeof params.taskId !== 'string') throw new McpError(ErrorCode.InvalidParams, `Invalid params for ${req.method}: taskId must be a string`);
    const store = this.#core.modernTasks;
    const owner = ownerOf(meta);
    if (req.method === 'tasks/get') return detailedTask(store.get(owner, params.taskId));
    if (req.method === 'tasks/update') store.update(owner, params.taskId, params.inputResponses);
    else store.cancel(owner, params.taskId);
    return {};
  }

  #attemptFor(method: string, params: JsonObject, requestMeta: RequestMeta, principal: string): MrtrAttempt | undefined {
    if (!MRTR_METHODS.has(method)) return undefined;
    if (params.requestState !== undefined) verifyState(params.requestState, method, params, principal);
    else if (params.inputResponses !== undefined) throw new McpError(ErrorCode.InvalidParams, 'Invalid params: inputResponses were sent without the requestState they answer');
    return new MrtrAttempt(params, requestMeta.capabilities, principal);
  }

  async #listen(req: JsonRpcRequest, requestMeta: RequestMeta, meta: MessageMeta): Promise<void> {
    const filter = ((req.params ?? {}).notifications ?? {}) as JsonObject;
    if (filter.taskIds !== undefined && !declaresTasks(requestMeta.capabilities)) {
      throw new McpError(ErrorCodes.MissingRequiredClientCapability, 'Missing required client capability: task notifications need the io.modelcontextprotocol/tasks extension', { requiredCapabilities: TASKS_CAPABILITY });
    }
    const tasks = { store: this.#core.modernTasks, owner: ownerOf(meta) };
    const subscription = new Subscription(this.#connection, this.#core.registry, req, serverCapabilities(VERSION), tasks);
    this.#subscriptions.set(req.id, subscription);
    await subscription.start();
  }

  #reply(response: JsonRpcResponse): Promise<void> {
    if (this.#connection.closed) return Promise.resolve();
    const error = 'error' in response ? response.error : undefined;
    const options = { relatedRequestId: response.id ?? undefined, ...(error ? { httpStatus: httpStatusFor(error.code) } : {}) };
    return this.#connection.send(response, options as { relatedRequestId?: RequestId }).catch(() => undefined);
  }
}
