import type { Check } from '../../check.js';
import listValid from './list-valid.js';
import names from './names.js';
import callResultSchema from './call-result-schema.js';
import callNoInternalError from './call-no-internal-error.js';
import structuredContent from './structured-content.js';

/** The tools checks, in run order. */
export const checks: readonly Check[] = [listValid, names, callResultSchema, callNoInternalError, structuredContent];
