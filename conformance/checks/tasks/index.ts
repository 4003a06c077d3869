import type { Check } from '../../check.js';
import createTaskResult from './create-task-result.js';
import getAndResult from './get-and-result.js';
import unknownTask from './unknown-task.js';
import requiredWithoutTask from './required-without-task.js';
import cancelTerminal from './cancel-terminal.js';
import statusLifecycle from './status-lifecycle.js';
import taskIds from './task-ids.js';
import resultMatchesDirect from './result-matches-direct.js';
import taskIdAuthoritative from './task-id-authoritative.js';
import listCursor from './list-cursor.js';
import metadataIgnored from './metadata-ignored.js';
import progress from './progress.js';
import undeclaredTaskCall from './undeclared-task-call.js';
import inputRequiredRelated from './input-required-related.js';

/** The tasks checks, in run order. */
export const checks: readonly Check[] = [createTaskResult, getAndResult, unknownTask, requiredWithoutTask, cancelTerminal, statusLifecycle, taskIds, resultMatchesDirect, taskIdAuthoritative, listCursor, metadataIgnored, progress, undeclaredTaskCall, inputRequiredRelated];
