/**
 * Property checks (DESIGN.md "Checks"): fast-check draws cases from the run's seed, every case
 * is judged against the target, and a failing case is shrunk to a minimal counterexample whose
 * seed and path replay it (`mcpcert test TARGET --only ID --seed S --path P`). Each case talks
 * to a live server, so the search and the shrinking are bounded in time as well as in cases.
 */
import fc from 'fast-check';
import type { JsonValue } from '../../transport/jsonrpc.js';
import type { CheckContext, FailureDetails } from '../check.js';

/** What a case that broke the property showed: the failure message and its evidence. */
export interface Violation {
  message: string;
  details?: Omit<FailureDetails, 'replay'>;
}

export interface PropertySpec<T> {
  arbitrary: fc.Arbitrary<T>;
  /** Judges one case against the target: a violation, or undefined when the case holds. */
  judge: (value: T) => Promise<Violation | undefined>;
  /** The case as report data (the counterexample). */
  describe: (value: T) => JsonValue;
  /** Cases when `--runs` is not given. */
  defaultRuns: number;
  /** Share of the check's budget the search and shrinking may take (default 0.6). */
  budgetShare?: number;
}

export interface PropertyOutcome {
  /** Cases judged, counting shrink attempts. */
  cases: number;
  failed: boolean;
  /** True when the time budget ended the search (or the shrinking) early. */
  interrupted: boolean;
}

class ViolationSignal extends Error {
  readonly violation: Violation;
  constructor(violation: Violation) {
    super(violation.message);
    this.violation = violation;
  }
}

/**
 * Runs the property with the run's seed (replaying `--path` when given) and records its
 * minimal counterexample as the check's failure, with the flags that replay it.
 */
export async function checkProperty<T>(ctx: CheckContext, spec: PropertySpec<T>): Promise<PropertyOutcome> {
  let cases = 0;
  const property = fc.asyncProperty(spec.arbitrary, async (value) => {
    cases += 1;
    const violation = await spec.judge(value);
    if (violation !== undefined) throw new ViolationSignal(violation);
  });
  const { seed, path, runs } = ctx.property;
  const details = await fc.check(property, {
    seed,
    ...(path === undefined ? {} : { path }),
    numRuns: runs ?? spec.defaultRuns,
    interruptAfterTimeLimit: Math.max(200, Math.floor(ctx.timeoutMs * (spec.budgetShare ?? 0.6))),
    // Running out of time is not a failure of the target: the cases run so far still count.
    markInterruptAsFailure: false,
    // fast-check's own stack traces say nothing about the target.
    includeErrorInReport: false,
  });
  ctx.note(`property: ${cases} case(s) judged with seed ${seed}${path === undefined ? '' : ` from path ${path}`}${details.interrupted ? ' before the time budget ran out' : ''}`);
  if (!details.failed || details.counterexample === null) return { cases, failed: false, interrupted: details.interrupted };
  const [value] = details.counterexample;
  const error = details.errorInstance;
  const counterexample = spec.describe(value);
  const replay = { seed: details.seed, path: details.counterexamplePath ?? '', counterexample };
  if (error instanceof ViolationSignal) {
    const shrunk = details.numShrinks > 0 ? ` (shrunk ${details.numShrinks} time(s))` : '';
    ctx.fail(`${error.violation.message}${shrunk}; replay: --seed ${replay.seed} --path ${replay.path}`, { ...error.violation.details, replay });
  } else {
    // The judge itself threw (a harness error, a closed connection): report it as it is.
    throw error instanceof Error ? error : new Error(String(error));
  }
  return { cases, failed: true, interrupted: details.interrupted };
}
