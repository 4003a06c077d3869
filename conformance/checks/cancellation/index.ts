import type { Check } from '../../check.js';
import unknownRequestIgnored from './unknown-request-ignored.js';

/** The cancellation checks, in run order. */
export const checks: readonly Check[] = [unknownRequestIgnored];
