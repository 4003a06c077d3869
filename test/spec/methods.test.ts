import { describe, expect, it } from 'vitest';
import { methodInfo, methodTable, type MethodDirection, type MethodInfo } from '../../spec/methods.js';
import { getDefinition, refName, type SchemaNode } from '../../spec/schemas.js';
import { hasDefinition } from '../../spec/validate.js';
import { PROTOCOL_VERSIONS, type ProtocolVersion } from '../../spec/versions.js';

type Row = readonly [method: string, kind: 'request' | 'notification', direction: MethodDirection, versions: string];

const C2S: MethodDirection = 'client-to-server';
const S2C: MethodDirection = 'server-to-client';
const BOTH: MethodDirection = 'both';

/**
 * Spec digest §A.2, transcribed by hand: which revisions have each method (1 = 2024-11-05 …
 * 5 = 2026-07-28) and its direction. `sampling/createMessage`, `roots/list` and
 * `elicitation/create` in revision 5 are MRTR input requests, checked separately.
 */
const DIGEST_A2: readonly Row[] = [
  ['initialize', 'request', C2S, '1234'],
  ['ping', 'request', BOTH, '1234'],
  ['server/discover', 'request', C2S, '5'],
  ['completion/complete', 'request', C2S, '12345'],
  ['logging/setLevel', 'request', C2S, '1234'],
  ['prompts/list', 'request', C2S, '12345'],
  ['prompts/get', 'request', C2S, '12345'],
  ['resources/list', 'request', C2S, '12345'],
  ['resources/templates/list', 'request', C2S, '12345'],
  ['resources/read', 'request', C2S, '12345'],
  ['resources/subscribe', 'request', C2S, '1234'],
  ['resources/unsubscribe', 'request', C2S, '1234'],
  ['subscriptions/listen', 'request', C2S, '5'],
  ['tools/list', 'request', C2S, '12345'],
  ['tools/call', 'request', C2S, '12345'],
  ['sampling/createMessage', 'request', S2C, '12345'],
  ['roots/list', 'request', S2C, '12345'],
  ['elicitation/create', 'request', S2C, '345'],
  ['tasks/get', 'request', BOTH, '4'],
  ['tasks/result', 'request', BOTH, '4'],
  ['tasks/list', 'request', BOTH, '4'],
  ['tasks/cancel', 'request', BOTH, '4'],
  ['notifications/initialized', 'notification', C2S, '1234'],
  ['notifications/cancelled', 'notification', BOTH, '12345'],
  ['notifications/progress', 'notification', BOTH, '1234'],
  ['notifications/message', 'notification', S2C, '12345'],
  ['notifications/resources/updated', 'notification', S2C, '12345'],
  ['notifications/resources/list_changed', 'notification', S2C, '12345'],
  ['notifications/tools/list_changed', 'notification', S2C, '12345'],
  ['notifications/prompts/list_changed', 'notification', S2C, '12345'],
  ['notifications/roots/list_changed', 'notification', C2S, '1234'],
  ['notifications/elicitation/complete', 'notification', S2C, '4'],
  ['notifications/tasks/status', 'notification', BOTH, '4'],
  ['notifications/subscriptions/acknowledged', 'notification', S2C, '5'],
];

/** 2026-07-28 sends progress only server → client (§A.2 "S→C only (26-07)"). */
const PROGRESS_2026: Row = ['notifications/progress', 'notification', S2C, '5'];

function expectedFromDigest(version: ProtocolVersion): Record<string, { kind: string; direction: MethodDirection }> {
  const n = String(PROTOCOL_VERSIONS.indexOf(version) + 1);
  const out: Record<string, { kind: string; direction: MethodDirection }> = {};
  for (const [method, kind, direction, versions] of [...DIGEST_A2, PROGRESS_2026]) {
    if (versions.includes(n)) out[method] = { kind, direction };
  }
  return out;
}

function shape(table: readonly MethodInfo[]): Record<string, { kind: string; direction: MethodDirection }> {
  return Object.fromEntries(table.map((m) => [m.method, { kind: m.kind, direction: m.direction }]));
}

/** Methods of one schema union, read independently of spec/methods.ts. */
function unionMethods(version: ProtocolVersion, union: string): string[] {
  const def = getDefinition(version, union);
  if (def === undefined) return [];
  const methodOf = (node: SchemaNode | undefined): string =>
    String((node?.properties as Record<string, { const?: unknown }> | undefined)?.method?.const);
  if (!Array.isArray(def.anyOf)) return [methodOf(def)];
  return def.anyOf.map((b: { $ref?: string }) => methodOf(getDefinition(version, refName(b.$ref) ?? '')));
}

