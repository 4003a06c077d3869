/**
 * Harness errors of the conformance suite: what went wrong on *our* side of a check, or why we
 * could not judge. A check that throws one ends as `error`, never `fail` (STYLE.md "Check").
 * Each class has a stable `code`; compare by code, which survives a second copy of the package.
 */

export type HarnessErrorCode =
  | 'MCPCERT_ERR_TARGET_SYNTAX'
  | 'MCPCERT_ERR_UNREACHABLE'
  | 'MCPCERT_ERR_NO_RESPONSE'
  | 'MCPCERT_ERR_TARGET_CLOSED'
  | 'MCPCERT_ERR_TRANSPORT'
  | 'MCPCERT_ERR_CHECK_TIMEOUT';

export interface HarnessErrorData {
  method?: string;
  id?: string | number;
  timeoutMs?: number;
  status?: number;
}

export class HarnessError extends Error {
  override readonly name: string = 'HarnessError';
  readonly code: HarnessErrorCode;
  readonly data: HarnessErrorData;

  constructor(code: HarnessErrorCode, message: string, data: HarnessErrorData = {}, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.code = code;
    this.data = data;
  }
}

/** A TARGET string or header that does not parse: a usage error (exit 2). */
export class TargetSyntaxError extends HarnessError {
  override readonly name = 'TargetSyntaxError';
  constructor(message: string) {
    super('MCPCERT_ERR_TARGET_SYNTAX', message);
  }
}

/** The target could not be started or reached at all (exit 3). */
export class UnreachableError extends HarnessError {
  override readonly name = 'UnreachableError';
  constructor(message: string, cause?: unknown) {
    super('MCPCERT_ERR_UNREACHABLE', message, {}, cause);
  }
}

/** No response to a request within its timeout. */
export class NoResponseError extends HarnessError {
  override readonly name = 'NoResponseError';
  constructor(method: string, id: string | number, timeoutMs: number) {
    super('MCPCERT_ERR_NO_RESPONSE', `timed out after ${timeoutMs} ms waiting for the response to ${method} (id ${JSON.stringify(id)})`, { method, id, timeoutMs });
  }
}

/** The connection ended (the process exited, the socket closed) while a request was pending. */
export class TargetClosedError extends HarnessError {
  override readonly name = 'TargetClosedError';
  constructor(method: string, id: string | number, reason: string) {
    super('MCPCERT_ERR_TARGET_CLOSED', `the connection closed before the response to ${method} (id ${JSON.stringify(id)}) arrived: ${reason}`, { method, id });
  }
}

/** The transport refused a message (an HTTP error status without a JSON-RPC answer, a failed write). */
export class TransportFailure extends HarnessError {
  override readonly name = 'TransportFailure';
  constructor(method: string, message: string, status?: number, cause?: unknown) {
    super('MCPCERT_ERR_TRANSPORT', `${method}: ${message}`, status === undefined ? { method } : { method, status }, cause);
  }
}

export class CheckTimeoutError extends HarnessError {
  override readonly name = 'CheckTimeoutError';
  constructor(timeoutMs: number) {
    super('MCPCERT_ERR_CHECK_TIMEOUT', `the check did not finish within ${timeoutMs} ms`, { timeoutMs });
  }
}

export function isHarnessError(err: unknown, code?: HarnessErrorCode): err is HarnessError {
  if (typeof err !== 'object' || err === null) return false;
  const c = (err as { code?: unknown }).code;
  return typeof c === 'string' && c.startsWith('MCPCERT_ERR_') && (code === undefined || c === code);
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
