/** A JSON-RPC error the reference server answers with: numeric code, crosses the wire. */
import { ErrorCode, type JsonValue } from '../transport/jsonrpc.js';

export class McpError extends Error {
  override readonly name = 'McpError';
  readonly code: number;
  readonly data: JsonValue | undefined;

  constructor(code: number, message: string, data?: JsonValue) {
    super(message);
    this.code = code;
    this.data = data;
  }
}

export const invalidParams = (message: string, data?: JsonValue) => new McpError(ErrorCode.InvalidParams, message, data);
export const invalidRequest = (message: string, data?: JsonValue) => new McpError(ErrorCode.InvalidRequest, message, data);
export const methodNotFound = (method: string) => new McpError(ErrorCode.MethodNotFound, `Method not found: ${method}`);
export const internalError = (message: string) => new McpError(ErrorCode.InternalError, message);
