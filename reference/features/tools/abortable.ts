/** Waiting that gives up as soon as the request is cancelled. */
import { setTimeout as delay } from 'node:timers/promises';

/**
 * Waits `ms` milliseconds (0 still yields to the event loop, so a cancellation that arrives
 * meanwhile is seen). Resolves true when the time passed, false when `signal` aborted first.
 */
export async function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return false;
  try {
    await delay(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}

export const ABORTED: unique symbol = Symbol('aborted');

/**
 * Settles like `work`, or resolves ABORTED as soon as `signal` aborts. `work` keeps running
 * (its own timeout ends it); its late rejection is absorbed so it never becomes unhandled.
 */
export function unlessAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T | typeof ABORTED> {
  work.catch(() => undefined);
  if (signal.aborted) return Promise.resolve(ABORTED);
  return new Promise<T | typeof ABORTED>((resolve, reject) => {
    const onAbort = () => resolve(ABORTED);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}
