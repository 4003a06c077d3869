/** Reading a POST body with a size cap, on the server side. */
import type { IncomingMessage } from 'node:http';

export type BodyResult =
  | { ok: true; text: string; bytes: number }
  | { ok: false; reason: 'too-large'; bytes: number }
  | { ok: false; reason: 'not-utf8'; bytes: number }
  | { ok: false; reason: 'aborted'; bytes: number };

/**
 * An oversize body is drained (up to this multiple of the cap) before the 413 goes out:
 * answering while the client is still uploading makes many clients report a reset instead of
 * the status. Beyond it the socket is given up.
 */
const DRAIN_FACTOR = 4;

export function readBody(req: IncomingMessage, maxBytes: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    let tooLarge = false;
    const finish = (result: BodyResult): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onAbort);
      req.off('close', onClose);
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      bytes += chunk.length;
      if (tooLarge) {
        if (bytes > maxBytes * DRAIN_FACTOR) {
          finish({ ok: false, reason: 'too-large', bytes });
          req.socket.destroy();
        }
        return;
      }
      if (bytes > maxBytes) {
        tooLarge = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      if (tooLarge) return finish({ ok: false, reason: 'too-large', bytes });
      const buffer = Buffer.concat(chunks);
      try {
        // MCP messages MUST be UTF-8 (spec digest §B.1); a lenient decoder would hide the fault.
        finish({ ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(buffer), bytes });
      } catch {
        finish({ ok: false, reason: 'not-utf8', bytes });
      }
    };
    const onAbort = (): void => finish({ ok: false, reason: 'aborted', bytes });
    const onClose = (): void => {
      if (!req.complete) onAbort();
    };
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes * DRAIN_FACTOR) {
      finish({ ok: false, reason: 'too-large', bytes: declared });
      return;
    }
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onAbort);
    req.on('close', onClose);
  });
}
