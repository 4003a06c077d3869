import type { Check } from '../../check.js';

/** The sse checks, in run order. */
export const checks: readonly Check[] = [];
