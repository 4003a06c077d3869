/**
 * Reading tool arguments. The engine validates arguments against the tool's inputSchema before
 * `call()`, but these readers check again: a tool is also called directly (tests, other
 * engines), and bad input must become a tool error, never a crash (TOOL-018).
 */
import type { JsonObject } from '../../../transport/jsonrpc.js';

/** A tool argument that is missing or has the wrong type; `defineTool` turns it into an `isError` result. */
export class ArgumentError extends Error {
  override readonly name = 'ArgumentError';
}

export function optionalString(args: JsonObject, key: string): string | undefined {
  const value = args[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new ArgumentError(`argument "${key}" must be a string`);
  return value;
}

export function requiredString(args: JsonObject, key: string): string {
  const value = optionalString(args, key);
  if (value === undefined) throw new ArgumentError(`argument "${key}" is required`);
  return value;
}

export function requiredNumber(args: JsonObject, key: string): number {
  const value = args[key];
  if (value === undefined) throw new ArgumentError(`argument "${key}" is required`);
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new ArgumentError(`argument "${key}" must be a finite number`);
  return value;
}

/** An integer in [min, max]; `fallback` when absent (and required when no fallback is given). */
export function integerInRange(args: JsonObject, key: string, min: number, max: number, fallback?: number): number {
  const value = args[key];
  if (value === undefined) {
    if (fallback === undefined) throw new ArgumentError(`argument "${key}" is required`);
    return fallback;
  }
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ArgumentError(`argument "${key}" must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** One of `allowed`; `fallback` when absent (and required when no fallback is given). */
export function oneOf<T extends string>(args: JsonObject, key: string, allowed: readonly T[], fallback?: T): T {
  const value = args[key];
  if (value === undefined) {
    if (fallback === undefined) throw new ArgumentError(`argument "${key}" is required`);
    return fallback;
  }
  const found = allowed.find((a) => a === value);
  if (found === undefined) throw new ArgumentError(`argument "${key}" must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
  return found;
}

export function numberArray(args: JsonObject, key: string): number[] {
  const value = args[key];
  if (!Array.isArray(value)) throw new ArgumentError(`argument "${key}" must be an array of numbers`);
  return value.map((item, i) => {
    if (typeof item !== 'number' || !Number.isFinite(item)) throw new ArgumentError(`argument "${key}[${i}]" must be a finite number`);
    return item;
  });
}
