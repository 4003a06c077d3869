import type { Check } from '../../check.js';

/** The lists checks, in run order. */
export const checks: readonly Check[] = [];
