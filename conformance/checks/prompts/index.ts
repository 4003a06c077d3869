import type { Check } from '../../check.js';
import getListed from './get-listed.js';

/** The prompts checks, in run order. */
export const checks: readonly Check[] = [getListed];
