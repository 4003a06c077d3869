import type { Check } from '../../check.js';
import listenStream from './listen-stream.js';

/** The subscriptions checks, in run order. */
export const checks: readonly Check[] = [listenStream];
