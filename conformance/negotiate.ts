/**
 * Finding the versions a target speaks before any check runs (DESIGN.md "Protocol versions"):
 * the handshake era by `initialize` (a version counts when it is echoed), 2026-07-28 by
 * `server/discover`. The session that succeeded is handed on as the checks' shared session.
 */
import { isPlainObject } from '../transport/codec.js';
import type { JsonObject } from '../transport/jsonrpc.js';
import { era, isProtocolVersion, LATEST_HANDSHAKE_VERSION, PROTOCOL_VERSIONS, type ProtocolVersion } from '../spec/versions.js';
import type { ServerInfo, TranscriptEntry } from '../reports/model.js';
import { isHarnessError, NoResponseError, TargetClosedError, UnreachableError } from './errors.js';
import { META_KEYS } from './modern.js';
import { Recorder } from './record.js';
import { Session, type Reply } from './session.js';
import { describeTarget, type Target } from './target.js';

/** `auto`: 2025-11-25 (or what the target offers instead), else 2026-07-28. */
export type VersionMode = ProtocolVersion | 'all' | 'auto';

export interface Negotiated {
  version: ProtocolVersion;
  /** What the target answered, when it differs from `version`. */
  negotiatedVersion?: string;
  capabilities: JsonObject;
  serverInfo: ServerInfo | null;
  session: Session;
  /** The initialize exchange that opened `session` (handshake era), for checks that judge it. */
  handshake?: Handshake;
}

/** An initialize request for `asked` and what the target answered, with its transcript. */
export interface Handshake {
  asked: ProtocolVersion;
  reply: Reply;
  transcript: TranscriptEntry[];
}

export type ProbeOutcome =
  | { kind: 'ok'; units: Negotiated[] }
  /** Nothing is there: no process, no listener, or it closed before saying anything. */
  | { kind: 'unreachable'; reason: string; recorder: Recorder }
  /** Something is there but no version could be agreed (no answer, errors, garbage). */
  | { kind: 'failed'; version: ProtocolVersion; reason: string; recorder: Recorder };

interface ProbeContext {
  target: Target;
  timeoutMs: number;
  clientInfo: { name: string; version: string };
  labels: { next: number };
}

type Attempt = { kind: 'ok'; unit: Negotiated } | { kind: 'unreachable'; reason: string; recorder: Recorder } | { kind: 'failed'; reason: string; recorder: Recorder };

function serverInfoOf(value: unknown): ServerInfo | null {
  if (!isPlainObject(value) || typeof value.name !== 'string' || typeof value.version !== 'string') return null;
  return value as ServerInfo;
}

function describe(reply: Reply): string {
  if (reply.kind === 'error') return `error ${reply.error.code} "${reply.error.message}"`;
  if (reply.kind === 'invalid') return `a malformed response (${reply.reason})`;
  return 'a result';
}

/** What went wrong, with what the target wrote instead of an answer. */
function failure(session: Session | undefined, recorder: Recorder, err: unknown): Exclude<Attempt, { kind: 'ok' }> {
  const garbage = session?.frameErrors.first();
  const wrote = garbage === undefined ? '' : `; it wrote ${session!.frameErrors.total} unusable frame(s), the first: ${(garbage.raw ?? garbage.message).slice(0, 200)}`;
  if (err instanceof UnreachableError) return { kind: 'unreachable', reason: err.message, recorder };
  // Closed without a word: nobody was really there (a command that exits at once).
  if (err instanceof TargetClosedError && recorder.received === 0) return { kind: 'unreachable', reason: `the target ${session?.target.kind === 'stdio' ? 'exited' : 'closed the connection'} before answering: ${err.message}`, recorder };
  if (err instanceof NoResponseError) return { kind: 'failed', reason: `${err.message}${wrote}`, recorder };
  if (isHarnessError(err)) return { kind: 'failed', reason: `${err.message}${wrote}`, recorder };
  throw err;
}

async function open(context: ProbeContext, version: ProtocolVersion, recorder: Recorder): Promise<Session> {
  return Session.open(context.target, version, { timeoutMs: context.timeoutMs, label: `#${++context.labels.next}`, clientInfo: context.clientInfo }, recorder);
}

async function tryHandshake(context: ProbeContext, version: ProtocolVersion): Promise<Attempt> {
  const recorder = new Recorder();
  let session: Session | undefined;
  try {
    session = await open(context, version, recorder);
    const reply = await session.initialize(version);
    if (reply.kind !== 'result') {
      await session.close();
      return { kind: 'failed', reason: `initialize with protocolVersion ${version} was answered with ${describe(reply)}`, recorder };
    }
    const answered = reply.result.protocolVersion;
    const capabilities = isPlainObject(reply.result.capabilities) ? reply.result.capabilities : {};
    const unit: Negotiated = { version, capabilities, serverInfo: serverInfoOf(reply.result.serverInfo), session, handshake: { asked: version, reply, transcript: [...recorder.entries] } };
    if (answered !== version) unit.negotiatedVersion = typeof answered === 'string' ? answered : JSON.stringify(answered);
    return { kind: 'ok', unit };
  } catch (err) {
    await session?.close();
    return failure(session, recorder, err);
  }
}

