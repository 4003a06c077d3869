import type { Check } from '../../check.js';
import monotonic from './monotonic.js';

/** The progress checks, in run order. */
export const checks: readonly Check[] = [monotonic];
