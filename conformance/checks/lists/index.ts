import type { Check } from '../../check.js';
import stable from './stable.js';

/** The lists checks, in run order. */
export const checks: readonly Check[] = [stable];