async function tryDiscover(context: ProbeContext): Promise<Attempt> {
  const recorder = new Recorder();
  const version: ProtocolVersion = '2026-07-28';
  let session: Session | undefined;
  try {
    session = await open(context, version, recorder);
    const reply = await session.call('server/discover', {});
    if (reply.kind !== 'result') {
      await session.close();
      return { kind: 'failed', reason: `server/discover was answered with ${describe(reply)}`, recorder };
    }
    const capabilities = isPlainObject(reply.result.capabilities) ? reply.result.capabilities : {};
    const meta = isPlainObject(reply.result._meta) ? reply.result._meta : {};
    return { kind: 'ok', unit: { version, capabilities, serverInfo: serverInfoOf(meta[META_KEYS.serverInfo]), session } };
  } catch (err) {
    await session?.close();
    return failure(session, recorder, err);
  }
}

/**
 * Negotiates per `mode`. Never throws for anything the target does; the sessions of the
 * returned units are open and ready (the caller closes them).
 */
export async function negotiate(target: Target, mode: VersionMode, options: { timeoutMs: number; clientInfo: { name: string; version: string } }): Promise<ProbeOutcome> {
  const context: ProbeContext = { target, timeoutMs: options.timeoutMs, clientInfo: options.clientInfo, labels: { next: 0 } };
  const single = async (attempt: Promise<Attempt>, version: ProtocolVersion): Promise<ProbeOutcome> => {
    const a = await attempt;
    if (a.kind === 'ok') return { kind: 'ok', units: [a.unit] };
    return a.kind === 'unreachable' ? a : { ...a, version };
  };
  if (mode !== 'all' && mode !== 'auto') return single(era(mode) === 'modern' ? tryDiscover(context) : tryHandshake(context, mode), mode);
  if (mode === 'auto') {
    const legacy = await tryHandshake(context, LATEST_HANDSHAKE_VERSION);
    if (legacy.kind === 'unreachable') return legacy;
    if (legacy.kind === 'ok') {
      // The target offered another version: run at that one, which it says it supports.
      const offered = legacy.unit.negotiatedVersion;
      if (offered !== undefined && isProtocolVersion(offered) && era(offered) === 'legacy') {
        legacy.unit.version = offered;
        delete legacy.unit.negotiatedVersion;
      }
      return { kind: 'ok', units: [legacy.unit] };
    }
    const modern = await tryDiscover(context);
    if (modern.kind === 'ok') return { kind: 'ok', units: [modern.unit] };
    return { kind: 'failed', version: LATEST_HANDSHAKE_VERSION, reason: `${legacy.reason}; and ${modern.reason}`, recorder: legacy.recorder };
  }
  const attemptAt = (version: ProtocolVersion): Promise<Attempt> => (era(version) === 'modern' ? tryDiscover(context) : tryHandshake(context, version));
  // The first version alone: if nobody is there, nothing else will reach it either. The others
  // at once, as independent sessions (each stdio one a process that takes a while to start).
  const [first, ...rest] = PROTOCOL_VERSIONS;
  const firstAttempt = await attemptAt(first);
  if (firstAttempt.kind === 'unreachable') return firstAttempt;
  const attempts = [firstAttempt, ...(await Promise.all(rest.map(attemptAt)))];
  const units: Negotiated[] = [];
  const reasons: string[] = [];
  let firstRecorder: Recorder | undefined;
  for (const [i, attempt] of attempts.entries()) {
    const version = PROTOCOL_VERSIONS[i]!;
    if (attempt.kind === 'unreachable') {
      reasons.push(`${version}: ${attempt.reason}`);
      continue;
    }
    if (attempt.kind === 'failed') {
      firstRecorder ??= attempt.recorder;
      reasons.push(`${version}: ${attempt.reason}`);
      continue;
    }
    if (attempt.unit.negotiatedVersion !== undefined) {
      // Not echoed: the target does not support this version.
      reasons.push(`${version}: answered ${attempt.unit.negotiatedVersion}`);
      await attempt.unit.session.close();
      continue;
    }
    units.push(attempt.unit);
  }
  if (units.length > 0) return { kind: 'ok', units };
  return { kind: 'failed', version: LATEST_HANDSHAKE_VERSION, reason: `${describeTarget(target)} accepted none of the protocol versions (${reasons.join('; ')})`, recorder: firstRecorder ?? new Recorder() };
}
