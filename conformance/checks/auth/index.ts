import type { Check } from '../../check.js';
import invalidToken from './invalid-token.js';
import malformedAuthorization from './malformed-authorization.js';
import everyRequestVerified from './every-request-verified.js';
import protectedResourceMetadata from './protected-resource-metadata.js';
import foreignTokenRefused from './foreign-token-refused.js';

/** The auth checks, in run order. */
export const checks: readonly Check[] = [invalidToken, malformedAuthorization, everyRequestVerified, protectedResourceMetadata, foreignTokenRefused];
