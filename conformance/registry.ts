/**
 * Every check of the suite. A check lives in conformance/checks/GROUP/NAME.ts and its id is
 * GROUP/NAME; a test holds the two together and checks every requirement id against the catalog.
 */
import type { Check } from './check.js';
import baseErrorResponseShape from './checks/base/error-response-shape.js';
import baseNoResponseToNotification from './checks/base/no-response-to-notification.js';
import baseParseError from './checks/base/parse-error.js';
import baseRequestIdsEchoed from './checks/base/request-ids-echoed.js';
import baseServerMessagesValid from './checks/base/server-messages-valid.js';
import capabilitiesDeclaredNotifications from './checks/capabilities/declared-notifications.js';
import completionValuesLimit from './checks/completion/values-limit.js';
import httpGetStream from './checks/http/get-stream.js';
import httpNotificationAccepted from './checks/http/notification-accepted.js';
import httpOriginForbidden from './checks/http/origin-forbidden.js';
import httpProtocolVersionHeader from './checks/http/protocol-version-header.js';
import httpSessionIdAscii from './checks/http/session-id-ascii.js';
import httpSessionTerminated from './checks/http/session-terminated.js';
import httpUnsupportedVersionStatus from './checks/http/unsupported-version-status.js';
import lifecycleInitializeResult from './checks/lifecycle/initialize-result.js';
import lifecyclePing from './checks/lifecycle/ping.js';
import lifecycleRequestBeforeInitialize from './checks/lifecycle/request-before-initialize.js';
import lifecycleVersionCounterOffer from './checks/lifecycle/version-counter-offer.js';
import lifecycleVersionEcho from './checks/lifecycle/version-echo.js';
import modernCacheHints from './checks/modern/cache-hints.js';
import modernDiscover from './checks/modern/discover.js';
import modernMissingMeta from './checks/modern/missing-meta.js';
import modernResultType from './checks/modern/result-type.js';
import modernUnsupportedVersion from './checks/modern/unsupported-version.js';
import modernHeaderMismatch from './checks/modern/header-mismatch.js';
import modernUnknownMethod404 from './checks/modern/unknown-method-404.js';
import modernResourceNotFound from './checks/modern/resource-not-found.js';
import modernStatelessCapabilities from './checks/modern/stateless-capabilities.js';
import resourcesNotFoundCode from './checks/resources/not-found-code.js';
import cancellationUnknownRequestIgnored from './checks/cancellation/unknown-request-ignored.js';
import progressMonotonic from './checks/progress/monotonic.js';
import tasksCancelTerminal from './checks/tasks/cancel-terminal.js';
import tasksCreateTaskResult from './checks/tasks/create-task-result.js';
import tasksGetAndResult from './checks/tasks/get-and-result.js';
import tasksRequiredWithoutTask from './checks/tasks/required-without-task.js';
import tasksUnknownTask from './checks/tasks/unknown-task.js';
import paginationCursorWalk from './checks/pagination/cursor-walk.js';
import paginationInvalidCursor from './checks/pagination/invalid-cursor.js';
import promptsGetListed from './checks/prompts/get-listed.js';
import resourcesListValid from './checks/resources/list-valid.js';
import resourcesReadListed from './checks/resources/read-listed.js';
import stdioStdoutOnlyMessages from './checks/stdio/stdout-only-messages.js';
import toolsCallNoInternalError from './checks/tools/call-no-internal-error.js';
import toolsCallResultSchema from './checks/tools/call-result-schema.js';
import toolsListValid from './checks/tools/list-valid.js';
import toolsNames from './checks/tools/names.js';
import toolsStructuredContent from './checks/tools/structured-content.js';

/** In run order: the handshake and the JSON-RPC basics first, so a broken target fails early and readably. */
export const CHECKS: readonly Check[] = [
  lifecycleInitializeResult,
  lifecycleVersionEcho,
  lifecycleVersionCounterOffer,
  lifecycleRequestBeforeInitialize,
  lifecyclePing,
  modernDiscover,
  modernUnsupportedVersion,
  modernMissingMeta,
  baseServerMessagesValid,
  baseRequestIdsEchoed,
  baseErrorResponseShape,
  baseNoResponseToNotification,
  baseParseError,
  stdioStdoutOnlyMessages,
  httpOriginForbidden,
  httpNotificationAccepted,
  httpGetStream,
  httpSessionIdAscii,
  httpSessionTerminated,
  httpProtocolVersionHeader,
  httpUnsupportedVersionStatus,
  toolsListValid,
  toolsNames,
  toolsCallResultSchema,
  toolsCallNoInternalError,
  toolsStructuredContent,
  resourcesListValid,
  resourcesReadListed,
  promptsGetListed,
  completionValuesLimit,
  paginationInvalidCursor,
  paginationCursorWalk,
  capabilitiesDeclaredNotifications,
  modernResultType,
  modernCacheHints,
  modernHeaderMismatch,
  modernUnknownMethod404,
  modernResourceNotFound,
  modernStatelessCapabilities,
  resourcesNotFoundCode,
  progressMonotonic,
  cancellationUnknownRequestIgnored,
  tasksCreateTaskResult,
  tasksGetAndResult,
  tasksUnknownTask,
  tasksRequiredWithoutTask,
  tasksCancelTerminal,
];

export function checkById(id: string): Check | undefined {
  return CHECKS.find((c) => c.id === id);
}

/** Requirement id → the checks that cover it (for `mcpcert requirements`). */
export function coverage(): ReadonlyMap<string, readonly string[]> {
  const map = new Map<string, string[]>();
  for (const check of CHECKS) {
    for (const id of check.requirements) {
      const list = map.get(id) ?? [];
      list.push(check.id);
      map.set(id, list);
    }
  }
  return map;
}
