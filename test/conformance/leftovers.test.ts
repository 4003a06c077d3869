/**
 * tasks/undeclared-task-call, stdio/no-server-requests, mrtr/missing-capability-error and
 * server-requests/url-elicitation-error against the reference server made to break one rule
 * each by a proxy rewriting its messages; the unbroken (or correctly reshaped) proxy is the
 * control.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Check } from '../../conformance/check.js';
import { runSuite } from '../../conformance/runner.js';
import { parseTarget } from '../../conformance/target.js';
import missingCapabilityError from '../../conformance/checks/mrtr/missing-capability-error.js';
import urlElicitationError from '../../conformance/checks/server-requests/url-elicitation-error.js';
import elicitationComplete from '../../conformance/checks/server-requests/elicitation-complete.js';
import noServerRequests from '../../conformance/checks/stdio/no-server-requests.js';
import undeclaredTaskCall from '../../conformance/checks/tasks/undeclared-task-call.js';
import type { ProtocolVersion } from '../../spec/versions.js';
import { isObj, listenRewriteProxy, type Json, type Obj, type Rewrite } from './fixtures/rewrite-proxy.js';
import { startReferenceTcp, type ReferenceTcp } from '../helpers/reference-tcp.js';

const TOOL = { name: 'mcpcert', version: '0.0.0-test' };
const BRIDGE = fileURLToPath(new URL('./fixtures/tcp-stdio-bridge.ts', import.meta.url));
const TSX = fileURLToPath(new URL('../../node_modules/tsx/dist/esm/index.mjs', import.meta.url));

function obj(v: Json | undefined): Obj {
  return isObj(v ?? null) ? (v as Obj) : {};
}

/** The initialize result without tasks.requests: a target that supports no task-augmented request. */
const noTaskRequests: Rewrite = (message, direction) => {
  const result = obj(message.result);
  if (direction !== 'toClient' || !isObj(result.capabilities ?? null)) return [message];
  const { requests: _gone, ...tasks } = obj(obj(result.capabilities).tasks);
  return [{ ...message, result: { ...result, capabilities: { ...obj(result.capabilities), tasks } } }];
};

/** Also drops params.task from tools/call on its way in: the server then ignores it, as it must. */
const ignoresTask: Rewrite = (message, direction, link) => {
  if (direction === 'toServer' && message.method === 'tools/call') {
    const { task: _gone, ...params } = obj(message.params);
    return [{ ...message, params }];
  }
  return noTaskRequests(message, direction, link);
};

/** Answers task-augmented tools/call with a CreateTaskResult, though tasks.requests is not declared. */
const createsTask: Rewrite = (message, direction, link) => {
  if (direction === 'toServer' && message.method === 'tools/call' && obj(message.params).task !== undefined) link.state.set(`task:${JSON.stringify(message.id ?? null)}`, true);
  if (direction === 'toClient' && message.method === undefined && link.state.has(`task:${JSON.stringify(message.id ?? null)}`)) {
    const now = new Date().toISOString();
    return [{ jsonrpc: '2.0', id: message.id ?? null, result: { task: { taskId: 'task-1', status: 'working', createdAt: now, lastUpdatedAt: now, ttl: 60000 } } }];
  }
  return ignoresTask(message, direction, link);
};

/** Rewrites every error response with `code`. */
function errors(code: number, edit: (error: Obj) => Obj): Rewrite {
  return (message, direction) => {
    const error = obj(message.error);
    if (direction !== 'toClient' || error.code !== code) return [message];
    return [{ ...message, error: edit(error) }];
  };
}

/** Answers the first tools/call of each connection with a -32042 error carrying `data`. */
function urlElicitationRequired(data: Obj): Rewrite {
  return (message, direction, link) => {
    if (direction === 'toServer' && message.method === 'tools/call' && !link.state.has('call')) link.state.set('call', JSON.stringify(message.id ?? null));
    if (direction === 'toClient' && message.method === undefined && link.state.get('call') === JSON.stringify(message.id ?? null) && !link.state.has('answered')) {
      link.state.set('answered', true);
      return [{ jsonrpc: '2.0', id: message.id ?? null, error: { code: -32042, message: 'This request requires a browser step.', data } }];
    }
    return [message];
  };
}

