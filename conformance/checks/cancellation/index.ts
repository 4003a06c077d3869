import type { Check } from '../../check.js';
import unknownRequestIgnored from './unknown-request-ignored.js';
import race from './race.js';
import stopsWhenCancelled from './stops-when-cancelled.js';
import nothingAfterCancel from './nothing-after-cancel.js';

/** The cancellation checks, in run order. */
export const checks: readonly Check[] = [unknownRequestIgnored, race, stopsWhenCancelled, nothingAfterCancel];
