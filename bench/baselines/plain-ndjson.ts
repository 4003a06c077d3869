/**
 * The NDJSON baseline: the least a JSON-RPC peer must do per line (split, parse for the id,
 * write a fixed reply), with nothing of mcpcert in the path.
 */
import type { Readable, Writable } from 'node:stream';

const REPLY_HEAD = '{"jsonrpc":"2.0","id":';
const REPLY_TAIL = ',"result":{}}\n';

/** Answers every request line on `input` with a fixed result carrying its id. */
export function plainNdjsonServer(input: Readable, output: Writable): void {
  let pending = '';
  input.setEncoding('utf8');
  input.on('data', (chunk: string) => {
    pending += chunk;
    let out = '';
    for (let nl = pending.indexOf('\n'); nl !== -1; nl = pending.indexOf('\n')) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      const { id } = JSON.parse(line) as { id: number };
      out += REPLY_HEAD + JSON.stringify(id) + REPLY_TAIL;
    }
    if (out) output.write(out);
  });
}

/** A client matching replies to requests by id over a byte stream pair. */
export function plainNdjsonClient(input: Readable, output: Writable): () => Promise<void> {
  const waiting = new Map<number, () => void>();
  let nextId = 1;
  let pending = '';
  input.setEncoding('utf8');
  input.on('data', (chunk: string) => {
    pending += chunk;
    for (let nl = pending.indexOf('\n'); nl !== -1; nl = pending.indexOf('\n')) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      const { id } = JSON.parse(line) as { id: number };
      waiting.get(id)?.();
      waiting.delete(id);
    }
  });
  return () =>
    new Promise<void>((resolve) => {
      const id = nextId++;
      waiting.set(id, resolve);
      output.write(`{"jsonrpc":"2.0","id":${id},"method":"ping"}\n`);
    });
}
