/**
 * Multi Round-Trip Requests (2026-07-28 §C.17): instead of asking the client a question over
 * JSON-RPC, a tool call, prompt get or resource read answers `InputRequiredResult`, and the
 * client retries with the answers. Features keep calling `ctx.request`; this module turns
 * that into input requests and, on the retry, back into the client's answers.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { JsonObject } from '../../transport/jsonrpc.js';
import { isPlainObject } from '../../transport/codec.js';
import { clientCapabilityFor } from '../capabilities.js';
import { McpError } from '../errors.js';
import { ErrorCodes } from './meta.js';

/** The requests that may return InputRequiredResult (M-PAT-003). */
export const MRTR_METHODS: ReadonlySet<string> = new Set(['tools/call', 'prompts/get', 'resources/read']);

// Made on first use, not at load: a process started from a heap snapshot
// (reference/stdio-snapshot.ts) must not share a key baked into the snapshot file.
let stateKey: Buffer | undefined;
const STATE_TTL_MS = 10 * 60_000;

/**
 * What a requestState is bound to (M-PAT-008): the originating request, the principal that made
 * it ('' when requests are not authenticated) and, in the payload, an expiry.
 */
function binding(method: string, params: JsonObject, principal: string): string {
  const subject = { method, name: params.name ?? null, uri: params.uri ?? null, arguments: params.arguments ?? null, principal };
  return createHash('sha256').update(JSON.stringify(subject)).digest('base64url');
}

function mac(body: string): Buffer {
  stateKey ??= randomBytes(32);
  return createHmac('sha256', stateKey).update(body).digest();
}

export function issueState(method: string, params: JsonObject, principal: string, answered: number): string {
  const body = Buffer.from(JSON.stringify({ b: binding(method, params, principal), x: Date.now() + STATE_TTL_MS, n: answered })).toString('base64url');
  return `${body}.${mac(body).toString('base64url')}`;
}

/** Rejects a forged, foreign or expired requestState (M-PAT-006/007) with -32602. */
export function verifyState(state: unknown, method: string, params: JsonObject, principal: string): void {
  const reject = (why: string) => new McpError(-32602, `Invalid params: requestState ${why}`);
  if (typeof state !== 'string') throw reject('must be a string');
  const [body, tag, extra] = state.split('.');
  if (!body || !tag || extra !== undefined) throw reject('is malformed');
  const expected = mac(body);
  const given = Buffer.from(tag, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw reject('failed verification');
  let payload: { b?: unknown; x?: unknown };
  try {
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { b?: unknown; x?: unknown };
  } catch {
    throw reject('is malformed');
  }
  if (payload.b !== binding(method, params, principal)) throw reject('belongs to a different request or caller');
  if (typeof payload.x !== 'number' || payload.x < Date.now()) throw reject('has expired');
}

function capabilityObject(path: string): JsonObject {
  const [head, ...rest] = path.split('.');
  return { [head!]: rest.length === 0 ? {} : capabilityObject(rest.join('.')) };
}

/** Thrown inside a feature to stop it at its first unanswered question. */
class InputNeeded extends Error {
  override readonly name = 'InputNeeded';
}

/**
 * One attempt of an MRTR-capable request. `ask` replaces the JSON-RPC round trip: it returns
 * the client's answer from `inputResponses` or records what to ask. After the handler ran,
 * `outcome()` says what the request must answer, whatever the feature did with the errors it
 * was thrown (features may catch them to build error results).
 */
export class MrtrAttempt {
  readonly #responses: JsonObject;
  readonly #capabilities: JsonObject;
  #asked = 0;
  #pending: { key: string; method: string; params: JsonObject } | undefined;
  #missing: string | undefined;

  readonly #principal: string;

  constructor(params: JsonObject, capabilities: JsonObject, principal: string) {
    this.#principal = principal;
    this.#responses = isPlainObject(params.inputResponses) ? params.inputResponses : {};
    this.#capabilities = capabilities;
  }

  readonly ask = async (method: string, params: JsonObject): Promise<JsonObject> => {
    const key = `input-${++this.#asked}`;
    // Never ask for what the client did not declare in this request (M-PAT-011, M-BASE-049).
    const gate = clientCapabilityFor(method, params, this.#capabilities);
    if (gate !== undefined && !gate.declared) {
      this.#missing ??= gate.path;
      throw new McpError(ErrorCodes.MissingRequiredClientCapability, `the client did not declare the "${gate.path}" capability needed for ${method}`, { requiredCapabilities: capabilityObject(gate.path) });
    }
    const answer = this.#responses[key];
    if (answer !== undefined) {
      if (!isPlainObject(answer)) throw new McpError(-32602, `Invalid params: inputResponses["${key}"] must be an object`);
      return answer;
    }
    this.#pending ??= { key, method, params };
    throw new InputNeeded(`waiting for the client to answer ${method} (${key})`);
  };

  /** The error or InputRequiredResult that overrides the handler's result, if any. */
  outcome(method: string, params: JsonObject): { error: McpError } | { result: JsonObject } | undefined {
    if (this.#missing !== undefined) {
      return { error: new McpError(ErrorCodes.MissingRequiredClientCapability, `Missing required client capability: ${this.#missing}`, { requiredCapabilities: capabilityObject(this.#missing) }) };
    }
    if (this.#pending === undefined) return undefined;
    const { key, method: inputMethod, params: inputParams } = this.#pending;
    return {
      result: {
        resultType: 'input_required',
        inputRequests: { [key]: { method: inputMethod, params: inputParams } },
        requestState: issueState(method, params, this.#principal, this.#asked - 1),
      },
    };
  }

  static isInputNeeded(err: unknown): boolean {
    return err instanceof InputNeeded;
  }
}
