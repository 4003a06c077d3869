/** logging/setLevel. */
import { invalidParams } from '../errors.js';
import type { Handler } from '../server-core.js';
import { LOG_LEVELS, type LogLevel } from '../types.js';

export function loggingSetLevel(): Handler {
  return (params, ctx) => {
    const level = params.level;
    if (typeof level !== 'string' || !(LOG_LEVELS as readonly string[]).includes(level)) throw invalidParams(`Invalid log level: ${String(level)}`, { level: String(level) });
    ctx.session.setLogLevel(level as LogLevel);
    return {};
  };
}
