/**
 * The per-request protocol fields of 2026-07-28 (`params._meta`): what a stateless request
 * must carry instead of an initialize handshake (spec digest §C.3).
 */
import type { JsonObject } from '../../transport/jsonrpc.js';
import { isPlainObject } from '../../transport/codec.js';
import { McpError } from '../errors.js';
import { LOG_LEVELS, type LogLevel } from '../types.js';

export const META = {
  protocolVersion: 'io.modelcontextprotocol/protocolVersion',
  clientCapabilities: 'io.modelcontextprotocol/clientCapabilities',
  clientInfo: 'io.modelcontextprotocol/clientInfo',
  logLevel: 'io.modelcontextprotocol/logLevel',
  serverInfo: 'io.modelcontextprotocol/serverInfo',
  subscriptionId: 'io.modelcontextprotocol/subscriptionId',
} as const;

/** The stateless revisions this server speaks. */
export const MODERN_VERSIONS = ['2026-07-28'] as const;
export type ModernVersion = (typeof MODERN_VERSIONS)[number];

export const ErrorCodes = { HeaderMismatch: -32020, MissingRequiredClientCapability: -32021, UnsupportedProtocolVersion: -32022 } as const;

export interface RequestMeta {
  version: ModernVersion;
  capabilities: JsonObject;
  /** Absent: the client did not opt in to notifications/message for this request. */
  logLevel: LogLevel | undefined;
}

function metaOf(params: JsonObject | undefined): JsonObject | undefined {
  const meta = params?._meta;
  return isPlainObject(meta) ? meta : undefined;
}

/** Methods that exist only in the stateless era: a client using them is modern, _meta or not. */
export const MODERN_ONLY: ReadonlySet<string> = new Set(['server/discover', 'subscriptions/listen']);

/** True when a request announces the stateless era: a protocol version in its `_meta`. */
export function hasModernMeta(params: JsonObject | undefined): boolean {
  const meta = metaOf(params);
  return meta !== undefined && META.protocolVersion in meta;
}

/**
 * Reads the required fields, or throws the error the spec names: -32602 for a missing or
 * malformed one (M-BASE-046), -32022 with `supported` for a version this server does not
 * speak (M-VER-001).
 */
export function readRequestMeta(params: JsonObject | undefined): RequestMeta {
  const meta = metaOf(params);
  const version = meta?.[META.protocolVersion];
  const capabilities = meta?.[META.clientCapabilities];
  const missing = [version === undefined ? META.protocolVersion : undefined, capabilities === undefined ? META.clientCapabilities : undefined].filter((m) => m !== undefined);
  if (missing.length > 0) throw new McpError(-32602, `Invalid params: the request _meta must carry ${missing.join(' and ')}`, { missing });
  if (typeof version !== 'string') throw new McpError(-32602, `Invalid params: _meta ${META.protocolVersion} must be a string`);
  if (!(MODERN_VERSIONS as readonly string[]).includes(version)) {
    throw new McpError(ErrorCodes.UnsupportedProtocolVersion, `Unsupported protocol version: ${version}`, { supported: [...MODERN_VERSIONS], requested: version });
  }
  if (!isPlainObject(capabilities)) throw new McpError(-32602, `Invalid params: _meta ${META.clientCapabilities} must be an object`);
  const level = meta?.[META.logLevel];
  if (level !== undefined && (typeof level !== 'string' || !(LOG_LEVELS as readonly string[]).includes(level))) {
    throw new McpError(-32602, `Invalid params: _meta ${META.logLevel} must be one of ${LOG_LEVELS.join(', ')}`);
  }
  return { version: version as ModernVersion, capabilities, logLevel: level as LogLevel | undefined };
}