const URL_ENTRY: Obj = { mode: 'url', message: 'Open this page to authorize.', url: 'https://example.com/authorize', elicitationId: 'e-1' };

/** Sends the client a ping request after the server's first response, and drops the client's answer. */
const pingsClient: Rewrite = (message, direction, link) => {
  if (direction === 'toServer' && message.id === 'mcpcert-proxy-ping') return [];
  if (direction === 'toClient' && message.method === undefined && !link.state.has('pinged')) {
    link.state.set('pinged', true);
    return [message, { jsonrpc: '2.0', id: 'mcpcert-proxy-ping', method: 'ping' }];
  }
  return [message];
};

describe('leftover MUST checks against a rewritten reference server', () => {
  let reference: ReferenceTcp;
  const closers: Array<() => Promise<void>> = [];
  beforeAll(async () => {
    reference = await startReferenceTcp();
  });
  afterAll(async () => {
    await Promise.all(closers.map((c) => c()));
    await reference?.close();
  });

  async function run(check: Check, rewrite: Rewrite, version: ProtocolVersion, transport: 'tcp' | 'stdio' = 'tcp'): Promise<{ status: string; messages: string[] }> {
    const proxy = await listenRewriteProxy(reference.target, rewrite);
    closers.push(proxy.close);
    const url = transport === 'tcp' ? proxy.url : `stdio:${process.execPath} --import ${TSX} ${BRIDGE} ${new URL(proxy.url).port}`;
    const { report } = await runSuite({ targets: [parseTarget(url)], checks: [check], protocolVersion: version, timeoutMs: 4000, tool: TOOL, keepAllEvidence: false });
    const messages = report.results.flatMap((r) => (r.evidence?.failures ?? []).map((f) => f.message));
    expect(report.results).toHaveLength(1);
    return { status: report.results[0]!.status, messages };
  }

  describe('tasks/undeclared-task-call', () => {
    it('skips a target that declares task-augmented tools/call', async () => {
      expect((await run(undeclaredTaskCall, (m) => [m], '2025-11-25')).status).toBe('skip');
    });
    it('passes a target without tasks.requests that ignores params.task', async () => {
      expect(await run(undeclaredTaskCall, ignoresTask, '2025-11-25')).toEqual({ status: 'pass', messages: [] });
    });
    it('fails a target that creates a task for a tools/call it did not declare task support for', async () => {
      const { status, messages } = await run(undeclaredTaskCall, createsTask, '2025-11-25');
      expect(status).toBe('fail');
      expect(messages.length).toBeGreaterThan(0);
      expect(messages.every((m) => m.includes('created a task') && m.includes('TASK-001')), messages.join('\n')).toBe(true);
    });
    it('fails a target that refuses params.task on a tools/call it did not declare task support for', async () => {
      const { status, messages } = await run(undeclaredTaskCall, noTaskRequests, '2025-11-25');
      expect(status).toBe('fail');
      expect(messages.length).toBeGreaterThan(0);
      expect(messages.every((m) => /answered a result without params.task but error -32601 .* with it \(TASK-009\)/.test(m)), messages.join('\n')).toBe(true);
    });
  });

  describe('stdio/no-server-requests', () => {
    it('passes the reference server behind a stdio bridge', async () => {
      expect(await run(noServerRequests, (m) => [m], '2026-07-28', 'stdio')).toEqual({ status: 'pass', messages: [] });
    });
    it('fails a 2026-07-28 stdio server that sends its client a ping', async () => {
      const { status, messages } = await run(noServerRequests, pingsClient, '2026-07-28', 'stdio');
      expect(status).toBe('fail');
      expect(messages).toEqual(['the server wrote a JSON-RPC request (ping) to stdout (M-STDIO-006)']);
    });
  });

  describe('mrtr/missing-capability-error', () => {
    it('passes the reference server, which refuses with -32021', async () => {
      expect(await run(missingCapabilityError, (m) => [m], '2026-07-28')).toEqual({ status: 'pass', messages: [] });
    });
    it('fails a target refusing with an internal error instead', async () => {
      const { status, messages } = await run(missingCapabilityError, errors(-32021, () => ({ code: -32603, message: 'Internal error: no elicitation' })), '2026-07-28');
      expect(status).toBe('fail');
      expect(messages.length).toBeGreaterThan(0);
      expect(messages.every((m) => m.includes('-32603') && m.includes('M-BASE-049')), messages.join('\n')).toBe(true);
    });
    it('fails a -32021 error without data.requiredCapabilities', async () => {
      const { status, messages } = await run(missingCapabilityError, errors(-32021, ({ data: _gone, ...rest }) => rest), '2026-07-28');
      expect(status).toBe('fail');
      expect(messages.every((m) => m.includes('names no capability in data.requiredCapabilities')), messages.join('\n')).toBe(true);
    });
  });

  describe('server-requests/elicitation-complete', () => {
    /** Rewrites the params of every notifications/elicitation/complete the server sends. */
    const completion =
      (change: (params: Obj) => Obj): Rewrite =>
      (message, direction) => (direction === 'toClient' && message.method === 'notifications/elicitation/complete' && isObj(message.params) ? [{ ...message, params: change(message.params) }] : [message]);
    it('passes the reference server, whose URL elicitation completes once accepted', async () => {
      expect(await run(elicitationComplete, (m) => [m], '2025-11-25')).toEqual({ status: 'pass', messages: [] });
    });
    it('fails a completion naming an elicitation this client was never sent (ELIC-014)', async () => {
      const { status, messages } = await run(elicitationComplete, completion((p) => ({ ...p, elicitationId: 'another-clients-elicitation' })), '2025-11-25');
      expect(status).toBe('fail');
      expect(messages.join('\n')).toMatch(/which this client was never sent \(ELIC-014\)/);
    });
    it('fails a completion without its elicitationId (ELIC-015)', async () => {
      const { status, messages } = await run(
        elicitationComplete,
        completion((p) => Object.fromEntries(Object.entries(p).filter(([k]) => k !== 'elicitationId')) as Obj),
        '2025-11-25',
      );
      expect(status).toBe('fail');
      expect(messages.join('\n')).toMatch(/without an elicitationId \(ELIC-015\)/);
    });
  });

  describe('server-requests/url-elicitation-error', () => {
    it('skips a target that never answers -32042', async () => {
      expect((await run(urlElicitationError, (m) => [m], '2025-11-25')).status).toBe('skip');
    });
    it('passes a -32042 listing a URL-mode elicitation with an id', async () => {
      expect(await run(urlElicitationError, urlElicitationRequired({ elicitations: [URL_ENTRY] }), '2025-11-25')).toEqual({ status: 'pass', messages: [] });
    });
    it.each([
      ['an empty list', { elicitations: [] }, 'a -32042 error lists no elicitations in data.elicitations (ELIC-019)'],
      ['no data', {}, 'a -32042 error lists no elicitations in data.elicitations (ELIC-019)'],
      ['a form-mode entry', { elicitations: [{ mode: 'form', message: 'name?', requestedSchema: { type: 'object', properties: {} } }] }, 'data.elicitations[0] of a -32042 error has mode "form", not "url" (ELIC-020)'],
      ['an entry without elicitationId', { elicitations: [{ mode: 'url', message: 'open', url: 'https://example.com' }] }, 'data.elicitations[0] of a -32042 error has no elicitationId string (ELIC-020)'],
    ] as const)('fails a -32042 with %s', async (_label, data, message) => {
      expect(await run(urlElicitationError, urlElicitationRequired(data as Obj), '2025-11-25')).toEqual({ status: 'fail', messages: [message] });
    });
  });
});
