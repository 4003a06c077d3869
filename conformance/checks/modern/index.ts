import type { Check } from '../../check.js';
import discover from './discover.js';
import unsupportedVersion from './unsupported-version.js';
import missingMeta from './missing-meta.js';
import resultType from './result-type.js';
import cacheHints from './cache-hints.js';
import headerMismatch from './header-mismatch.js';
import unknownMethod404 from './unknown-method-404.js';
import resourceNotFound from './resource-not-found.js';
import statelessCapabilities from './stateless-capabilities.js';
import paramHeaderSchema from './param-header-schema.js';
import paramHeaderValues from './param-header-values.js';
import notificationAccepted from './notification-accepted.js';

/** The modern checks, in run order. */
export const checks: readonly Check[] = [discover, unsupportedVersion, missingMeta, resultType, cacheHints, headerMismatch, unknownMethod404, resourceNotFound, statelessCapabilities, paramHeaderSchema, paramHeaderValues, notificationAccepted];
