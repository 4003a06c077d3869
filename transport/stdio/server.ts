/**
 * The server side of stdio: MCP on our own stdin/stdout (or any stream pair, for tests).
 * Nothing but framed messages may reach the output, so logging belongs on stderr.
 */
import type { Readable, Writable } from 'node:stream';
import type { CommonOptions } from '../connection.js';
import { NdjsonConnection } from '../ndjson-connection.js';
import { endStream } from '../stream-write.js';

export interface StdioServerOptions extends CommonOptions {
  input?: Readable;
  output?: Writable;
}

export function serveStdio(options: StdioServerOptions = {}): NdjsonConnection {
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;
  return new NdjsonConnection({
    transport: 'stdio',
    input,
    output,
    ...(options.maxMessageBytes === undefined ? {} : { maxMessageBytes: options.maxMessageBytes }),
    dispose: async () => {
      input.pause();
      // Ending our output is how a stdio server tells the client it is done (spec: close stdout, exit).
      await endStream(output);
    },
  });
}
