/**
 * The requests and notifications of each revision. Names, kinds, directions and params
 * types are read from the schema's unions (ClientRequest, ServerRequest, ClientNotification,
 * ServerNotification, and 2026-07-28's InputRequest for MRTR); only what a schema cannot
 * say — the capability that gates a method and the type of its result — is written here,
 * from spec digest §A.2.
 */
import { getDefinition, refName, schemaDefinitions, type SchemaNode } from './schemas.js';
import type { ProtocolVersion } from './versions.js';

export type MethodKind = 'request' | 'notification';
export type MethodDirection = 'client-to-server' | 'server-to-client' | 'both';

/**
 * Whose capability gates the method. `server`/`client` are fixed parties; the 2025-11-25
 * task methods go both ways, so for them it is relative: `receiver` (the party a `tasks/*`
 * request is sent to) or `sender` (the party emitting `notifications/tasks/status`, which
 * is the one holding the task).
 */
export type CapabilitySide = 'server' | 'client' | 'receiver' | 'sender';

export interface MethodInfo {
  readonly method: string;
  readonly kind: MethodKind;
  readonly direction: MethodDirection;
  /** The schema type of the whole message, e.g. `CallToolRequest`. */
  readonly definition: string;
  /**
   * Capability path that must have been declared for the method to be used, e.g. `tools`,
   * `resources.subscribe`, `tasks.list`; null when ungated (lifecycle, ping, cancellation,
   * progress) or, for `subscriptions/listen`, gated per filter field rather than as a whole.
   */
  readonly capability: string | null;
  readonly capabilitySide: CapabilitySide | null;
  /** Named params type (`CallToolRequestParams`); null where the schema inlines params (≤ 2025-06-18) or has none. */
  readonly paramsDefinition: string | null;
  /** Result type of a request; null for notifications. */
  readonly resultDefinition: string | null;
  /**
   * 2026-07-28 only: not a JSON-RPC request on the wire any more, only an input request
   * inside `InputRequiredResult.inputRequests` (Multi Round-Trip Requests).
   */
  readonly mrtrOnly?: boolean;
  /** 2025-11-25 only: the receiver capability under which the request may be task-augmented. */
  readonly taskCapability?: string;
}

interface Gate {
  readonly capability: string | null;
  readonly side: CapabilitySide | null;
  readonly result: string | null;
  readonly taskCapability?: string;
}

const UNGATED: Gate = { capability: null, side: null, result: null };

function serverGate(capability: string | null, result: string | null): Gate {
  return { capability, side: capability === null ? null : 'server', result };
}

function clientGate(capability: string, result: string | null, taskCapability?: string): Gate {
  return taskCapability === undefined ? { capability, side: 'client', result } : { capability, side: 'client', result, taskCapability };
}

/** §A.2 "gate" column and result types, for every method of every revision. */
const GATES: Readonly<Record<string, Gate>> = {
  initialize: { capability: null, side: null, result: 'InitializeResult' },
  ping: { capability: null, side: null, result: 'EmptyResult' },
  'server/discover': { capability: null, side: null, result: 'DiscoverResult' },
  'completion/complete': serverGate('completions', 'CompleteResult'),
  'logging/setLevel': serverGate('logging', 'EmptyResult'),
  'prompts/list': serverGate('prompts', 'ListPromptsResult'),
  'prompts/get': serverGate('prompts', 'GetPromptResult'),
  'resources/list': serverGate('resources', 'ListResourcesResult'),
  'resources/templates/list': serverGate('resources', 'ListResourceTemplatesResult'),
  'resources/read': serverGate('resources', 'ReadResourceResult'),
  'resources/subscribe': serverGate('resources.subscribe', 'EmptyResult'),
  'resources/unsubscribe': serverGate('resources.subscribe', 'EmptyResult'),
  'subscriptions/listen': serverGate(null, 'SubscriptionsListenResult'),
  'tools/list': serverGate('tools', 'ListToolsResult'),
  'tools/call': { ...serverGate('tools', 'CallToolResult'), taskCapability: 'tasks.requests.tools.call' },
  'sampling/createMessage': clientGate('sampling', 'CreateMessageResult', 'tasks.requests.sampling.createMessage'),
  'roots/list': clientGate('roots', 'ListRootsResult'),
  'elicitation/create': clientGate('elicitation', 'ElicitResult', 'tasks.requests.elicitation.create'),
  'tasks/get': { capability: 'tasks', side: 'receiver', result: 'GetTaskResult' },
  'tasks/result': { capability: 'tasks', side: 'receiver', result: 'GetTaskPayloadResult' },
  'tasks/list': { capability: 'tasks.list', side: 'receiver', result: 'ListTasksResult' },
  'tasks/cancel': { capability: 'tasks.cancel', side: 'receiver', result: 'CancelTaskResult' },
  'notifications/initialized': UNGATED,
  'notifications/cancelled': UNGATED,
  // Gated by the requester having supplied `_meta.progressToken`, not by a capability.
  'notifications/progress': UNGATED,
  'notifications/message': serverGate('logging', null),
  'notifications/resources/updated': serverGate('resources.subscribe', null),
  'notifications/resources/list_changed': serverGate('resources.listChanged', null),
  'notifications/tools/list_changed': serverGate('tools.listChanged', null),
  'notifications/prompts/list_changed': serverGate('prompts.listChanged', null),
  'notifications/roots/list_changed': clientGate('roots.listChanged', null),
  'notifications/elicitation/complete': clientGate('elicitation.url', null),
  'notifications/tasks/status': { capability: 'tasks', side: 'sender', result: null },
  'notifications/subscriptions/acknowledged': UNGATED,
};

