/**
 * Every check of the suite. A check lives in conformance/checks/GROUP/NAME.ts and its id is
 * GROUP/NAME; each group's index.ts lists its checks in run order, and a test holds ids, files
 * and the catalog together.
 */
import type { Check } from './check.js';
import { checks as lifecycle } from './checks/lifecycle/index.js';
import { checks as modern } from './checks/modern/index.js';
import { checks as base } from './checks/base/index.js';
import { checks as stdio } from './checks/stdio/index.js';
import { checks as sse } from './checks/sse/index.js';
import { checks as http } from './checks/http/index.js';
import { checks as tools } from './checks/tools/index.js';
import { checks as resources } from './checks/resources/index.js';
import { checks as prompts } from './checks/prompts/index.js';
import { checks as completion } from './checks/completion/index.js';
import { checks as pagination } from './checks/pagination/index.js';
import { checks as capabilities } from './checks/capabilities/index.js';
import { checks as lists } from './checks/lists/index.js';
import { checks as validation } from './checks/validation/index.js';
import { checks as serverRequests } from './checks/server-requests/index.js';
import { checks as mrtr } from './checks/mrtr/index.js';
import { checks as progress } from './checks/progress/index.js';
import { checks as cancellation } from './checks/cancellation/index.js';
import { checks as tasks } from './checks/tasks/index.js';
import { checks as subscriptions } from './checks/subscriptions/index.js';
import { checks as recommended } from './checks/recommended/index.js';
import { checks as auth } from './checks/auth/index.js';
import { checks as properties } from './checks/properties/index.js';

/** In run order: the handshake and the JSON-RPC basics first, so a broken target fails early and readably. */
export const CHECKS: readonly Check[] = [
  ...lifecycle,
  ...modern,
  ...base,
  ...stdio,
  ...sse,
  ...http,
  ...tools,
  ...resources,
  ...prompts,
  ...completion,
  ...pagination,
  ...capabilities,
  ...lists,
  ...validation,
  ...serverRequests,
  ...mrtr,
  ...progress,
  ...cancellation,
  ...tasks,
  ...subscriptions,
  ...recommended,
  ...properties,
  ...auth,
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
