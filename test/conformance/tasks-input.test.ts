/**
 * tasks/input-required-related against the tasks mini server with an input-asking task tool
 * (the unbroken one is the control), and lists/listed-available against a mini server whose
 * lists name what it then cannot find: the reference server behind a proxy that adds a
 * ghost item to one list (the bare proxy is the control).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import inputRequiredRelated from '../../conformance/checks/tasks/input-required-related.js';
import listedAvailable from '../../conformance/checks/lists/listed-available.js';
import { listenTasksMini, type TaskMutations } from './fixtures/tasks-server.js';
import { isObj, listenRewriteProxy, type Json, type Obj, type Rewrite } from './fixtures/rewrite-proxy.js';
import { statuses } from './fixtures/run-checks.js';
import { startReferenceTcp, type ReferenceTcp } from '../helpers/reference-tcp.js';

describe('tasks/input-required-related', () => {
  const closers: Array<() => Promise<void>> = [];
  afterAll(async () => {
    await Promise.all(closers.map((c) => c()));
  });
  async function run(m: TaskMutations): Promise<string | undefined> {
    const server = await listenTasksMini(m);
    closers.push(server.close);
    return (await statuses(server.url, [inputRequiredRelated], '2025-11-25'))[inputRequiredRelated.id];
  }

  it('passes when the elicitation a task sends through tasks/result names the task', async () => {
    expect(await run({ askingTool: true })).toBe('pass');
  });

  it('skips when no task asks for input', async () => {
    expect(await run({})).toBe('skip');
  });

  it.each([[{ askNoRelatedTask: true }], [{ askWrongRelatedTask: true }]] as const)('%o fails', async (mutation) => {
    expect(await run({ askingTool: true, ...mutation })).toBe('fail');
  });
});

/** Puts `item` first in every `key` list result on its way to the client. */
function ghost(key: string, item: Obj): Rewrite {
  return (message, direction) => {
    const result = isObj(message.result ?? null) ? (message.result as Obj) : undefined;
    const items = result?.[key];
    if (direction !== 'toClient' || result === undefined || !Array.isArray(items)) return [message];
    return [{ ...message, result: { ...result, [key]: [item, ...items] as Json } }];
  };
}

describe('lists/listed-available', () => {
  let reference: ReferenceTcp;
  const closers: Array<() => Promise<void>> = [];
  beforeAll(async () => {
    reference = await startReferenceTcp();
  });
  afterAll(async () => {
    await Promise.all(closers.map((c) => c()));
    await reference?.close();
  });
  async function run(rewrite: Rewrite): Promise<string | undefined> {
    const proxy = await listenRewriteProxy(reference.target, rewrite);
    closers.push(proxy.close);
    return (await statuses(proxy.url, [listedAvailable], '2026-07-28'))[listedAvailable.id];
  }

  it('passes when every listed item can be used (the bare proxy)', async () => {
    expect(await run((m) => [m])).toBe('pass');
  });

  it.each([
    ['tools', { name: 'mcpcert-ghost-tool', inputSchema: { type: 'object', properties: {} } }],
    ['prompts', { name: 'mcpcert-ghost-prompt' }],
    ['resources', { uri: 'mcpcert://ghost/resource', name: 'ghost' }],
  ] as const)('a listed %s item that does not exist fails', async (key, item) => {
    expect(await run(ghost(key, item))).toBe('fail');
  });
});
