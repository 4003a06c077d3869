import { ABORTED, unlessAborted } from '../tools/abortable.js';

/**
 * Waiting inside a fixture. The scenarios want notifications spread over time, and a
 * cancelled request must stop waiting at once rather than hold its timer.
 */

/** Thrown when the request was cancelled while a fixture waited; the engine sends no response for it. */
export class FixtureCancelledError extends Error {
  override readonly name = 'FixtureCancelledError';
  readonly code = 'MCPCERT_ERR_CANCELLED';

  constructor(what: string) {
    super(`request cancelled while ${what}`);
  }
}

/** Resolves after `ms`, or rejects with FixtureCancelledError as soon as `signal` aborts. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(new FixtureCancelledError(`waiting ${ms} ms`));
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(new FixtureCancelledError(`waiting ${ms} ms`));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Settles like `work`, or rejects with FixtureCancelledError as soon as `signal` aborts. */
export async function unlessCancelled<T>(work: Promise<T>, signal: AbortSignal, what: string): Promise<T> {
  const outcome = await unlessAborted(work, signal);
  if (outcome === ABORTED) throw new FixtureCancelledError(what);
  return outcome;
}
