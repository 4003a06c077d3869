/**
 * Multi Round-Trip Requests (2026-07-28): recognising an InputRequiredResult, answering its
 * input requests the way a user-less client would, and retrying the original request.
 */
import { isPlainObject } from '../../transport/codec.js';
import type { JsonObject } from '../../transport/jsonrpc.js';
import { META_KEYS } from '../modern.js';
import type { Reply, Session } from '../session.js';
import { plausibleAnswer } from './client-requests.js';
import type { Exercise } from './exercise-requests.js';

/** The InputRequiredResult a reply carries, or undefined. */
export function inputRequiredOf(reply: Reply): JsonObject | undefined {
  return reply.kind === 'result' && reply.result.resultType === 'input_required' ? reply.result : undefined;
}

/** `_meta` entries declaring these client capabilities on one request. */
export function capabilityMeta(capabilities: JsonObject): JsonObject {
  return { [META_KEYS.clientCapabilities]: capabilities };
}

/** The input requests of an InputRequiredResult that are objects, by key. */
export function inputRequestsOf(result: JsonObject): Array<[string, JsonObject]> {
  const requests = result.inputRequests;
  if (!isPlainObject(requests)) return [];
  return Object.entries(requests).filter((entry): entry is [string, JsonObject] => isPlainObject(entry[1]));
}

/** An answer for every input request a client can answer (a declined elicitation, no roots, a short sample). */
export function inputResponsesFor(result: JsonObject): JsonObject {
  const responses: JsonObject = {};
  for (const [key, request] of inputRequestsOf(result)) {
    const answer = typeof request.method === 'string' ? plausibleAnswer(request.method) : undefined;
    if (answer !== undefined) responses[key] = answer;
  }
  return responses;
}

/** A short description of what an InputRequiredResult asks, to compare rounds: `key=method,…`. */
export function askedOf(result: JsonObject): string {
  return inputRequestsOf(result)
    .map(([key, r]) => `${key}=${String(r.method)}`)
    .sort()
    .join(',');
}

/**
 * Retries an exercised request with `inputResponses` and, unless it is undefined, `requestState`
 * (a new JSON-RPC id, as the client must use). Harness errors are thrown.
 */
export function retry(session: Session, exercise: Exercise, meta: JsonObject, inputResponses: JsonObject, requestState: string | undefined, timeoutMs: number): Promise<Reply> {
  const params: JsonObject = { ...exercise.params, inputResponses };
  if (requestState !== undefined) params.requestState = requestState;
  return session.call(exercise.method, params, { timeoutMs, meta });
}

/**
 * Follows an exercised request through up to `maxRounds` further rounds, answering each
 * InputRequiredResult; returns every InputRequiredResult seen, the first one included.
 * Stops at the first answer that is not one, or at a harness error.
 */
export async function followRounds(session: Session, exercise: Exercise, meta: JsonObject, maxRounds: number, timeoutMs: number): Promise<JsonObject[]> {
  const first = 'reply' in exercise.outcome ? inputRequiredOf(exercise.outcome.reply) : undefined;
  if (first === undefined) return [];
  const seen: JsonObject[] = [first];
  // Earlier answers go along too: a server may re-run the request from the start, and extra
  // entries are to be ignored (M-PAT-021).
  let responses: JsonObject = {};
  for (let round = 0; round < maxRounds; round++) {
    const last = seen[seen.length - 1]!;
    const state = typeof last.requestState === 'string' ? last.requestState : undefined;
    responses = { ...responses, ...inputResponsesFor(last) };
    let reply: Reply;
    try {
      reply = await retry(session, exercise, meta, responses, state, timeoutMs);
    } catch {
      break;
    }
    const next = inputRequiredOf(reply);
    if (next === undefined) break;
    seen.push(next);
  }
  return seen;
}
