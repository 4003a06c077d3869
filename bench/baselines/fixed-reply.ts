/**
 * The least a JSON-RPC server can do for one message of the reference benchmark: read the id
 * and answer a fixed `tools/call` result. The result has the bytes of the reference server's
 * echo answer for {text: "hello"}, so the baseline moves as much data as ours does.
 */

/** The reference server's echo result for "hello" under 2025-11-25, written out once. */
export const FIXED_RESULT = '{"content":[{"type":"text","text":"hello"},{"type":"text","text":"{\\"text\\":\\"hello\\"}"}],"structuredContent":{"text":"hello"}}';

/**
 * The reply line for one JSON-RPC message, or undefined when nothing is owed: a notification
 * is never answered, and a body that is not JSON gets nothing (the benchmark never sends one).
 */
export function fixedReply(body: string): string | undefined {
  let id: unknown;
  try {
    ({ id } = JSON.parse(body) as { id?: unknown });
  } catch {
    return undefined;
  }
  if (id === undefined) return undefined;
  return `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":${FIXED_RESULT}}`;
}
