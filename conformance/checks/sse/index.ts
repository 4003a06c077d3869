import type { Check } from '../../check.js';
import originRefused from './origin-refused.js';
import messageEvents from './message-events.js';

/** The sse checks, in run order. */
export const checks: readonly Check[] = [originRefused, messageEvents];