describe.each(PROTOCOL_VERSIONS)('method table of %s', (version) => {
  const table = methodTable(version);

  it('has the methods, kinds and directions of digest §A.2', () => {
    expect(shape(table)).toEqual(expectedFromDigest(version));
  });

  it('equals what the schema unions contain', () => {
    const client = [...unionMethods(version, 'ClientRequest'), ...unionMethods(version, 'ClientNotification')];
    const server = [...unionMethods(version, 'ServerRequest'), ...unionMethods(version, 'ServerNotification')];
    const mrtr = unionMethods(version, 'InputRequest');
    const requests = new Set([...unionMethods(version, 'ClientRequest'), ...unionMethods(version, 'ServerRequest'), ...mrtr]);
    const expected = new Map<string, { kind: string; direction: MethodDirection; mrtrOnly: boolean }>();
    for (const m of new Set([...client, ...server, ...mrtr])) {
      const fromClient = client.includes(m);
      const fromServer = server.includes(m);
      expected.set(m, {
        kind: requests.has(m) ? 'request' : 'notification',
        direction: fromClient && fromServer ? 'both' : fromClient ? 'client-to-server' : 'server-to-client',
        mrtrOnly: !fromClient && !fromServer,
      });
    }
    const actual = new Map(table.map((m) => [m.method, { kind: m.kind, direction: m.direction, mrtrOnly: m.mrtrOnly === true }]));
    expect(actual).toEqual(expected);
  });

  it('names only definitions that exist in the schema, and each message type has its method', () => {
    for (const m of table) {
      expect(hasDefinition(version, m.definition), `${m.method} definition ${m.definition}`).toBe(true);
      const constant = (getDefinition(version, m.definition)?.properties as Record<string, { const?: unknown }>).method?.const;
      expect(constant).toBe(m.method);
      if (m.paramsDefinition !== null) expect(hasDefinition(version, m.paramsDefinition), `${m.method} params`).toBe(true);
      if (m.resultDefinition !== null) expect(hasDefinition(version, m.resultDefinition), `${m.method} result`).toBe(true);
      expect(m.resultDefinition === null).toBe(m.kind === 'notification');
      expect(m.capability === null).toBe(m.capabilitySide === null);
    }
  });

  it('lists each method once and finds it by name', () => {
    expect(new Set(table.map((m) => m.method)).size).toBe(table.length);
    for (const m of table) expect(methodInfo(version, m.method)).toBe(m);
    expect(methodInfo(version, 'tools/calll')).toBeUndefined();
  });
});

describe('method counts (digest §A.2)', () => {
  it('has 24, 24, 25, 31 and 21 distinct method strings', () => {
    expect(PROTOCOL_VERSIONS.map((v) => methodTable(v).length)).toEqual([24, 24, 25, 31, 21]);
  });

  it('splits 2024-11-05 into 15 request and 9 notification methods, and 2025-11-25 into 20 and 11', () => {
    const split = (v: ProtocolVersion): [number, number] => {
      const t = methodTable(v);
      return [t.filter((m) => m.kind === 'request').length, t.filter((m) => m.kind === 'notification').length];
    };
    expect(split('2024-11-05')).toEqual([15, 9]);
    expect(split('2025-11-25')).toEqual([20, 11]);
  });

  it('has the 2025-11-25 union sizes 17 / 8 / 5 / 9', () => {
    const t = methodTable('2025-11-25');
    const count = (kind: string, dirs: MethodDirection[]): number => t.filter((m) => m.kind === kind && dirs.includes(m.direction)).length;
    expect(count('request', [C2S, BOTH])).toBe(17);
    expect(count('request', [S2C, BOTH])).toBe(8);
    expect(count('notification', [C2S, BOTH])).toBe(5);
    expect(count('notification', [S2C, BOTH])).toBe(9);
  });

  it('has in 2026-07-28 10 client requests, no server requests, only cancellation from the client, 8 server notifications and 3 MRTR input requests', () => {
    const t = methodTable('2026-07-28');
    const onWire = t.filter((m) => m.mrtrOnly !== true);
    expect(onWire.filter((m) => m.kind === 'request' && m.direction === C2S)).toHaveLength(10);
    expect(onWire.filter((m) => m.kind === 'request' && m.direction !== C2S)).toEqual([]);
    expect(onWire.filter((m) => m.kind === 'notification' && m.direction !== S2C).map((m) => m.method)).toEqual(['notifications/cancelled']);
    expect(onWire.filter((m) => m.kind === 'notification' && m.direction !== C2S)).toHaveLength(8);
    expect(t.filter((m) => m.mrtrOnly === true).map((m) => m.method).sort()).toEqual(['elicitation/create', 'roots/list', 'sampling/createMessage']);
    expect(getDefinition('2026-07-28', 'ServerRequest')).toBeUndefined();
  });
});

