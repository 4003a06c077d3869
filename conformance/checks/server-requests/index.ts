import type { Check } from '../../check.js';
import elicitationComplete from './elicitation-complete.js';
import undeclaredCapabilities from './undeclared-capabilities.js';
import validRequests from './valid-requests.js';
import urlElicitationError from './url-elicitation-error.js';
import samplingToolResults from './sampling-tool-results.js';

/** The server-requests checks, in run order. */
export const checks: readonly Check[] = [undeclaredCapabilities, validRequests, urlElicitationError, elicitationComplete, samplingToolResults];
