import type { Check } from '../../check.js';

/** The auth checks, in run order. */
export const checks: readonly Check[] = [];
