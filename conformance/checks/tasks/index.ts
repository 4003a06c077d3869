import type { Check } from '../../check.js';
import createTaskResult from './create-task-result.js';
import getAndResult from './get-and-result.js';
import unknownTask from './unknown-task.js';
import requiredWithoutTask from './required-without-task.js';
import cancelTerminal from './cancel-terminal.js';

/** The tasks checks, in run order. */
export const checks: readonly Check[] = [createTaskResult, getAndResult, unknownTask, requiredWithoutTask, cancelTerminal];
