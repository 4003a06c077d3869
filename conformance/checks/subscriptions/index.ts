import type { Check } from '../../check.js';

/** The subscriptions checks, in run order. */
export const checks: readonly Check[] = [];
