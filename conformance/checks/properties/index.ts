import type { Check } from '../../check.js';
import requestIds from './request-ids.js';
import toolCallInvalidArguments from './tool-call-invalid-arguments.js';
import toolCallValidArguments from './tool-call-valid-arguments.js';

export const checks: readonly Check[] = [requestIds, toolCallValidArguments, toolCallInvalidArguments];
