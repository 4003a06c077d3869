import type { Check } from '../../check.js';
import inputRequestsDeclared from './input-requests-declared.js';
import inputRequestsValid from './input-requests-valid.js';
import tamperedState from './tampered-state.js';

/** The mrtr checks, in run order. */
export const checks: readonly Check[] = [inputRequestsValid, inputRequestsDeclared, tamperedState];
