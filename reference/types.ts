/**
 * What a feature module (a tool, a resource, a prompt) sees of the protocol engine. Features
 * never touch connections: they get a RequestContext, and the engine turns what they return
 * into spec-exact messages for the negotiated version.
 */
import type { ProtocolVersion } from '../spec/versions.js';
import type { JsonObject, JsonValue, RequestId } from '../transport/jsonrpc.js';

export const LOG_LEVELS = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface RequestContext {
  readonly version: ProtocolVersion;
  readonly requestId: RequestId;
  /** What the client declared (initialize, or the request's `_meta` in 2026-07-28). */
  readonly clientCapabilities: JsonObject;
  /** Aborted when the client cancels the request or the connection goes away. */
  readonly signal: AbortSignal;
  /** Sends `notifications/progress` if the request carried a progress token; monotonic, never after the response. */
  progress(progress: number, total?: number, message?: string): Promise<void>;
  /** Sends `notifications/message` if the client's level lets it through. */
  log(level: LogLevel, data: JsonValue, logger?: string): Promise<void>;
  /**
   * Asks the client (sampling/createMessage, elicitation/create, roots/list). Throws McpError
   * -32601 style errors if the client did not declare the capability: features must check
   * `clientCapabilities` first when they have a fallback.
   */
  request(method: string, params: JsonObject, options?: { timeoutMs?: number }): Promise<JsonObject>;
  /** Session-scoped services: resource subscriptions and list-change notifications. */
  readonly session: SessionServices;
  /**
   * Streamable HTTP at 2025-11-25: ends the HTTP connection carrying this request's SSE stream
   * without ending the stream (SSE polling). The client is sent an event id and a `retry`
   * interval, and everything sent for the request afterwards (the response included) waits
   * for its GET with `Last-Event-ID`. Returns false (and does nothing) anywhere else.
   */
  closeStream(retryMs?: number): boolean;
}

export interface SessionServices {
  readonly id: string;
  subscribe(uri: string): void;
  unsubscribe(uri: string): void;
  /** logging/setLevel: the minimum level of notifications/message for this session. */
  setLogLevel(level: LogLevel): void;
  /** A notification to this session that belongs to no request (task status, for one). */
  notify(method: string, params: JsonObject): Promise<void>;
}

/** Icons (2025-11-25+). */
export interface Icon {
  src: string;
  mimeType?: string;
  sizes?: string[];
  theme?: 'light' | 'dark';
}

export interface ToolDefinition {
  name: string;
  title?: string;
  description: string;
  inputSchema: JsonObject;
  outputSchema?: JsonObject;
  annotations?: JsonObject;
  icons?: Icon[];
  /** 2025-11-25 task support of this tool. */
  taskSupport?: 'forbidden' | 'optional' | 'required';
  /** First protocol version the tool is listed in (its content types exist from then on). */
  since?: ProtocolVersion;
  call(args: JsonObject, ctx: RequestContext): Promise<JsonObject> | JsonObject;
}

export interface ResourceDefinition {
  uri: string;
  name: string;
  title?: string;
  description?: string;
  mimeType?: string;
  size?: number;
  annotations?: JsonObject;
  icons?: Icon[];
  read(ctx: RequestContext): Promise<JsonObject[]> | JsonObject[];
}

export interface ResourceTemplateDefinition {
  uriTemplate: string;
  name: string;
  title?: string;
  description?: string;
  mimeType?: string;
  icons?: Icon[];
  /** Returns the contents for a URI matching the template, or undefined if it does not match. */
  read(uri: string, ctx: RequestContext): Promise<JsonObject[] | undefined> | JsonObject[] | undefined;
  /** Values for one template variable, given a prefix and the other variables. */
  complete?(variable: string, value: string, context: Record<string, string>): string[];
}

export interface PromptArgument {
  name: string;
  title?: string;
  description?: string;
  required?: boolean;
}

export interface PromptDefinition {
  name: string;
  title?: string;
  /** Optional in the schema, but clients (and the official conformance suite) rely on it. */
  description: string;
  arguments?: PromptArgument[];
  icons?: Icon[];
  get(args: Record<string, string>, ctx: RequestContext): Promise<JsonObject> | JsonObject;
  complete?(argument: string, value: string, context: Record<string, string>): string[];
}