/** 2024-11-05 had `completion/complete` but no `completions` capability to gate it. */
function gateFor(version: ProtocolVersion, method: string): Gate {
  const gate = GATES[method];
  if (gate === undefined) {
    throw new Error(`no capability/result entry for method "${method}" of ${version} in spec/methods.ts`);
  }
  if (version === '2024-11-05' && method === 'completion/complete') return { ...gate, capability: null, side: null };
  return gate;
}

/** Core tasks (and so task augmentation) exist only in 2025-11-25. */
function hasCoreTasks(version: ProtocolVersion): boolean {
  return getDefinition(version, 'CreateTaskResult') !== undefined;
}

const UNIONS = ['ClientRequest', 'ServerRequest', 'InputRequest', 'ClientNotification', 'ServerNotification'];

interface Member {
  readonly definition: string;
  readonly node: SchemaNode;
  readonly method: string;
}

function methodConst(node: SchemaNode): string | undefined {
  const props = node.properties as Record<string, { const?: unknown }> | undefined;
  const value = props?.method?.const;
  return typeof value === 'string' ? value : undefined;
}

/**
 * The members of a union definition. The schema generator inlines a one-member union
 * (2026-07-28 `ClientNotification` is the body of `CancelledNotification`), so such a
 * body is mapped back to the named definition with the same method.
 */
function unionMembers(version: ProtocolVersion, unionName: string): Member[] {
  const union = getDefinition(version, unionName);
  if (union === undefined) return [];
  if (Array.isArray(union.anyOf)) {
    return union.anyOf.map((branch: unknown) => {
      const name = refName((branch as SchemaNode | null)?.$ref);
      const node = name === undefined ? undefined : getDefinition(version, name);
      const method = node === undefined ? undefined : methodConst(node);
      if (name === undefined || node === undefined || method === undefined) {
        throw new Error(`${version} ${unionName} has a member that is not a named message type`);
      }
      return { definition: name, node, method };
    });
  }
  const method = methodConst(union);
  if (method === undefined) throw new Error(`${version} ${unionName} is neither a union nor a message type`);
  const named = Object.entries(schemaDefinitions(version)).find(
    ([name, node]) => name !== unionName && !UNIONS.includes(name) && methodConst(node) === method,
  );
  return [{ definition: named?.[0] ?? unionName, node: union, method }];
}

interface Draft {
  kind: MethodKind;
  definition: string;
  paramsDefinition: string | null;
  fromClient: boolean;
  fromServer: boolean;
  mrtr: boolean;
}

function buildTable(version: ProtocolVersion): readonly MethodInfo[] {
  const drafts = new Map<string, Draft>();
  const add = (union: string, kind: MethodKind, from: 'client' | 'server' | 'mrtr'): void => {
    for (const m of unionMembers(version, union)) {
      const draft = drafts.get(m.method) ?? {
        kind,
        definition: m.definition,
        paramsDefinition: refName((m.node.properties as Record<string, SchemaNode> | undefined)?.params?.$ref) ?? null,
        fromClient: false,
        fromServer: false,
        mrtr: false,
      };
      if (from === 'client') draft.fromClient = true;
      else if (from === 'server') draft.fromServer = true;
      else draft.mrtr = true;
      drafts.set(m.method, draft);
    }
  };
  add('ClientRequest', 'request', 'client');
  add('ServerRequest', 'request', 'server');
  add('InputRequest', 'request', 'mrtr');
  add('ClientNotification', 'notification', 'client');
  add('ServerNotification', 'notification', 'server');

  const tasks = hasCoreTasks(version);
  return Object.freeze(
    [...drafts].map(([method, d]): MethodInfo => {
      const gate = gateFor(version, method);
      const mrtrOnly = d.mrtr && !d.fromClient && !d.fromServer;
      // An MRTR input request travels server → client inside a result, as the old request did.
      const direction: MethodDirection =
        d.fromClient && d.fromServer ? 'both' : d.fromClient ? 'client-to-server' : 'server-to-client';
      const info: MethodInfo = {
        method,
        kind: d.kind,
        direction,
        definition: d.definition,
        capability: gate.capability,
        capabilitySide: gate.side,
        paramsDefinition: d.paramsDefinition,
        resultDefinition: d.kind === 'request' ? gate.result : null,
        ...(mrtrOnly ? { mrtrOnly: true } : {}),
        ...(tasks && gate.taskCapability !== undefined ? { taskCapability: gate.taskCapability } : {}),
      };
      return Object.freeze(info);
    }),
  );
}

const tables = new Map<ProtocolVersion, readonly MethodInfo[]>();

/**
 * Every method of that revision: client requests, then server requests, then MRTR input
 * requests, then notifications, each in schema order.
 * @throws Error if the schema names a method this module has no gate entry for.
 */
export function methodTable(version: ProtocolVersion): readonly MethodInfo[] {
  let table = tables.get(version);
  if (table === undefined) {
    table = buildTable(version);
    tables.set(version, table);
  }
  return table;
}

const indexes = new Map<ProtocolVersion, ReadonlyMap<string, MethodInfo>>();

/** One method's entry; looked up on every request a server handles, so indexed once per version. */
export function methodInfo(version: ProtocolVersion, method: string): MethodInfo | undefined {
  let index = indexes.get(version);
  if (index === undefined) {
    // A method string that is both a request and a notification does not occur; the first wins.
    const byName = new Map<string, MethodInfo>();
    for (const m of methodTable(version)) if (!byName.has(m.method)) byName.set(m.method, m);
    index = byName;
    indexes.set(version, index);
  }
  return index.get(method);
}
