/**
 * modern/notification-accepted, mrtr/unique-input-keys and resources/file-traversal against the
 * reference server (the control) and against it made to break one rule by a proxy.
 */
import { createServer as createHttpServer, request as httpRequest, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import notificationAccepted from '../../conformance/checks/modern/notification-accepted.js';
import uniqueInputKeys from '../../conformance/checks/mrtr/unique-input-keys.js';
import fileTraversal from '../../conformance/checks/resources/file-traversal.js';
import { duplicateKeys } from '../../conformance/kit/json-duplicates.js';
import { populateDefault } from '../../reference/populate.js';
import { listenAll } from '../../reference/serve.js';
import { ReferenceServer } from '../../reference/server.js';
import type { Listener } from '../../transport/connection.js';
import { listenLoopbackTcp, pipeLines, type Running } from './fixtures/mini-server.js';
import { listenRewriteProxy, type Obj, type Rewrite } from './fixtures/rewrite-proxy.js';
import { statuses } from './fixtures/run-checks.js';

/** A newline-delimited TCP proxy editing the text of the server's lines (so keys can repeat). */
async function lineProxy(upstreamUrl: string, toClient: (line: string) => string): Promise<Running> {
  const { hostname, port } = new URL(upstreamUrl);
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(Number(port), hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    pipeLines(client, (text) => void (upstream.destroyed || upstream.write(text)), (line) => [line]);
    pipeLines(upstream, (text) => void (client.destroyed || client.write(text)), (line) => [toClient(line)]);
  });
  return listenLoopbackTcp(server, sockets);
}

/** Repeats the first inputRequests entry of an InputRequiredResult, as text (the second copy is what JSON.parse keeps). */
function repeatFirstInputRequest(line: string): string {
  const message = JSON.parse(line) as { result?: { resultType?: string; inputRequests?: Record<string, unknown> } };
  const requests = message.result?.resultType === 'input_required' ? message.result.inputRequests : undefined;
  const first = requests === undefined ? undefined : Object.entries(requests)[0];
  if (first === undefined) return line;
  return line.replace('"inputRequests":{', `"inputRequests":{${JSON.stringify(first[0])}:${JSON.stringify(first[1])},`);
}

/** How the HTTP proxy answers a POST carrying a notification instead of forwarding it; undefined forwards. */
type NotificationAnswer = { status: number; body?: string; type?: string } | undefined;

