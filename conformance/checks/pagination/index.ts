import type { Check } from '../../check.js';
import invalidCursor from './invalid-cursor.js';
import cursorWalk from './cursor-walk.js';

/** The pagination checks, in run order. */
export const checks: readonly Check[] = [invalidCursor, cursorWalk];
