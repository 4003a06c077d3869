/** Closed-loop round-trip measurement shared by the transport benchmarks. */

export interface Rate {
  /** Completed round trips per second over the measured window. */
  perSecond: number;
  completed: number;
  seconds: number;
}

/**
 * Keeps `inFlight` calls outstanding for `warmupMs` (discarded) then `durationMs` (counted).
 * A closed loop on purpose: this compares the cost of two stacks at saturation, not latency.
 */
export async function roundTrips(call: () => Promise<unknown>, inFlight: number, durationMs: number, warmupMs: number): Promise<Rate> {
  let counting = false;
  let stop = false;
  let completed = 0;
  const worker = async () => {
    while (!stop) {
      await call();
      if (counting) completed++;
    }
  };
  const workers = Array.from({ length: inFlight }, worker);
  await sleep(warmupMs);
  counting = true;
  const start = performance.now();
  await sleep(durationMs);
  counting = false;
  const seconds = (performance.now() - start) / 1000;
  stop = true;
  await Promise.all(workers);
  return { perSecond: completed / seconds, completed, seconds };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
