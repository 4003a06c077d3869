import type { Check } from '../../check.js';

/** The server-requests checks, in run order. */
export const checks: readonly Check[] = [];
