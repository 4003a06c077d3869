/** `mcpcert serve`: the reference server on one or all transports, until SIGINT/SIGTERM. */
import { ReferenceServer } from '../reference/server.js';
import { populateDefault } from '../reference/populate.js';
import { listenAll, NETWORK_TRANSPORTS, serveOnStdio, type NetworkTransport } from '../reference/serve.js';
import { oneOf, parse, str } from './args.js';
import { EXIT, UsageError } from './usage.js';

const TRANSPORT_CHOICES = ['all', 'stdio', ...NETWORK_TRANSPORTS] as const;

export async function runServe(args: string[]): Promise<number> {
  const parsed = parse('serve', args, {
    transport: { type: 'string' },
    host: { type: 'string' },
    port: { type: 'string' },
  });
  const transport = oneOf(parsed, 'transport', TRANSPORT_CHOICES, 'all');
  const host = str(parsed, 'host') ?? '127.0.0.1';
  const portText = str(parsed, 'port') ?? '0';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535 - NETWORK_TRANSPORTS.length) throw new UsageError(`serve: --port must be an integer from 0 to ${65535 - NETWORK_TRANSPORTS.length} (got "${portText}")`);
  const server = new ReferenceServer({ populate: populateDefault });

  if (transport === 'stdio') {
    // stdout carries MCP only; everything human goes to stderr.
    process.stderr.write('mcpcert reference server speaking MCP on stdio\n');
    await serveOnStdio(server);
    await server.close();
    return EXIT.ok;
  }

  const transports: readonly NetworkTransport[] = transport === 'all' ? NETWORK_TRANSPORTS : [transport];
  let listeners;
  try {
    listeners = await listenAll(server, transports, { host, port });
  } catch (err) {
    process.stderr.write(`mcpcert: serve: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT.unreachable;
  }
  // Handlers first: a script may signal us the moment it reads READY, and a signal that
  // arrives before a listener exists kills the process with the default action.
  const stopped = new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.stderr.write(`mcpcert serve: ${signal}, shutting down\n`);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  for (const l of listeners) process.stdout.write(`READY ${l.transport} ${l.target}\n`);
  await stopped;
  await server.close();
  return EXIT.ok;
}
