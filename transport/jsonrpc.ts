/**
 * JSON-RPC 2.0 message shapes as MCP uses them. The types are structural so that a
 * message read off the wire can be classified without trusting it.
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** MCP allows string or integer ids; the JSON Schemas say `["string","integer"]`. */
export type RequestId = string | number;

export interface JsonRpcRequest {
  jsonrpc: '2.0';
  id: RequestId;
  method: string;
  params?: JsonObject;
}

export interface JsonRpcNotification {
  jsonrpc: '2.0';
  method: string;
  params?: JsonObject;
}

export interface JsonRpcResult {
  jsonrpc: '2.0';
  id: RequestId;
  result: JsonObject;
}

export interface JsonRpcErrorObject {
  code: number;
  message: string;
  data?: JsonValue;
}

export interface JsonRpcError {
  jsonrpc: '2.0';
  /** Absent (or null on the wire) only when the id of a malformed request could not be read. */
  id?: RequestId | null;
  error: JsonRpcErrorObject;
}

export type JsonRpcResponse = JsonRpcResult | JsonRpcError;
export type JsonRpcMessage = JsonRpcRequest | JsonRpcNotification | JsonRpcResponse;
/** What one frame may carry: one message, or a batch (2025-03-26 only, but a tester must see them). */
export type JsonRpcPayload = JsonRpcMessage | JsonRpcMessage[];

/** JSON-RPC 2.0 and MCP error codes (spec digest §A.5). */
export const ErrorCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
  ResourceNotFound: -32002,
  UrlElicitationRequired: -32042,
  HeaderMismatch: -32020,
  MissingRequiredClientCapability: -32021,
  UnsupportedProtocolVersion: -32022,
} as const;
export type ErrorCodeName = keyof typeof ErrorCode;

export type MessageKind = 'request' | 'notification' | 'result' | 'error';

export function isRequest(m: JsonRpcMessage): m is JsonRpcRequest {
  return 'method' in m && 'id' in m;
}

export function isNotification(m: JsonRpcMessage): m is JsonRpcNotification {
  return 'method' in m && !('id' in m);
}

export function isResult(m: JsonRpcMessage): m is JsonRpcResult {
  return 'result' in m;
}

export function isErrorResponse(m: JsonRpcMessage): m is JsonRpcError {
  return 'error' in m;
}

export function isResponse(m: JsonRpcMessage): m is JsonRpcResponse {
  return isResult(m) || isErrorResponse(m);
}

export function kindOf(m: JsonRpcMessage): MessageKind {
  if (isResult(m)) return 'result';
  if (isErrorResponse(m)) return 'error';
  return 'id' in m ? 'request' : 'notification';
}

export function request(id: RequestId, method: string, params?: JsonObject): JsonRpcRequest {
  return params === undefined ? { jsonrpc: '2.0', id, method } : { jsonrpc: '2.0', id, method, params };
}

export function notification(method: string, params?: JsonObject): JsonRpcNotification {
  return params === undefined ? { jsonrpc: '2.0', method } : { jsonrpc: '2.0', method, params };
}

export function result(id: RequestId, value: JsonObject): JsonRpcResult {
  return { jsonrpc: '2.0', id, result: value };
}

export function errorResponse(id: RequestId | null | undefined, code: number, message: string, data?: JsonValue): JsonRpcError {
  const error: JsonRpcErrorObject = data === undefined ? { code, message } : { code, message, data };
  return id === undefined ? { jsonrpc: '2.0', id: null, error } : { jsonrpc: '2.0', id, error };
}

/** A short label for logs and transcripts: `request tools/call #3`, `result #3`. */
export function describe(m: JsonRpcMessage): string {
  const kind = kindOf(m);
  const id = 'id' in m && m.id !== undefined ? ` #${String(m.id)}` : '';
  return 'method' in m ? `${kind} ${m.method}${id}` : `${kind}${id}`;
}
