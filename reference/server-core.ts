/**
 * What the method handlers share across sessions: the registry, limits, server identity and
 * the handler table itself. Sessions hold per-client state; this holds the server's.
 */
import type { ProtocolVersion } from '../spec/versions.js';
import type { MessageMeta } from '../transport/connection.js';
import type { JsonObject } from '../transport/jsonrpc.js';
import { atLeast } from './capabilities.js';
import type { Registry } from './registry.js';
import type { ManagedContext } from './context.js';
import type { ModernTaskStore } from './modern/tasks-ext.js';
import type { TaskStore } from './tasks.js';

export type Handler = (params: JsonObject, ctx: ManagedContext, meta: MessageMeta) => Promise<JsonObject> | JsonObject;

export interface Limits {
  /** Requests one session may have in progress at once. */
  maxInFlight: number;
  /** Items per page of every paginated list. */
  pageSize: number;
  /** Open sessions per server. */
  maxSessions: number;
  /**
   * An HTTP session (Streamable HTTP, legacy SSE) with no message for this long and nothing in
   * progress is ended; its id then gets 404. Connection-bound transports end with their socket.
   */
  sessionIdleMs: number;
}

export const DEFAULT_LIMITS: Limits = { maxInFlight: 256, pageSize: 50, maxSessions: 1024, sessionIdleMs: 30 * 60_000 };

export interface SessionLike {
  readonly id: string;
  readonly version: ProtocolVersion | undefined;
}

export interface ServerCore {
  readonly registry: Registry;
  readonly tasks: TaskStore;
  /** Tasks of the 2026-07-28 extension: shared by all connections, since requests are stateless. */
  readonly modernTasks: ModernTaskStore;
  readonly handlers: ReadonlyMap<string, Handler>;
  readonly limits: Limits;
  readonly instructions: string | undefined;
  serverInfo(version: ProtocolVersion): JsonObject;
  sessionClosed(session: SessionLike): void;
}

export const SERVER_NAME = 'mcpcert-reference';

export function implementationInfo(version: ProtocolVersion, packageVersion: string): JsonObject {
  const info: JsonObject = { name: SERVER_NAME, version: packageVersion };
  if (atLeast(version, '2025-06-18')) info.title = 'mcpcert reference server';
  if (atLeast(version, '2025-11-25')) {
    info.description = 'A small, complete, spec-exact MCP server: the default target of mcpcert.';
    info.websiteUrl = 'https://github.com/mcpcert/mcpcert';
  }
  return info;
}
