/**
 * The 2026-07-28 header, unknown-method, resource-not-found and statelessness checks: each
 * fails behind a proxy that breaks exactly its rule (the unbroken proxy is the control). That
 * they pass on the reference server itself is runner.test.ts's job, for the whole registry.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Check } from '../../conformance/check.js';
import headerMismatch from '../../conformance/checks/modern/header-mismatch.js';
import resourceNotFound from '../../conformance/checks/modern/resource-not-found.js';
import statelessCapabilities from '../../conformance/checks/modern/stateless-capabilities.js';
import unknownMethod404 from '../../conformance/checks/modern/unknown-method-404.js';
import notFoundCode from '../../conformance/checks/resources/not-found-code.js';
import { startEmbedded, type Embedded } from '../../conformance/embedded.js';
import type { VersionMode } from '../../conformance/negotiate.js';
import { runSuite } from '../../conformance/runner.js';
import { parseTarget, type Target } from '../../conformance/target.js';
import type { CheckResult } from '../../reports/model.js';

const TOOL = { name: 'mcpcert', version: '0.0.0-test' };
const CHECKS: readonly Check[] = [headerMismatch, unknownMethod404, resourceNotFound, statelessCapabilities, notFoundCode];

async function run(targets: Target[], version: VersionMode, checks: readonly Check[] = CHECKS): Promise<CheckResult[]> {
  const { report, unreachable } = await runSuite({ targets, checks, protocolVersion: version, timeoutMs: 5000, tool: TOOL });
  expect(unreachable).toBe(false);
  return report.results;
}

function brief(results: readonly CheckResult[]): string {
  return results.filter((r) => r.status !== 'pass').map((r) => `${r.status} ${r.check} (${r.transport}): ${r.message}`).join('\n');
}

interface Breakage {
  /** Rewrite the mirrored headers to agree with the body before the server sees them. */
  alignHeaders?: boolean;
  /** Answer 200 where the server answered 404. */
  no404?: boolean;
  /** Swap -32602 and -32002 in errors answering resources/read. */
  swapNotFound?: boolean;
  /**
   * Refuse every POST of the checks' raw exchanges (their clientInfo version is "0") with HTTP
   * 400 and -32020, matching headers or not; the runner's own session still gets through.
   */
  refuseAll?: boolean;
}

type Json = { [key: string]: unknown };

/** A Streamable HTTP proxy in front of the reference server that breaks one rule. */
async function brokenProxy(upstream: string, breakage: Breakage): Promise<{ url: string; close(): Promise<void> }> {
  const base = new URL(upstream);
  const mutate = (request: Json | undefined, message: Json): Json => {
    const method = request?.method;
    const error = message.error as Json | undefined;
    if (breakage.swapNotFound && method === 'resources/read' && error !== undefined) {
      if (error.code === -32602) error.code = -32002;
      else if (error.code === -32002) error.code = -32602;
    }
    return message;
  };
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string' && name !== 'host' && name !== 'content-length') headers[name] = value;
    let request: Json | undefined;
    try {
      request = body === '' ? undefined : (JSON.parse(body) as Json);
    } catch {
      request = undefined;
    }
    const params = (request?.params ?? {}) as Json;
    const meta = (params._meta ?? {}) as Json;
    if (breakage.alignHeaders && request !== undefined && typeof request.method === 'string') {
      const version = meta['io.modelcontextprotocol/protocolVersion'];
      if (typeof version === 'string') headers['mcp-protocol-version'] = version;
      if ('mcp-method' in headers) headers['mcp-method'] = request.method;
      if ('mcp-name' in headers && typeof params.name === 'string') headers['mcp-name'] = params.name;
    }
    if (breakage.refuseAll && req.method === 'POST' && (meta['io.modelcontextprotocol/clientInfo'] as Json | undefined)?.version === '0') {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ jsonrpc: '2.0', id: request?.id ?? null, error: { code: -32020, message: 'Header mismatch' } }));
      return;
    }
    const answer = await fetch(new URL(req.url ?? '/', base), { method: req.method, headers, body: req.method === 'POST' ? body : undefined });
    const type = answer.headers.get('content-type') ?? '';
    const status = breakage.no404 && answer.status === 404 ? 200 : answer.status;
    const out: Record<string, string> = {};
    answer.headers.forEach((value, name) => {
      if (name !== 'content-length' && name !== 'transfer-encoding' && name !== 'content-encoding') out[name] = value;
    });
    if (req.method !== 'POST' || answer.body === null) {
      res.writeHead(status, out);
      if (answer.body === null) return void res.end();
      const reader = answer.body.getReader();
      res.on('close', () => void reader.cancel().catch(() => undefined));
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        res.write(value);
      }
      res.end();
      return;
    }
    let text = await answer.text();
    if (type.startsWith('application/json') && text !== '') text = JSON.stringify(mutate(request, JSON.parse(text) as Json));
    else if (type.startsWith('text/event-stream')) text = text.replace(/^data: (.*)$/gm, (_, data: string) => `data: ${JSON.stringify(mutate(request, JSON.parse(data) as Json))}`);
    res.writeHead(status, out);
    res.end(text);
  };
  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${base.pathname}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

describe('against servers that break one rule each', () => {
  let embedded: Embedded;
  const closers: Array<() => Promise<void>> = [];
  beforeAll(async () => {
    embedded = await startEmbedded();
  });
  afterAll(async () => {
    await Promise.all(closers.map((c) => c()));
    await embedded?.close();
  });
  async function broken(breakage: Breakage): Promise<Target> {
    const http = embedded.targets.find((t) => t.kind === 'http');
    if (http === undefined || !('url' in http)) throw new Error('no embedded http target');
    const proxy = await brokenProxy(http.url, breakage);
    closers.push(proxy.close);
    return parseTarget(proxy.url);
  }

  it('the unbroken proxy passes every check (the control)', async () => {
    const target = await broken({});
    expect(brief([...(await run([target], '2026-07-28')), ...(await run([target], '2025-11-25'))])).toBe('');
  });

  it.each([
    [{ alignHeaders: true }, '2026-07-28', headerMismatch, 'fail', 'M-HTTP-047', /MCP-Protocol-Version header \(2025-11-25\) differs .* answered with HTTP 200/, 3],
    [{ refuseAll: true }, '2026-07-28', headerMismatch, 'fail', 'M-HTTP-049', /server\/discover with headers matching its body was answered with HTTP 400 with error -32020/, 1],
    [{ no404: true }, '2026-07-28', unknownMethod404, 'fail', 'M-HTTP-026', /mcpcert\/no-such-method was answered with HTTP 200/, 1],
    [{ swapNotFound: true }, '2026-07-28', resourceNotFound, 'fail', 'M-RES-007', /was answered with the removed code -32002/, 1],
    [{ swapNotFound: true }, '2025-11-25', notFoundCode, 'warn', 'RES-006', /was answered with error -32602/, 1],
  ] as const)('%o at %s fails the check naming the rule, with evidence', async (breakage, version, check, status, requirement, message, failures) => {
    const results = await run([await broken(breakage)], version, [check]);
    expect(results).toHaveLength(1);
    const result = results[0]!;
    expect(result.status).toBe(status);
    expect(result.requirements).toContain(requirement);
    expect(result.message).toMatch(message);
    expect(result.evidence!.failures).toHaveLength(failures);
    expect(result.evidence!.failures[0]!.expected).toBeTruthy();
    if (check.transports !== 'all') expect(result.repro!.curl).toMatch(/^curl -sS -i -X POST /);
  });
});
