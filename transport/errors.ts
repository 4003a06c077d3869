/**
 * Local transport failures. Each has a stable string `code` (never sent on the wire) so
 * callers and reports can tell them apart without parsing messages. JSON-RPC errors that
 * cross the wire are plain `JsonRpcError` messages, kept apart from these on purpose.
 */

export type TransportErrorCode =
  | 'MCPCERT_ERR_PARSE'
  | 'MCPCERT_ERR_INVALID_MESSAGE'
  | 'MCPCERT_ERR_FRAME_TOO_LARGE'
  | 'MCPCERT_ERR_INVALID_UTF8'
  | 'MCPCERT_ERR_EMPTY_FRAME'
  | 'MCPCERT_ERR_BINARY_FRAME'
  | 'MCPCERT_ERR_HTTP_STATUS'
  | 'MCPCERT_ERR_CONTENT_TYPE'
  | 'MCPCERT_ERR_CONNECT'
  | 'MCPCERT_ERR_TIMEOUT'
  | 'MCPCERT_ERR_CLOSED'
  | 'MCPCERT_ERR_PROCESS'
  | 'MCPCERT_ERR_PROTOCOL';

export interface TransportErrorDetails {
  /** The raw text (or a prefix of it) that could not be used, kept as evidence. */
  raw?: string;
  status?: number;
  headers?: Record<string, string>;
  cause?: unknown;
}

export class TransportError extends Error {
  override readonly name: string = 'TransportError';
  readonly code: TransportErrorCode;
  readonly raw: string | undefined;
  readonly status: number | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(code: TransportErrorCode, message: string, details: TransportErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.raw = details.raw;
    this.status = details.status;
    this.headers = details.headers;
  }
}

/** Evidence text is capped so that a hostile peer cannot make us hold megabytes per error. */
export const EVIDENCE_LIMIT = 4096;

export function clip(text: string, limit = EVIDENCE_LIMIT): string {
  return text.length <= limit ? text : `${text.slice(0, limit)}… (${text.length - limit} more characters)`;
}

/**
 * A frame that arrived but is not a usable JSON-RPC message. It carries what a server needs
 * to answer it (-32700 or -32600, and the id if one could be read) and the raw text as evidence.
 */
export class MessageError extends TransportError {
  override readonly name = 'MessageError';
  readonly rpcCode: -32700 | -32600;
  readonly requestId: string | number | null;

  constructor(rpcCode: -32700 | -32600, message: string, raw: string, requestId: string | number | null = null) {
    super(rpcCode === -32700 ? 'MCPCERT_ERR_PARSE' : 'MCPCERT_ERR_INVALID_MESSAGE', message, { raw: clip(raw) });
    this.rpcCode = rpcCode;
    this.requestId = requestId;
  }
}

export function timeoutError(what: string, ms: number): TransportError {
  return new TransportError('MCPCERT_ERR_TIMEOUT', `${what} timed out after ${ms} ms`);
}

export function closedError(what: string): TransportError {
  return new TransportError('MCPCERT_ERR_CLOSED', `${what}: the connection is closed`);
}
