/** The reference server with its default features, in this process, on a free loopback TCP port. */
import { populateDefault } from '../../reference/populate.js';
import { listenAll } from '../../reference/serve.js';
import { ReferenceServer } from '../../reference/server.js';

export interface ReferenceTcp {
  /** tcp://127.0.0.1:PORT */
  target: string;
  close(): Promise<void>;
}

export async function startReferenceTcp(): Promise<ReferenceTcp> {
  const server = new ReferenceServer({ populate: populateDefault });
  const listeners = await listenAll(server, ['tcp'], { host: '127.0.0.1', port: 0 });
  return {
    target: listeners[0]!.target,
    close: async () => {
      await Promise.all(listeners.map((l) => l.close()));
      await server.close();
    },
  };
}
