/** `mcpcert serve`: the reference server on one or all transports, until SIGINT/SIGTERM. */
import { ReferenceServer } from '../reference/server.js';
import { populateDefault } from '../reference/populate.js';
import { AuthConfigError, parseOAuthSpec, staticTokenAuth, type AuthConfig } from '../reference/auth/config.js';
import { serveOnStdio } from '../reference/serve-stdio.js';
import { AUTH_TRANSPORTS, NETWORK_TRANSPORTS, type NetworkTransport } from '../reference/transports.js';
import { oneOf, parse, str } from './args.js';
import { EXIT, UsageError } from './usage.js';

const TRANSPORT_CHOICES = ['all', 'stdio', ...NETWORK_TRANSPORTS] as const;

export async function runServe(args: string[]): Promise<number> {
  const parsed = parse('serve', args, {
    transport: { type: 'string' },
    host: { type: 'string' },
    port: { type: 'string' },
    'auth-token': { type: 'string' },
    auth: { type: 'string' },
  });
  const transport = oneOf(parsed, 'transport', TRANSPORT_CHOICES, 'all');
  const host = str(parsed, 'host') ?? '127.0.0.1';
  const portText = str(parsed, 'port') ?? '0';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535 - NETWORK_TRANSPORTS.length) throw new UsageError(`serve: --port must be an integer from 0 to ${65535 - NETWORK_TRANSPORTS.length} (got "${portText}")`);
  const auth = authConfig(str(parsed, 'auth-token'), str(parsed, 'auth'));
  if (auth && transport !== 'all' && !(AUTH_TRANSPORTS as readonly string[]).includes(transport)) {
    throw new UsageError(`serve: --auth and --auth-token apply to ${AUTH_TRANSPORTS.join(', ')}; ${transport === 'stdio' ? 'a stdio server takes its credentials from the environment' : 'tcp cannot carry a token'}`);
  }
  const server = new ReferenceServer({ populate: populateDefault });

  if (transport === 'stdio') {
    // stdout carries MCP only; everything human goes to stderr.
    process.stderr.write('mcpcert reference server speaking MCP on stdio\n');
    await serveOnStdio(server);
    await server.close();
    return EXIT.ok;
  }

  // With authorization, `all` leaves tcp out rather than open a door that skips it.
  const all = auth ? AUTH_TRANSPORTS : NETWORK_TRANSPORTS;
  if (auth && transport === 'all') process.stderr.write('mcpcert serve: authorization is on, so tcp (which cannot carry a token) is not started\n');
  const transports: readonly NetworkTransport[] = transport === 'all' ? all : [transport];
  // Loaded here so `serve --transport stdio` starts without the network stacks.
  const { listenAll } = await import('../reference/serve.js');
  let listeners;
  try {
    listeners = await listenAll(server, transports, auth ? { host, port, auth } : { host, port });
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
    // Started by `mcpcert test` as its embedded target: stdin is a pipe from the parent, and
    // its end means the parent is gone (even killed outright), so this server goes too.
    if (process.env.MCPCERT_EXIT_WITH_PARENT === '1') {
      process.stdin.on('end', () => stop('SIGTERM'));
      process.stdin.on('error', () => stop('SIGTERM'));
      process.stdin.resume();
    }
  });
  for (const l of listeners) process.stdout.write(`READY ${l.transport} ${l.target}\n`);
  await stopped;
  // The lifeline would otherwise keep the event loop, and so this process, alive.
  process.stdin.destroy();
  await server.close();
  return EXIT.ok;
}

function authConfig(token: string | undefined, spec: string | undefined): AuthConfig | undefined {
  if (token !== undefined && spec !== undefined) throw new UsageError('serve: --auth-token and --auth exclude each other');
  try {
    if (token !== undefined) return staticTokenAuth(token);
    if (spec !== undefined) return parseOAuthSpec(spec);
  } catch (err) {
    if (err instanceof AuthConfigError) throw new UsageError(`serve: ${err.message}`);
    throw err;
  }
  return undefined;
}
