/**
 * subscriptions/listen (2026-07-28): a long-lived request whose answer is a stream of the
 * change notifications the client opted in to. It is acknowledged first, every notification
 * carries the subscription id, and nothing the client did not ask for is ever sent.
 */
import type { Connection } from '../../transport/connection.js';
import { notification, result, type JsonObject, type JsonRpcRequest } from '../../transport/jsonrpc.js';
import type { ListName, Registry } from '../registry.js';
import { META } from './meta.js';
import { detailedTask, type ModernTask, type ModernTaskStore } from './tasks-ext.js';

/** Where task status comes from, and whose tasks this subscriber may hear about. */
export interface TaskFeed {
  store: ModernTaskStore;
  owner: string;
}

const LIST_FIELDS: Record<ListName, string> = {
  tools: 'toolsListChanged',
  prompts: 'promptsListChanged',
  resources: 'resourcesListChanged',
};

export class Subscription {
  readonly #connection: Connection;
  readonly #registry: Registry;
  readonly #request: JsonRpcRequest;
  readonly #lists: Set<ListName>;
  readonly #uris: Set<string>;
  readonly #taskIds: Set<string>;
  readonly #tasks: TaskFeed;
  #open = true;

  constructor(connection: Connection, registry: Registry, request: JsonRpcRequest, serverCapabilities: JsonObject, tasks: TaskFeed) {
    this.#connection = connection;
    this.#registry = registry;
    this.#request = request;
    this.#tasks = tasks;
    const filter = ((request.params ?? {}).notifications ?? {}) as JsonObject;
    // Honour only what the server declared it can send (listChanged / subscribe).
    this.#lists = new Set((Object.keys(LIST_FIELDS) as ListName[]).filter((list) => filter[LIST_FIELDS[list]] === true && declares(serverCapabilities, list, 'listChanged')));
    const uris = Array.isArray(filter.resourceSubscriptions) && declares(serverCapabilities, 'resources', 'subscribe') ? filter.resourceSubscriptions.filter((u): u is string => typeof u === 'string') : [];
    this.#uris = new Set(uris);
    // Only task ids this subscriber could poll itself (same owner) are honoured.
    const wanted = Array.isArray(filter.taskIds) ? filter.taskIds.filter((t): t is string => typeof t === 'string') : [];
    this.#taskIds = new Set(wanted.filter((id) => isOwned(tasks, id)));
  }

  get id(): JsonRpcRequest['id'] {
    return this.#request.id;
  }

  /** Sends the acknowledgment, then starts forwarding. */
  async start(): Promise<void> {
    const honoured: JsonObject = {};
    for (const list of this.#lists) honoured[LIST_FIELDS[list]] = true;
    if (this.#uris.size > 0) honoured.resourceSubscriptions = [...this.#uris];
    if (this.#taskIds.size > 0) honoured.taskIds = [...this.#taskIds];
    await this.#send('notifications/subscriptions/acknowledged', { notifications: honoured });
    this.#registry.on('listChanged', this.#onListChanged);
    this.#registry.on('resourceUpdated', this.#onResourceUpdated);
    if (this.#taskIds.size > 0) this.#tasks.store.on('status', this.#onTask);
  }

  /** The client cancelled or went away: stop quietly. */
  stop(): void {
    if (!this.#open) return;
    this.#open = false;
    this.#registry.off('listChanged', this.#onListChanged);
    this.#registry.off('resourceUpdated', this.#onResourceUpdated);
    this.#tasks.store.off('status', this.#onTask);
  }

  /** The server ends the subscription: a successful response closes it gracefully (M-SUB-005). */
  async end(): Promise<void> {
    if (!this.#open) return;
    this.stop();
    if (this.#connection.closed) return;
    await this.#connection.send(result(this.#request.id, { resultType: 'complete', _meta: { [META.subscriptionId]: this.#request.id } }), { relatedRequestId: this.#request.id }).catch(() => undefined);
  }

  readonly #onListChanged = (list: ListName): void => {
    if (this.#lists.has(list)) void this.#send(`notifications/${list}/list_changed`, {});
  };

  readonly #onTask = (task: ModernTask): void => {
    if (this.#taskIds.has(task.id)) void this.#send('notifications/tasks', detailedTask(task));
  };

  readonly #onResourceUpdated = (uri: string): void => {
    if (this.#uris.has(uri)) void this.#send('notifications/resources/updated', { uri });
  };

  #send(method: string, params: JsonObject): Promise<void> {
    if (!this.#open || this.#connection.closed) return Promise.resolve();
    const withId = { ...params, _meta: { [META.subscriptionId]: this.#request.id } };
    return this.#connection.send(notification(method, withId), { relatedRequestId: this.#request.id }).catch(() => undefined);
  }
}

function declares(capabilities: JsonObject, feature: string, flag: string): boolean {
  const entry = capabilities[feature];
  return typeof entry === 'object' && entry !== null && !Array.isArray(entry) && entry[flag] === true;
}

function isOwned(tasks: TaskFeed, id: string): boolean {
  try {
    tasks.store.get(tasks.owner, id);
    return true;
  } catch {
    return false;
  }
}
