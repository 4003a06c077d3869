import type { Check } from '../../check.js';
import inputRequestsDeclared from './input-requests-declared.js';
import inputRequestsValid from './input-requests-valid.js';
import tamperedState from './tampered-state.js';
import missingCapabilityError from './missing-capability-error.js';
import uniqueInputKeys from './unique-input-keys.js';
import declinedInputHandled from './declined-input-handled.js';

/** The mrtr checks, in run order. */
export const checks: readonly Check[] = [inputRequestsValid, inputRequestsDeclared, tamperedState, missingCapabilityError, uniqueInputKeys, declinedInputHandled];
