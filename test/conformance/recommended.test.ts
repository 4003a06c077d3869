/**
 * The recommended/* checks (SHOULD rows, reported as warnings): each passes the reference server
 * and warns when a proxy in front of it breaks the one recommendation the check judges.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Check } from '../../conformance/check.js';
import { startEmbedded, type Embedded } from '../../conformance/embedded.js';
import completionErrors from '../../conformance/checks/recommended/completion-errors.js';
import missingSession400 from '../../conformance/checks/recommended/missing-session-400.js';
import logLevelInvalid from '../../conformance/checks/recommended/log-level-invalid.js';
import postStreamEnds from '../../conformance/checks/recommended/post-stream-ends.js';
import promptGetErrors from '../../conformance/checks/recommended/prompt-get-errors.js';
import structuredContentText from '../../conformance/checks/recommended/structured-content-text.js';
import { startBreaker } from './fixtures/http-breaker.js';
import { listenMutatingProxy, type Json, type JsonObj, type ProxyRules } from './fixtures/mutating-proxy.js';
import { statuses } from './fixtures/run-checks.js';

const closers: Array<() => Promise<void>> = [];
afterAll(async () => {
  await Promise.all(closers.map((c) => c()));
});

async function throughProxy(check: Check, rules: ProxyRules): Promise<string | undefined> {
  const proxy = await listenMutatingProxy(rules);
  closers.push(proxy.close);
  return (await statuses(proxy.url, [check], '2025-11-25'))[check.id];
}

function answer(method: string, result: JsonObj): ProxyRules {
  return { toServer: (m) => (m.method === method ? { reply: [{ jsonrpc: '2.0', id: m.id ?? null, result }] } : undefined) };
}

describe('recommended checks against the reference server behind a faithful proxy', () => {
  it('passes all of them', async () => {
    const proxy = await listenMutatingProxy({});
    closers.push(proxy.close);
    const outcome = await statuses(proxy.url, [promptGetErrors, completionErrors, logLevelInvalid, structuredContentText], '2025-11-25');
    expect(outcome).toEqual({ [promptGetErrors.id]: 'pass', [completionErrors.id]: 'pass', [logLevelInvalid.id]: 'pass', [structuredContentText.id]: 'pass' });
  }, 30_000);
});

describe('recommended checks warn on a broken recommendation', () => {
  it('prompt-get-errors warns when prompts/get errors carry -32603 instead of -32602', async () => {
    const rules: ProxyRules = {
      toClient: (m, _conn, method) => (method === 'prompts/get' && m.error !== undefined ? [JSON.stringify({ ...m, error: { ...(m.error as JsonObj), code: -32603 } })] : undefined),
    };
    expect(await throughProxy(promptGetErrors, rules)).toBe('warn');
  }, 20_000);

  it('completion-errors warns when completion for an unknown prompt returns values', async () => {
    expect(await throughProxy(completionErrors, answer('completion/complete', { completion: { values: [] } }))).toBe('warn');
  }, 20_000);

  it('log-level-invalid warns when an invalid level is accepted', async () => {
    expect(await throughProxy(logLevelInvalid, answer('logging/setLevel', {}))).toBe('warn');
  }, 20_000);

  it('structured-content-text warns when structuredContent comes without its text copy', async () => {
    const rules: ProxyRules = {
      toClient: (m, _conn, method) => {
        const result = m.result as JsonObj | undefined;
        if (method !== 'tools/call' || result?.structuredContent === undefined || !Array.isArray(result.content)) return undefined;
        const content: Json[] = result.content.filter((b) => (b as JsonObj).type !== 'text');
        return [JSON.stringify({ ...m, result: { ...result, content } })];
      },
    };
    expect(await throughProxy(structuredContentText, rules)).toBe('warn');
  }, 20_000);
});

describe('recommended/post-stream-ends', () => {
  let embedded: Embedded;
  beforeAll(async () => {
    embedded = await startEmbedded();
  });
  afterAll(async () => {
    await embedded?.close();
  });

  async function outcome(holdPostStreams: boolean): Promise<string | undefined> {
    const found = embedded.targets.find((t) => t.kind === 'http');
    if (found === undefined || !('url' in found)) throw new Error('no embedded http target');
    const proxy = await startBreaker(found.url, { holdPostStreams });
    closers.push(proxy.close);
    return (await statuses(proxy.url, [postStreamEnds], '2025-11-25'))[postStreamEnds.id];
  }

  it('passes when every POST stream ends after its response', async () => {
    expect(await outcome(false)).toBe('pass');
  }, 30_000);

  it('warns when POST streams stay open after carrying their response', async () => {
    expect(await outcome(true)).toBe('warn');
  }, 30_000);
});

/** Forwards to `upstream`, but answers 404 to a POST that is not initialize and has no session id. */
async function refuseSessionless(upstream: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      if (req.method === 'POST' && req.headers['mcp-session-id'] === undefined && !body.includes('"initialize"')) {
        res.writeHead(404, { 'content-type': 'application/json' });
        return void res.end('{"jsonrpc":"2.0","id":null,"error":{"code":-32001,"message":"Session not found"}}');
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host' && k !== 'content-length') headers[k] = v;
      fetch(upstream, { method: req.method ?? 'GET', headers, ...(body === '' ? {} : { body }) })
        .then((answer) => {
          const out: Record<string, string> = {};
          answer.headers.forEach((v, k) => {
            if (k !== 'content-length' && k !== 'transfer-encoding') out[k] = v;
          });
          res.writeHead(answer.status, out);
          if (answer.body === null) return void res.end();
          Readable.fromWeb(answer.body as import('node:stream/web').ReadableStream).on('error', () => res.end()).pipe(res);
        })
        .catch(() => {
          if (!res.headersSent) res.writeHead(502);
          res.end();
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${new URL(upstream).pathname}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('recommended/missing-session-400', () => {
  let embedded: Embedded;
  beforeAll(async () => {
    embedded = await startEmbedded();
  });
  afterAll(async () => {
    await embedded?.close();
  });

  function httpUrl(): string {
    const found = embedded.targets.find((t) => t.kind === 'http');
    if (found === undefined || !('url' in found)) throw new Error('no embedded http target');
    return found.url;
  }

  it('passes the reference server', async () => {
    expect((await statuses(httpUrl(), [missingSession400], '2025-11-25'))[missingSession400.id]).toBe('pass');
  }, 20_000);

  it('warns when a request without a session id is refused with 404', async () => {
    const proxy = await refuseSessionless(httpUrl());
    closers.push(proxy.close);
    expect((await statuses(proxy.url, [missingSession400], '2025-11-25'))[missingSession400.id]).toBe('warn');
  }, 20_000);
});
