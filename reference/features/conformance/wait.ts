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
export function unlessCancelled<T>(work: Promise<T>, signal: AbortSignal, what: string): Promise<T> {
  if (signal.aborted) {
    // The work may still settle later; nobody waits for it, so its rejection must not go unhandled.
    work.catch(() => undefined);
    return Promise.reject(new FixtureCancelledError(what));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      work.catch(() => undefined);
      reject(new FixtureCancelledError(what));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
