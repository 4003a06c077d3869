/** Thin wrapper over node:util parseArgs: its exceptions become usage errors, its values get typed getters. */
import { parseArgs } from 'node:util';
import { UsageError } from './usage.js';

export type OptionSpec = Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>;

export interface ParsedArgs {
  command: string;
  values: Record<string, string | boolean | Array<string | boolean> | undefined>;
  positionals: string[];
}

export function parse(command: string, args: string[], options: OptionSpec, allowPositionals = false): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({ args, options, allowPositionals, strict: true });
    return { command, values, positionals };
  } catch (err) {
    throw new UsageError(`${command}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export function str(parsed: ParsedArgs, name: string): string | undefined {
  const value = parsed.values[name];
  return typeof value === 'string' ? value : undefined;
}

export function oneOf<T extends string>(parsed: ParsedArgs, flag: string, allowed: readonly T[], fallback: T): T {
  const value = str(parsed, flag);
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${parsed.command}: --${flag} must be one of ${allowed.join(', ')} (got "${value}")`);
}
