/**
 * The reference server: a ServerCore (registry, handlers, limits) plus the sessions it holds
 * on whatever connections it is given. Transports are attached from outside (see serve.ts),
 * so the same server answers on all five at once.
 */
import { readFileSync } from 'node:fs';
import { dataPath } from '../spec/paths.js';
import type { ProtocolVersion } from '../spec/versions.js';
import type { Connection, Listener } from '../transport/connection.js';
import type { JsonObject } from '../transport/jsonrpc.js';
import { completionComplete } from './methods/completion.js';
import { loggingSetLevel } from './methods/logging.js';
import { promptsGet, promptsList } from './methods/prompts.js';
import { resourcesList, resourcesRead, resourcesSubscribe, resourcesUnsubscribe, templatesList } from './methods/resources.js';
import { tasksCancel, tasksGet, tasksList, tasksResult } from './methods/tasks.js';
import { toolsCall, toolsList } from './methods/tools.js';
import { ModernTaskStore } from './modern/tasks-ext.js';
import { TaskStore } from './tasks.js';
import { Registry } from './registry.js';
import { DEFAULT_LIMITS, implementationInfo, type Handler, type Limits, type ServerCore, type SessionLike } from './server-core.js';
import { discoverHandler } from './modern/endpoint.js';
import { ConnectionRouter } from './router.js';
import { LegacySession } from './session.js';

export interface ReferenceServerOptions {
  limits?: Partial<Limits>;
  instructions?: string;
  /** Fill the registry; defaults to nothing, so tests can build exactly what they need. */
  populate?: (registry: Registry) => void;
}

let packageVersion: string | undefined;
function ownVersion(): string {
  packageVersion ??= (JSON.parse(readFileSync(dataPath('package.json'), 'utf8')) as { version: string }).version;
  return packageVersion;
}

export class ReferenceServer implements ServerCore {
  readonly registry = new Registry();
  readonly tasks = new TaskStore();
  readonly modernTasks = new ModernTaskStore();
  readonly limits: Limits;
  readonly instructions: string | undefined;
  readonly handlers: ReadonlyMap<string, Handler>;
  readonly #sessions = new Set<LegacySession>();
  readonly #routers = new Set<ConnectionRouter>();
  readonly #listeners = new Set<Listener>();
  #sweeper: NodeJS.Timeout | undefined;

  constructor(options: ReferenceServerOptions = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.instructions = options.instructions;
    this.handlers = new Map<string, Handler>([
      ['tools/list', toolsList(this)],
      ['tools/call', toolsCall(this)],
      ['resources/list', resourcesList(this)],
      ['resources/templates/list', templatesList(this)],
      ['resources/read', resourcesRead(this)],
      ['resources/subscribe', resourcesSubscribe(this)],
      ['resources/unsubscribe', resourcesUnsubscribe()],
      ['prompts/list', promptsList(this)],
      ['prompts/get', promptsGet(this)],
      ['completion/complete', completionComplete(this)],
      ['logging/setLevel', loggingSetLevel()],
      ['tasks/get', tasksGet(this)],
      ['tasks/result', tasksResult(this)],
      ['tasks/list', tasksList(this)],
      ['tasks/cancel', tasksCancel(this)],
      ['server/discover', discoverHandler(this)],
    ]);
    options.populate?.(this.registry);
  }

  get sessions(): ReadonlySet<LegacySession> {
    return this.#sessions;
  }

  /** The session behind a transport session id (Streamable HTTP, legacy SSE). */
  sessionBySessionId(sessionId: string): LegacySession | undefined {
    for (const s of this.#sessions) if (s.connection.sessionId === sessionId) return s;
    return undefined;
  }

  serverInfo(version: ProtocolVersion): JsonObject {
    return implementationInfo(version, ownVersion());
  }

  /** Serves MCP on one connection (a stdio pair, a socket, an HTTP session or a stateless POST). */
  accept(connection: Connection): ConnectionRouter {
    const router = new ConnectionRouter(this, connection, (c) => {
      const session = new LegacySession(this, c);
      this.#sessions.add(session);
      return session;
    });
    this.#routers.add(router);
    connection.on('close', () => this.#routers.delete(router));
    return router;
  }

  /** Serves every connection a listener produces. */
  attach(listener: Listener): void {
    this.#listeners.add(listener);
    if (listener.transport === 'http' || listener.transport === 'sse') this.#startSweeper();
    listener.on('connection', (connection) => {
      if (this.#routers.size >= this.limits.maxSessions) {
        void connection.close(`session limit (${this.limits.maxSessions}) reached`);
        return;
      }
      this.accept(connection);
    });
  }

  /** Ends HTTP sessions nobody has used for `sessionIdleMs`; checks a few times per period. */
  #startSweeper(): void {
    if (this.#sweeper) return;
    const every = Math.max(50, Math.min(60_000, Math.floor(this.limits.sessionIdleMs / 4)));
    this.#sweeper = setInterval(() => {
      const cutoff = Date.now() - this.limits.sessionIdleMs;
      for (const s of this.#sessions) {
        const kind = s.connection.transport;
        if ((kind === 'http' || kind === 'sse') && s.inFlight === 0 && s.lastActivity < cutoff) void s.connection.close('session expired (idle)');
      }
    }, every);
    this.#sweeper.unref();
  }

  sessionClosed(session: SessionLike): void {
    for (const s of this.#sessions) if (s.id === session.id) this.#sessions.delete(s);
    this.tasks.dropOwner(session.id);
  }


  /** Closes every listener and session. */
  async close(): Promise<void> {
    clearInterval(this.#sweeper);
    await Promise.all([...this.#routers].map((r) => r.shutdown()));
    await Promise.all([...this.#listeners].map((l) => l.close()));
    await Promise.all([...this.#routers].map((r) => r.connection.close('the server is shutting down')));
    this.modernTasks.close();
  }
}
