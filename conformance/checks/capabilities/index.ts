import type { Check } from '../../check.js';
import declaredNotifications from './declared-notifications.js';
import undeclaredMethods from './undeclared-methods.js';

/** The capabilities checks, in run order. */
export const checks: readonly Check[] = [declaredNotifications, undeclaredMethods];
