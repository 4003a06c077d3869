/**
 * Tells the eras apart on one connection, as the 2026-07-28 versioning page says: a request
 * whose `_meta` carries a protocol version is stateless (2026-07-28); `initialize` starts a
 * legacy session scoped to this connection (stdio process, socket, HTTP session), which then
 * owns the connection's legacy traffic. Both may be served on one listener at once.
 */
import type { Connection, MessageMeta } from '../transport/connection.js';
import type { MessageError, TransportError } from '../transport/errors.js';
import { isNotification, isRequest, type JsonRpcMessage, type RequestId } from '../transport/jsonrpc.js';
import { ModernEndpoint } from './modern/endpoint.js';
import { hasModernMeta, MODERN_ONLY } from './modern/meta.js';
import type { ServerCore } from './server-core.js';
import type { LegacySession } from './session.js';


export class ConnectionRouter {
  readonly connection: Connection;
  readonly #core: ServerCore;
  readonly #newLegacy: (connection: Connection) => LegacySession;
  #legacy: LegacySession | undefined;
  #modern: ModernEndpoint | undefined;

  constructor(core: ServerCore, connection: Connection, newLegacy: (connection: Connection) => LegacySession) {
    this.#core = core;
    this.connection = connection;
    this.#newLegacy = newLegacy;
    connection.on('message', (message, meta) => this.#route(message, meta));
    connection.on('error', (error) => this.#frameError(error));
    connection.on('close', () => {
      this.#legacy?.closed();
      this.#modern?.closed();
    });
  }

  get legacy(): LegacySession | undefined {
    return this.#legacy;
  }

  /** Graceful end of what is open (subscriptions get their final response). */
  async shutdown(): Promise<void> {
    await this.#modern?.shutdown();
  }

  #route(message: JsonRpcMessage, meta: MessageMeta): void {
    if (this.#isModern(message, meta)) {
      this.#modern ??= new ModernEndpoint(this.#core, this.connection);
      if (isRequest(message)) void this.#modern.handle(message, meta);
      else if (isNotification(message) && message.method === 'notifications/cancelled') this.#modern.cancel(message.params?.requestId as RequestId);
      // Other notifications of the modern era need no answer and change nothing.
      return;
    }
    this.#legacySession().receive(message, meta);
  }

  #isModern(message: JsonRpcMessage, meta: MessageMeta): boolean {
    // A connection that negotiated with initialize stays legacy; batches are legacy-only.
    if ((this.#legacy && this.#legacy.phase !== 'new') || meta.batch) return false;
    if (isRequest(message)) return MODERN_ONLY.has(message.method) || hasModernMeta(message.params);
    if (isNotification(message) && message.method === 'notifications/cancelled') {
      const id = message.params?.requestId;
      return (typeof id === 'string' || typeof id === 'number') && this.#modern?.owns(id) === true;
    }
    return false;
  }

  #frameError(error: TransportError | MessageError): void {
    // The JSON-RPC answers to unusable frames are the same in both eras.
    this.#legacySession().receiveError(error);
  }

  #legacySession(): LegacySession {
    this.#legacy ??= this.#newLegacy(this.connection);
    return this.#legacy;
  }
}