describe('capability gates (digest §A.2 gate column)', () => {
  const gate = (v: ProtocolVersion, method: string): [string | null, string | null] | undefined => {
    const m = methodInfo(v, method);
    return m === undefined ? undefined : [m.capability, m.capabilitySide];
  };

  it('gates server features on server capabilities', () => {
    expect(gate('2025-11-25', 'tools/call')).toEqual(['tools', 'server']);
    expect(gate('2025-11-25', 'resources/subscribe')).toEqual(['resources.subscribe', 'server']);
    expect(gate('2025-11-25', 'notifications/resources/updated')).toEqual(['resources.subscribe', 'server']);
    expect(gate('2025-11-25', 'notifications/tools/list_changed')).toEqual(['tools.listChanged', 'server']);
    expect(gate('2025-11-25', 'logging/setLevel')).toEqual(['logging', 'server']);
    expect(gate('2026-07-28', 'notifications/message')).toEqual(['logging', 'server']);
  });

  it('gates completion on `completions` only once the capability exists (2025-03-26)', () => {
    expect(gate('2024-11-05', 'completion/complete')).toEqual([null, null]);
    expect(gate('2025-03-26', 'completion/complete')).toEqual(['completions', 'server']);
  });

  it('gates server-to-client requests on client capabilities, also as MRTR input requests', () => {
    for (const v of ['2025-06-18', '2025-11-25', '2026-07-28'] as const) {
      expect(gate(v, 'sampling/createMessage')).toEqual(['sampling', 'client']);
      expect(gate(v, 'roots/list')).toEqual(['roots', 'client']);
      expect(gate(v, 'elicitation/create')).toEqual(['elicitation', 'client']);
    }
    expect(gate('2025-11-25', 'notifications/roots/list_changed')).toEqual(['roots.listChanged', 'client']);
    expect(gate('2025-11-25', 'notifications/elicitation/complete')).toEqual(['elicitation.url', 'client']);
  });

  it('gates the 2025-11-25 task methods on the receiver and the status notification on the sender', () => {
    expect(gate('2025-11-25', 'tasks/get')).toEqual(['tasks', 'receiver']);
    expect(gate('2025-11-25', 'tasks/list')).toEqual(['tasks.list', 'receiver']);
    expect(gate('2025-11-25', 'tasks/cancel')).toEqual(['tasks.cancel', 'receiver']);
    expect(gate('2025-11-25', 'notifications/tasks/status')).toEqual(['tasks', 'sender']);
  });

  it('names the task-augmentation capability in 2025-11-25 only', () => {
    expect(methodInfo('2025-11-25', 'tools/call')?.taskCapability).toBe('tasks.requests.tools.call');
    expect(methodInfo('2025-11-25', 'elicitation/create')?.taskCapability).toBe('tasks.requests.elicitation.create');
    expect(methodInfo('2025-06-18', 'tools/call')?.taskCapability).toBeUndefined();
    expect(methodInfo('2026-07-28', 'tools/call')?.taskCapability).toBeUndefined();
  });

  it('leaves lifecycle, ping, cancellation, progress and discovery ungated', () => {
    for (const method of ['initialize', 'ping', 'notifications/initialized', 'notifications/cancelled', 'notifications/progress']) {
      expect(gate('2025-11-25', method)).toEqual([null, null]);
    }
    expect(gate('2026-07-28', 'server/discover')).toEqual([null, null]);
  });

  it('gives the result types of requests', () => {
    expect(methodInfo('2025-11-25', 'initialize')?.resultDefinition).toBe('InitializeResult');
    expect(methodInfo('2025-11-25', 'ping')?.resultDefinition).toBe('EmptyResult');
    expect(methodInfo('2025-11-25', 'tasks/result')?.resultDefinition).toBe('GetTaskPayloadResult');
    expect(methodInfo('2026-07-28', 'server/discover')?.resultDefinition).toBe('DiscoverResult');
    expect(methodInfo('2026-07-28', 'subscriptions/listen')?.resultDefinition).toBe('SubscriptionsListenResult');
  });

  it('reads named params types from 2025-11-25 on and leaves the inline ones of older revisions null', () => {
    expect(methodInfo('2025-06-18', 'tools/call')?.paramsDefinition).toBeNull();
    expect(methodInfo('2025-11-25', 'tools/call')?.paramsDefinition).toBe('CallToolRequestParams');
    expect(methodInfo('2026-07-28', 'notifications/cancelled')).toMatchObject({
      definition: 'CancelledNotification',
      paramsDefinition: 'CancelledNotificationParams',
    });
  });
});
