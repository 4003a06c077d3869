import { isPlainObject } from '../../../transport/codec.js';
import { TransportError } from '../../../transport/errors.js';
import type { JsonRpcMessage, JsonValue } from '../../../transport/jsonrpc.js';
import { ALL_VERSIONS, defineCheck, type CheckContext } from '../../check.js';
import { driveSession } from '../../kit/drive-session.js';
import { idKey } from '../../session.js';

/** `_meta` key syntax (basic/index § `_meta`): an optional prefix of dot-separated labels ending in a slash, then a name with alphanumeric ends. */
const LABEL = '[A-Za-z](?:[A-Za-z0-9-]*[A-Za-z0-9])?';
const META_KEY = new RegExp(`^(?:${LABEL}(?:\\.${LABEL})*/)?(?:[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)?$`);

/**
 * Subtrees whose keys are the target's or its users' data, not MCP structure: a JSON Schema may
 * have a property called `_meta`, a log line or error may carry any JSON.
 */
const OPAQUE = new Set(['inputSchema', 'outputSchema', 'requestedSchema', 'structuredContent', 'data', 'arguments']);

/** The codes 2026-07-28 defines in its reserved range −32020…−32099 (basic/index § Error Codes). */
const MCP_CODES: Readonly<Record<number, string>> = { [-32020]: 'HeaderMismatch', [-32021]: 'MissingRequiredClientCapability', [-32022]: 'UnsupportedProtocolVersion' };

function badMetaKeys(value: JsonValue | undefined, path: string, out: string[]): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => badMetaKeys(v, `${path}[${i}]`, out));
    return;
  }
  if (!isPlainObject(value)) return;
  for (const [key, child] of Object.entries(value)) {
    if (key === '_meta' && isPlainObject(child)) {
      // Values under _meta belong to whoever owns the key; only the keys have a syntax.
      for (const metaKey of Object.keys(child)) if (!META_KEY.test(metaKey)) out.push(`${path}._meta[${JSON.stringify(metaKey)}]`);
      continue;
    }
    if (!OPAQUE.has(key)) badMetaKeys(child, `${path}.${key}`, out);
  }
}

function describe(message: JsonRpcMessage): string {
  return 'method' in message ? message.method : `the response to id ${JSON.stringify('id' in message ? message.id : null)}`;
}

/** A frame the codec refused because its id is null: a request (or notification) that says so. */
function nullIdMessage(raw: string | undefined): { method: string } | undefined {
  if (raw === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(raw);
    if (isPlainObject(value) && typeof value.method === 'string' && 'id' in value && value.id === null) return { method: value.method };
  } catch {
    // Not JSON at all: base/server-messages-valid reports it.
  }
  return undefined;
}

function judgeErrorCode(ctx: CheckContext, message: JsonRpcMessage): void {
  if (!('error' in message)) return;
  const code = message.error.code;
  if (code > -32020 || code < -32099) return;
  const observed = JSON.stringify(message).slice(0, 500);
  const name = MCP_CODES[code];
  if (name === undefined) {
    ctx.fail(`the target answered with error code ${code}, which 2026-07-28 reserves and does not define (M-BASE-018)`, { expected: 'no undefined code in −32020…−32099', observed });
  } else if (code !== -32021) {
    // mcpcert's requests carry the negotiated version and headers that mirror the body, so neither meaning can apply.
    ctx.fail(`the target answered a well-formed request of a version it supports with ${code} (${name}) (M-BASE-019)`, { expected: `${code} only when its meaning applies`, observed });
  }
}

/**
 * One observer over a session that exercises the target like a client: every message the target
 * sent is held to the JSON-RPC shape rules MCP adds (no null ids, no ids on notifications, no
 * reused request ids), to UTF-8, to the `_meta` key syntax and, in 2026-07-28, to the reserved
 * error-code range.
 */
export default defineCheck({
  id: 'validation/message-rules',
  title: 'Everything the server sends keeps the id, UTF-8, _meta key and error-code rules',
  requirements: ['BASE-004', 'BASE-005', 'BASE-012', 'BASE-022', 'BASE-024', 'TRN-001', 'M-BASE-004', 'M-BASE-024', 'M-BASE-018', 'M-BASE-019', 'M-BASE-042', 'M-BASE-044', 'M-TRN-001'],
  level: 'MUST',
  versions: ALL_VERSIONS,
  transports: 'all',
  timeoutFactor: 3,
  async run(ctx) {
    // A fresh session: everything it ever received is judged, so no other check's traffic may be in it.
    const session = await ctx.session({ fresh: true });
    const drive = await driveSession(ctx, session);
    if (session.received.total === 0) ctx.fail('the target sent nothing at all during the exercise', { expected: 'answers to the requests sent' });
    for (const message of session.received) {
      const bad: string[] = [];
      badMetaKeys(message as unknown as JsonValue, '', bad);
      if (bad.length > 0) ctx.fail(`${describe(message)} has _meta keys that break the key syntax: ${bad.slice(0, 5).join(', ')}`, { expected: 'keys [prefix/]name: dot-separated labels starting with a letter, a name with alphanumeric ends', observed: JSON.stringify(message).slice(0, 500) });
      if (ctx.era === 'modern') judgeErrorCode(ctx, message);
    }
    const seenIds = new Set<string>();
    for (const r of session.serverRequests) {
      if (r.method.startsWith('notifications/')) {
        ctx.fail(`the target sent the notification ${r.method} with an id (${JSON.stringify(r.id)})`, { expected: 'notifications carry no id', observed: JSON.stringify(r).slice(0, 500) });
        continue;
      }
      const key = idKey(r.id);
      if (seenIds.has(key)) ctx.fail(`the target sent a second request with id ${JSON.stringify(r.id)} in one session (${r.method})`, { expected: 'a new id for every request', observed: JSON.stringify(r).slice(0, 500) });
      seenIds.add(key);
    }
    for (const frame of session.frameErrors) {
      const nullId = nullIdMessage(frame.raw);
      if (nullId !== undefined) {
        const isNotification = nullId.method.startsWith('notifications/');
        ctx.fail(isNotification ? `the target sent the notification ${nullId.method} with "id": null` : `the target sent the request ${nullId.method} with "id": null`, { expected: isNotification ? 'notifications carry no id' : 'a string or integer request id', observed: frame.raw ?? '' });
      } else if (frame.code === 'MCPCERT_ERR_INVALID_UTF8') {
        ctx.fail(`the target sent bytes that are not UTF-8: ${frame.message}`, { expected: 'UTF-8 encoded JSON-RPC messages', observed: frame.raw ?? '' });
      }
    }
    for (const failure of drive.failures) {
      const cause = failure.cause;
      if (cause instanceof TransportError && cause.code === 'MCPCERT_ERR_INVALID_UTF8') ctx.fail(`the target answered ${failure.data.method ?? 'a request'} with bytes that are not UTF-8: ${cause.message}`, { expected: 'UTF-8 encoded JSON-RPC messages', observed: cause.raw ?? '' });
    }
  },
});
