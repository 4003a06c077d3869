/**
 * One bounded GET of a JSON document from an authorization server: a deadline on the whole
 * exchange, a cap on the body, no redirects followed, no keep-alive socket left behind (a
 * process shutting down must not wait for an idle connection to an issuer).
 */
import { request } from 'undici';

export type FetchJsonResult = { ok: true; value: unknown } | { ok: false; status?: number; reason: string };

export interface FetchJsonOptions {
  timeoutMs: number;
  maxBytes: number;
}

export async function fetchJson(url: string, options: FetchJsonOptions): Promise<FetchJsonResult> {
  let response;
  try {
    response = await request(url, {
      method: 'GET',
      headers: { accept: 'application/json' },
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      signal: AbortSignal.timeout(options.timeoutMs),
      reset: true,
    });
  } catch (err) {
    return { ok: false, reason: `GET ${url} failed: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (response.statusCode !== 200) {
    await response.body.dump().catch(() => undefined);
    return { ok: false, status: response.statusCode, reason: `GET ${url} answered HTTP ${response.statusCode}` };
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body) {
      const buffer = chunk as Buffer;
      size += buffer.length;
      if (size > options.maxBytes) {
        response.body.destroy();
        return { ok: false, reason: `GET ${url}: the document exceeds ${options.maxBytes} bytes` };
      }
      chunks.push(buffer);
    }
  } catch (err) {
    return { ok: false, reason: `GET ${url}: reading the body failed: ${err instanceof Error ? err.message : String(err)}` };
  }
  try {
    return { ok: true, value: JSON.parse(Buffer.concat(chunks, size).toString('utf8')) as unknown };
  } catch {
    return { ok: false, reason: `GET ${url}: the body is not JSON` };
  }
}
