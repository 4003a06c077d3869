import type { Check } from '../../check.js';
import stdoutOnlyMessages from './stdout-only-messages.js';
import noServerRequests from './no-server-requests.js';

/** The stdio checks, in run order. */
export const checks: readonly Check[] = [stdoutOnlyMessages, noServerRequests];