/** A Streamable HTTP proxy that answers notification POSTs itself and forwards everything else. */
async function notificationProxy(upstream: string, answer: NotificationAnswer): Promise<{ url: string; close(): Promise<void> }> {
  const base = new URL(upstream);
  const server: HttpServer = createHttpServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      let parsed: unknown;
      try {
        parsed = JSON.parse(body.toString('utf8'));
      } catch {
        parsed = undefined;
      }
      const isNotification = typeof parsed === 'object' && parsed !== null && 'method' in parsed && !('id' in parsed);
      if (isNotification && answer !== undefined) {
        res.writeHead(answer.status, answer.type === undefined ? {} : { 'content-type': answer.type });
        res.end(answer.body ?? '');
        return;
      }
      const headers = { ...req.headers, host: base.host };
      const out = httpRequest({ host: base.hostname, port: base.port, path: base.pathname, method: req.method, headers }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      out.on('error', () => res.destroy());
      out.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${base.pathname}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

const FILE = 'file:///srv/mcpcert/docs/readme.txt';

/**
 * Adds a listed file:// resource to the reference server's resources/list and answers reads of
 * file:// URIs itself: the listed file is served; a URI with `..` (any spelling) is refused, or,
 * when `vulnerable`, served as the file it climbs to.
 */
function fileResources(vulnerable: boolean): Rewrite {
  return (message, direction, link) => {
    const params = (message.params ?? {}) as Obj;
    if (direction === 'toServer' && message.method === 'resources/list') link.state.set(`list ${JSON.stringify(message.id)}`, true);
    if (direction === 'toServer' && message.method === 'resources/read' && typeof params.uri === 'string' && params.uri.startsWith('file://')) {
      const uri = params.uri;
      const climbs = /\.\.|%2e%2e/i.test(uri);
      if (uri === FILE || (climbs && vulnerable)) link.toClient({ jsonrpc: '2.0', id: message.id ?? null, result: { contents: [{ uri, mimeType: 'text/plain', text: climbs ? 'root:x:0:0:root:/root:/bin/sh' : 'hello' }] } });
      else link.toClient({ jsonrpc: '2.0', id: message.id ?? null, error: { code: -32602, message: `Resource not found: ${uri}` } });
      return [];
    }
    if (direction === 'toClient' && link.state.get(`list ${JSON.stringify(message.id ?? null)}`) === true) {
      const result = (message.result ?? {}) as Obj;
      const resources = Array.isArray(result.resources) ? result.resources : [];
      return [{ ...message, result: { ...result, resources: [{ uri: FILE, name: 'readme', mimeType: 'text/plain' }, ...resources] } }];
    }
    return [message];
  };
}

describe('duplicateKeys', () => {
  it('finds repeated keys with their path, escapes decoded, and nothing in clean JSON', () => {
    expect(duplicateKeys('{"a":1,"b":{"x":[{"k":1,"k":2}],"y":"}"},"\\u0061":3}')).toEqual([
      { path: ['b', 'x', '0'], key: 'k' },
      { path: [], key: 'a' },
    ]);
    expect(duplicateKeys('{"a":{"a":{"a":"a"}} , "b" : [ ]}')).toEqual([]);
    expect(duplicateKeys('{"a":')).toBeUndefined();
  });
});

describe('modern rows against the reference server and broken copies', () => {
  let server: ReferenceServer;
  let listeners: Listener[];
  const closers: Array<() => Promise<void>> = [];
  const targetOf = (kind: string): string => listeners.find((l) => l.transport === kind)!.target;
  beforeAll(async () => {
    server = new ReferenceServer({ populate: populateDefault });
    listeners = await listenAll(server, ['tcp', 'http'], { host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await Promise.all(closers.map((c) => c()));
    await Promise.all(listeners.map((l) => l.close()));
    await server.close();
  });

  async function viaNotificationProxy(answer: NotificationAnswer): Promise<string | undefined> {
    const proxy = await notificationProxy(targetOf('http'), answer);
    closers.push(proxy.close);
    return (await statuses(proxy.url, [notificationAccepted], '2026-07-28'))['modern/notification-accepted'];
  }

  it('notification-accepted: the reference (400) and a server accepting with an empty 202 pass', async () => {
    expect(await viaNotificationProxy(undefined)).toBe('pass');
    expect(await viaNotificationProxy({ status: 202 })).toBe('pass');
  });

  it('notification-accepted: 200 with a JSON body, 202 with a body and 204 fail; 500 is an error status, so it passes', async () => {
    expect(await viaNotificationProxy({ status: 200, body: '{"jsonrpc":"2.0","id":null,"result":{}}', type: 'application/json' })).toBe('fail');
    expect(await viaNotificationProxy({ status: 202, body: '{"ok":true}', type: 'application/json' })).toBe('fail');
    expect(await viaNotificationProxy({ status: 204 })).toBe('fail');
    expect(await viaNotificationProxy({ status: 500, body: 'boom', type: 'text/plain' })).toBe('pass');
  });

  it('unique-input-keys: the reference passes through a faithful proxy and fails when a key repeats', async () => {
    const faithful = await lineProxy(targetOf('tcp'), (line) => line);
    closers.push(faithful.close);
    expect((await statuses(faithful.url, [uniqueInputKeys], '2026-07-28'))['mrtr/unique-input-keys']).toBe('pass');
    const repeating = await lineProxy(targetOf('tcp'), repeatFirstInputRequest);
    closers.push(repeating.close);
    expect((await statuses(repeating.url, [uniqueInputKeys], '2026-07-28'))['mrtr/unique-input-keys']).toBe('fail');
  });

  it('file-traversal: skips on the reference (no file:// resources), passes a server refusing ../, fails one serving it', async () => {
    expect((await statuses(targetOf('tcp'), [fileTraversal], '2026-07-28'))['resources/file-traversal']).toBe('skip');
    const safe = await listenRewriteProxy(targetOf('tcp'), fileResources(false));
    closers.push(safe.close);
    expect((await statuses(safe.url, [fileTraversal], '2025-11-25'))['resources/file-traversal']).toBe('pass');
    expect((await statuses(safe.url, [fileTraversal], '2026-07-28'))['resources/file-traversal']).toBe('pass');
    const leaky = await listenRewriteProxy(targetOf('tcp'), fileResources(true));
    closers.push(leaky.close);
    expect((await statuses(leaky.url, [fileTraversal], '2025-11-25'))['resources/file-traversal']).toBe('fail');
    expect((await statuses(leaky.url, [fileTraversal], '2026-07-28'))['resources/file-traversal']).toBe('fail');
  });
});
