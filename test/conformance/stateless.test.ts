/**
 * modern/stateless-capabilities against the reference server (2026-07-28, tcp) behind a proxy:
 * untouched it passes; made to remember, per client connection, that a request once declared
 * sampling, it fails; made to change its tool list for everyone now and then (another client
 * toggling a tool), it is not blamed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import statelessCapabilities from '../../conformance/checks/modern/stateless-capabilities.js';
import { runSuite } from '../../conformance/runner.js';
import { parseTarget } from '../../conformance/target.js';
import { isObj, listenRewriteProxy, type Obj, type Rewrite } from './fixtures/rewrite-proxy.js';
import { startReferenceTcp, type ReferenceTcp } from '../helpers/reference-tcp.js';

const TOOL = { name: 'mcpcert', version: '0.0.0-test' };
const CAPABILITIES = 'io.modelcontextprotocol/clientCapabilities';

function declaresSampling(message: Obj): boolean {
  const meta = isObj(message.params) && isObj(message.params._meta) ? message.params._meta : undefined;
  const capabilities = meta?.[CAPABILITIES];
  return isObj(capabilities) && 'sampling' in capabilities;
}

/** Adds `name` to the tools/list results `when` says so. */
function addTool(message: Obj, name: string): Obj {
  if (isObj(message.result) && Array.isArray(message.result.tools)) message.result.tools = [...message.result.tools, { name, inputSchema: { type: 'object' } }];
  return message;
}

/** Remembers, per connection, that sampling was declared once: tools/list then shows one tool more. */
const sticky: Rewrite = (message, direction, link) => {
  if (direction === 'toServer') {
    if (declaresSampling(message)) link.state.set('sampling', true);
    return [message];
  }
  return [link.state.get('sampling') === true ? addTool(message, 'sampling-only') : message];
};

/** Every third tools/list answer, on any connection, shows a tool that comes and goes. */
let answers = 0;
const flickering: Rewrite = (message, direction) => {
  if (direction === 'toServer' || !isObj(message.result) || !Array.isArray(message.result.tools)) return [message];
  answers += 1;
  return [answers % 3 === 0 ? addTool(message, 'ephemeral') : message];
};

describe('modern/stateless-capabilities', () => {
  let reference: ReferenceTcp;
  const closers: Array<() => Promise<void>> = [];
  beforeAll(async () => {
    reference = await startReferenceTcp();
  });
  afterAll(async () => {
    await Promise.all(closers.map((c) => c()));
    await reference?.close();
  });

  async function run(rewrite: Rewrite): Promise<{ status: string; message: string }> {
    const proxy = await listenRewriteProxy(reference.target, rewrite);
    closers.push(proxy.close);
    const { report } = await runSuite({ targets: [parseTarget(proxy.url)], checks: [statelessCapabilities], protocolVersion: '2026-07-28', timeoutMs: 4000, tool: TOOL });
    expect(report.results).toHaveLength(1);
    return { status: report.results[0]!.status, message: report.results[0]!.message };
  }

  it('passes the untouched server (the control)', async () => {
    expect(await run((m) => [m])).toEqual({ status: 'pass', message: '' });
  });

  it('fails a server that remembers a connection declared sampling, naming the rule', async () => {
    const { status, message } = await run(sticky);
    expect(status).toBe('fail');
    expect(message).toMatch(/tools\/list declaring no capabilities answered differently after an earlier request on the connection declared sampling/);
  });

  it('does not blame the connection for a list that changes for everyone', async () => {
    expect((await run(flickering)).status).not.toBe('fail');
  });
});
