/**
 * The JSON-RPC errors the reference server answers with. They are transport's RpcError (a
 * numeric code that crosses the wire), named McpError here for readability in handlers.
 */
import { ErrorCode, type JsonValue } from '../transport/jsonrpc.js';
import { RpcError } from '../transport/rpc.js';

export { RpcError as McpError } from '../transport/rpc.js';

export const invalidParams = (message: string, data?: JsonValue) => new RpcError(ErrorCode.InvalidParams, message, data);
export const invalidRequest = (message: string, data?: JsonValue) => new RpcError(ErrorCode.InvalidRequest, message, data);
export const methodNotFound = (method: string) => new RpcError(ErrorCode.MethodNotFound, `Method not found: ${method}`);
export const internalError = (message: string) => new RpcError(ErrorCode.InternalError, message);
