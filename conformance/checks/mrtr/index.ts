import type { Check } from '../../check.js';

/** The mrtr checks, in run order. */
export const checks: readonly Check[] = [];
