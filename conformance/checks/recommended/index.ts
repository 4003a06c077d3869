import type { Check } from '../../check.js';
import promptGetErrors from './prompt-get-errors.js';
import completionErrors from './completion-errors.js';
import logLevelInvalid from './log-level-invalid.js';
import structuredContentText from './structured-content-text.js';
import postStreamEnds from './post-stream-ends.js';
import missingSession400 from './missing-session-400.js';

export const checks: readonly Check[] = [promptGetErrors, completionErrors, logLevelInvalid, structuredContentText, postStreamEnds, missingSession400];
