import type { Check } from '../../check.js';
import valuesLimit from './values-limit.js';

/** The completion checks, in run order. */
export const checks: readonly Check[] = [valuesLimit];
