/**
 * The reference server on stdin/stdout, as one entry point: what `mcpcert serve --transport
 * stdio` runs, without the CLI around it. The build bundles it into one file
 * (scripts/bundle-stdio.mjs), which the suite starts for every fresh stdio session of the
 * embedded target: one file to load instead of a hundred modules halves each start.
 */
import { populateDefault } from './populate.js';
import { serveOnStdio } from './serve-stdio.js';
import { ReferenceServer } from './server.js';

const server = new ReferenceServer({ populate: populateDefault });
// stdout carries MCP only; everything human goes to stderr.
process.stderr.write('mcpcert reference server speaking MCP on stdio\n');
await serveOnStdio(server);
await server.close();
