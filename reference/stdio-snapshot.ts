/**
 * The stdio reference server as a V8 startup snapshot entry (`node --build-snapshot`, run by
 * scripts/bundle-stdio.mjs on a CommonJS bundle of this file). The suite starts one stdio
 * server per fresh session, ~100 in a full run; from the snapshot each starts with its modules
 * loaded and its schema validators compiled, at about half the CPU of loading the bundle.
 *
 * Only code and pure data go into the snapshot: the server itself, its session ids and its
 * signing keys are made after the process starts, so no two processes share a secret.
 */
import { startupSnapshot } from 'node:v8';
import { methodTable } from '../spec/methods.js';
import { hasDefinition, validatorFor } from '../spec/validate.js';
import { PROTOCOL_VERSIONS } from '../spec/versions.js';
import { populateDefault } from './populate.js';
import { serveOnStdio } from './serve-stdio.js';
import { ReferenceServer } from './server.js';

/** What a client may answer to the server's own requests; validated like requests are. */
const CLIENT_RESULTS = ['InitializeRequest', 'CreateMessageResult', 'ElicitResult', 'ListRootsResult', 'TextResourceContents'];

for (const version of PROTOCOL_VERSIONS) {
  const names = new Set([...methodTable(version).map((m) => m.definition), ...CLIENT_RESULTS]);
  for (const name of names) if (hasDefinition(version, name)) validatorFor(version, name);
}

startupSnapshot.setDeserializeMainFunction(() => {
  const server = new ReferenceServer({ populate: populateDefault });
  // stdout carries MCP only; everything human goes to stderr.
  process.stderr.write('mcpcert reference server speaking MCP on stdio\n');
  void serveOnStdio(server).then(() => server.close());
});
