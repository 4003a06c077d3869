import type { Check } from '../../check.js';
import streamNotificationsRelated from './stream-notifications-related.js';
import originForbidden from './origin-forbidden.js';
import singleEndpoint from './single-endpoint.js';
import notificationAccepted from './notification-accepted.js';
import unacceptableMessage from './unacceptable-message.js';
import requestContentType from './request-content-type.js';
import getStream from './get-stream.js';
import streamRouting from './stream-routing.js';
import eventIdsUnique from './event-ids-unique.js';
import resumeOwnStream from './resume-own-stream.js';
import sessionIdAscii from './session-id-ascii.js';
import sessionIdUnpredictable from './session-id-unpredictable.js';
import sessionTerminated from './session-terminated.js';
import protocolVersionHeader from './protocol-version-header.js';
import unsupportedVersionStatus from './unsupported-version-status.js';
import protocolVersionRequired from './protocol-version-required.js';
import headerNameCase from './header-name-case.js';
import paramHeaderRules from './param-header-rules.js';
import noRequestOnStream from './no-request-on-stream.js';

/** The http checks, in run order. */
export const checks: readonly Check[] = [
  originForbidden,
  singleEndpoint,
  notificationAccepted,
  unacceptableMessage,
  requestContentType,
  getStream,
  streamRouting,
  eventIdsUnique,
  resumeOwnStream,
  sessionIdAscii,
  sessionIdUnpredictable,
  sessionTerminated,
  protocolVersionHeader,
  unsupportedVersionStatus,
  protocolVersionRequired,
  headerNameCase,
  paramHeaderRules,
  noRequestOnStream,
  streamNotificationsRelated,
];
