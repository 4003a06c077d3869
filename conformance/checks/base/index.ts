import type { Check } from '../../check.js';
import serverMessagesValid from './server-messages-valid.js';
import requestIdsEchoed from './request-ids-echoed.js';
import errorResponseShape from './error-response-shape.js';
import noResponseToNotification from './no-response-to-notification.js';
import parseError from './parse-error.js';

/** The base checks, in run order. */
export const checks: readonly Check[] = [serverMessagesValid, requestIdsEchoed, errorResponseShape, noResponseToNotification, parseError];
