import type { Check } from '../../check.js';
import listValid from './list-valid.js';
import readListed from './read-listed.js';
import notFoundCode from './not-found-code.js';
import fileTraversal from './file-traversal.js';

/** The resources checks, in run order. */
export const checks: readonly Check[] = [listValid, readListed, notFoundCode, fileTraversal];
