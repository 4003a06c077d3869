import type { Check } from '../../check.js';
import initializeResult from './initialize-result.js';
import versionEcho from './version-echo.js';
import versionCounterOffer from './version-counter-offer.js';
import requestBeforeInitialize from './request-before-initialize.js';
import ping from './ping.js';

/** The lifecycle checks, in run order. */
export const checks: readonly Check[] = [initializeResult, versionEcho, versionCounterOffer, requestBeforeInitialize, ping];
