import type { Check } from '../../check.js';

/** The validation checks, in run order. */
export const checks: readonly Check[] = [];
