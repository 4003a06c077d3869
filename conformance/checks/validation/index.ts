import type { Check } from '../../check.js';
import toolInputs from './tool-inputs.js';

/** The validation checks, in run order. */
export const checks: readonly Check[] = [toolInputs];
