import type { Check } from '../../check.js';
import originForbidden from './origin-forbidden.js';
import notificationAccepted from './notification-accepted.js';
import getStream from './get-stream.js';
import sessionIdAscii from './session-id-ascii.js';
import sessionTerminated from './session-terminated.js';
import protocolVersionHeader from './protocol-version-header.js';
import unsupportedVersionStatus from './unsupported-version-status.js';

/** The http checks, in run order. */
export const checks: readonly Check[] = [originForbidden, notificationAccepted, getStream, sessionIdAscii, sessionTerminated, protocolVersionHeader, unsupportedVersionStatus];
