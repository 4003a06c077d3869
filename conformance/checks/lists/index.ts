import type { Check } from '../../check.js';
import stable from './stable.js';
import listedAvailable from './listed-available.js';

/** The lists checks, in run order. */
export const checks: readonly Check[] = [stable, listedAvailable];
