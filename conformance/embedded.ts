/**
 * The embedded default target (DESIGN.md "Command line": no TARGET): the reference server in
 * this process on loopback for http, sse, ws and tcp, and as a child `mcpcert serve --transport
 * stdio` for stdio, from this very package (sources under tsx, or the build).
 */
import { fileURLToPath } from 'node:url';
import { populateDefault } from '../reference/populate.js';
import { listenAll, NETWORK_TRANSPORTS } from '../reference/serve.js';
import { ReferenceServer } from '../reference/server.js';
import { dataPath } from '../spec/paths.js';
import type { Listener } from '../transport/connection.js';
import { parseTarget, stdioTarget, type Target } from './target.js';

export interface Embedded {
  targets: Target[];
  close(): Promise<void>;
}

/** How to start this package's own CLI: the TypeScript entry under tsx when running from sources. */
export function ownCli(): { command: string; args: string[] } {
  const fromSources = fileURLToPath(import.meta.url).endsWith('.ts');
  return fromSources ? { command: process.execPath, args: ['--import', 'tsx', dataPath('cli', 'main.ts')] } : { command: process.execPath, args: [dataPath('dist', 'cli', 'main.js')] };
}

/** Starts the listeners on 127.0.0.1, free ports. @throws the listen error (then nothing is left open). */
export async function startEmbedded(): Promise<Embedded> {
  const server = new ReferenceServer({ populate: populateDefault });
  let listeners: Listener[];
  try {
    listeners = await listenAll(server, NETWORK_TRANSPORTS, { host: '127.0.0.1', port: 0 });
  } catch (err) {
    await server.close();
    throw err;
  }
  const cli = ownCli();
  // A run starts ~100 short-lived stdio server children (one per fresh session); without the
  // optimizing compiler each costs ~12% less CPU, and the server behaves exactly the same.
  const targets: Target[] = [stdioTarget(cli.command, ['--no-opt', ...cli.args, 'serve', '--transport', 'stdio']), ...listeners.map((l) => parseTarget(l.target))];
  return {
    targets,
    close: async () => {
      await Promise.all(listeners.map((l) => l.close()));
      await server.close();
    },
  };
}
