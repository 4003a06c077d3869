/**
 * Text ⇄ JSON-RPC. `decode` classifies whatever a peer sent and never throws: a frame is
 * either usable messages or a `MessageError` that maps onto -32700 / -32600, so the
 * receiving side can answer it and a tester can keep it as evidence.
 */
import { MessageError } from './errors.js';
import type { JsonObject, JsonRpcMessage, JsonRpcPayload, RequestId } from './jsonrpc.js';

export type Decoded =
  | { ok: true; messages: JsonRpcMessage[]; batch: boolean; faults: MessageError[] }
  | { ok: false; error: MessageError };

export function encode(payload: JsonRpcPayload): string {
  return JSON.stringify(payload);
}

export function decode(text: string): Decoded {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return { ok: false, error: new MessageError(-32700, `Parse error: ${reason}`, text) };
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return { ok: false, error: new MessageError(-32600, 'Invalid Request: empty batch', text) };
    const messages: JsonRpcMessage[] = [];
    const faults: MessageError[] = [];
    for (const item of value) {
      const checked = classify(item);
      if (typeof checked === 'string') faults.push(new MessageError(-32600, `Invalid Request: ${checked}`, safeStringify(item), readId(item)));
      else messages.push(checked);
    }
    return { ok: true, messages, batch: true, faults };
  }
  const checked = classify(value);
  if (typeof checked === 'string') return { ok: false, error: new MessageError(-32600, `Invalid Request: ${checked}`, text, readId(value)) };
  return { ok: true, messages: [checked], batch: false, faults: [] };
}

/** Returns the message, or a reason why the value is not a JSON-RPC 2.0 message as MCP shapes it. */
export function classify(value: unknown): JsonRpcMessage | string {
  if (!isPlainObject(value)) return 'a message must be a JSON object';
  if (value.jsonrpc !== '2.0') return '"jsonrpc" must be "2.0"';
  const hasMethod = 'method' in value;
  const hasResult = 'result' in value;
  const hasError = 'error' in value;
  if (hasMethod) {
    if (hasResult || hasError) return 'a request or notification must not carry "result" or "error"';
    if (typeof value.method !== 'string') return '"method" must be a string';
    if ('params' in value && !isPlainObject(value.params)) return '"params" must be an object';
    if ('id' in value && !isRequestId(value.id)) return '"id" must be a string or an integer';
    return value as unknown as JsonRpcMessage;
  }
  if (hasResult && hasError) return 'a response must not carry both "result" and "error"';
  if (hasResult) {
    if (!isRequestId(value.id)) return 'a result must carry a string or integer "id"';
    if (!isPlainObject(value.result)) return '"result" must be an object';
    return value as unknown as JsonRpcMessage;
  }
  if (hasError) {
    if ('id' in value && value.id !== null && !isRequestId(value.id)) return 'an error response "id" must be a string, an integer or null';
    const error = value.error;
    if (!isPlainObject(error)) return '"error" must be an object';
    if (!Number.isInteger(error.code)) return '"error.code" must be an integer';
    if (typeof error.message !== 'string') return '"error.message" must be a string';
    return value as unknown as JsonRpcMessage;
  }
  return 'neither a request, a notification nor a response';
}

export function isRequestId(value: unknown): value is RequestId {
  return typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value));
}

export function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The id to answer a malformed message with. Only a request's id is echoed: answering a
 * malformed *response* with its id would look like the answer to our own request of that id,
 * so it gets null, as JSON-RPC 2.0 §5 says for ids that cannot be determined.
 */
function readId(value: unknown): RequestId | null {
  if (!isPlainObject(value) || !isRequestId(value.id)) return null;
  const looksLikeResponse = !('method' in value) && ('result' in value || 'error' in value);
  return looksLikeResponse ? null : value.id;
}

/** Evidence text for a batch member; never throws, even on values too deep to print. */
function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? typeof value;
  } catch {
    return `(a ${Array.isArray(value) ? 'array' : typeof value} too deeply nested to print)`;
  }
}
