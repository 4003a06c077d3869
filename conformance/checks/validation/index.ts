import type { Check } from '../../check.js';
import toolInputs from './tool-inputs.js';
import resourceUris from './resource-uris.js';
import completionInputs from './completion-inputs.js';
import messageRules from './message-rules.js';
import oneMessagePerLine from './one-message-per-line.js';
import serverNotifications from './server-notifications.js';
import metaValues from './meta-values.js';
import noServerRequests from './no-server-requests.js';

/** The validation checks, in run order. */
export const checks: readonly Check[] = [toolInputs, resourceUris, completionInputs, messageRules, oneMessagePerLine, serverNotifications, metaValues, noServerRequests];
