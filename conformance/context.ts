/**
 * The CheckContext a running check talks through: sessions (shared or fresh), raw HTTP,
 * expectations, and the evidence they leave. One per check run; the runner turns what it
 * collected into a result.
 */
import { Agent } from 'undici';
import type { TransportKind } from '../transport/connection.js';
import type { JsonObject } from '../transport/jsonrpc.js';
import { validate } from '../spec/validate.js';
import { era, type ProtocolVersion } from '../spec/versions.js';
import type { HttpRecord, JsonValue, ServerInfo } from '../reports/model.js';
import type { Check, CheckContext, FailureDetails, PropertySettings } from './check.js';
import { HarnessError } from './errors.js';
import { httpExchange, type HttpAnswer, type HttpRequestSpec } from './http-probe.js';
import type { Handshake } from './negotiate.js';
import type { Recorder } from './record.js';
import { Session, type Reply } from './session.js';
import type { Target } from './target.js';

/** What the checks of one target × version share. */
export interface Unit {
  target: Target;
  transport: TransportKind;
  version: ProtocolVersion;
  serverCapabilities: JsonObject;
  serverInfo: ServerInfo | null;
  timeoutMs: number;
  clientInfo: { name: string; version: string };
  /** The ready session checks share; replaced when it closes or a check times out on it. */
  shared: Session | undefined;
  /** Connection labels count up over the whole unit (all its lanes), so transcripts never reuse one. */
  connections: { count: number };
  /** The negotiation's initialize exchange for this unit, when it made one. */
  handshake?: Handshake;
  property: PropertySettings;
}

export interface RecordedFailure extends FailureDetails {
  message: string;
}

/** Thrown by `ctx.skip()`; the runner turns it into a `skip` result. */
export class SkipSignal extends Error {
  override readonly name = 'SkipSignal';
}

/** Walks a capability path (`resources.subscribe`): declared when present and not false/null. */
export function declares(capabilities: JsonObject, path: string): boolean {
  let node: JsonValue | undefined = capabilities;
  for (const part of path.split('.')) {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return false;
    node = node[part];
  }
  return node !== undefined && node !== null && node !== false;
}

export class RunningCheck implements CheckContext {
  readonly check: Check;
  readonly unit: Unit;
  readonly recorder: Recorder;
  readonly failures: RecordedFailure[] = [];
  readonly #controller = new AbortController();
  readonly #fresh: Session[] = [];
  #agent: Agent | undefined;
  #usedShared = false;

  constructor(check: Check, unit: Unit, recorder: Recorder) {
    this.check = check;
    this.unit = unit;
    this.recorder = recorder;
  }

  get target(): Target {
    return this.unit.target;
  }
  get transport(): TransportKind {
    return this.unit.transport;
  }
  get version(): ProtocolVersion {
    return this.unit.version;
  }
  get era(): 'legacy' | 'modern' {
    return era(this.unit.version);
  }
  get serverCapabilities(): JsonObject {
    return this.unit.serverCapabilities;
  }
  get timeoutMs(): number {
    return this.unit.timeoutMs;
  }
  get property(): PropertySettings {
    return this.unit.property;
  }
  get signal(): AbortSignal {
    return this.#controller.signal;
  }
  get failureCount(): number {
    return this.failures.length;
  }

  async session(options: { fresh?: boolean } = {}): Promise<Session> {
    if (!options.fresh) {
      const shared = this.unit.shared;
      if (shared && !shared.closed) {
        shared.recorder = this.recorder;
        this.#usedShared = true;
        return shared;
      }
    }
    const session = await this.#open(!options.fresh);
    await this.#handshake(session);
    if (!options.fresh) {
      this.unit.shared = session;
      this.#usedShared = true;
    }
    return session;
  }

  async connect(): Promise<Session> {
    return this.#open(false);
  }

  negotiationHandshake(): Reply | undefined {
    const handshake = this.unit.handshake;
    if (handshake === undefined || handshake.asked !== this.version) return undefined;
    this.recorder.note(`the initialize exchange of the version negotiation, on its own connection:`);
    for (const { atMs: _at, ...entry } of handshake.transcript) this.recorder.add(entry);
    return handshake.reply;
  }

  async http(request: HttpRequestSpec): Promise<HttpAnswer> {
    if (this.target.kind === 'stdio' || this.target.kind === 'tcp') throw new HarnessError('MCPCERT_ERR_TRANSPORT', `raw HTTP is not available for a ${this.target.kind} target`);
    this.#agent ??= new Agent({ connectTimeout: this.timeoutMs });
    return httpExchange(this.#agent, request, this.timeoutMs, this.recorder, this.signal);
  }

  recordHttp(direction: 'sent' | 'received', record: HttpRecord): void {
    this.recorder.http(direction, record);
  }

  expect(condition: boolean, message: string, details?: FailureDetails): boolean {
    if (!condition) this.fail(message, details);
    return condition;
  }

  fail(message: string, details: FailureDetails = {}): void {
    this.failures.push({ message, ...details });
    this.recorder.note(`expectation missed: ${message}`);
  }

  validate(definition: string, value: unknown, what: string, details: FailureDetails = {}): boolean {
    const outcome = validate(this.version, definition, value);
    if (outcome.ok) return true;
    this.fail(`${what} is not a valid ${this.version} ${definition}: ${outcome.summary}`, { expected: `a ${definition} as the ${this.version} schema defines it`, observed: outcome.summary, ...details });
    return false;
  }

  skip(reason: string): never {
    throw new SkipSignal(reason);
  }

  note(text: string): void {
    this.recorder.note(text);
  }

  hasCapability(path: string): boolean {
    return declares(this.serverCapabilities, path);
  }

  /** Called by the runner when the check ran out of time: pending requests give up. */
  abort(reason: string): void {
    this.#controller.abort(new Error(reason));
    for (const s of this.#fresh) s.abortPending(reason);
    if (this.#usedShared && this.unit.shared) {
      // A shared session a check gave up on may still owe answers: do not lend it again.
      const shared = this.unit.shared;
      this.unit.shared = undefined;
      void shared.close();
    }
  }

  /** Releases what the check opened; the shared session stays for the next check. */
  async finish(): Promise<void> {
    if (this.unit.shared && this.unit.shared.recorder === this.recorder) this.unit.shared.recorder = undefined;
    await Promise.all(this.#fresh.map((s) => s.close()));
    await this.#agent?.destroy().catch(() => undefined);
  }

  async #open(shared: boolean): Promise<Session> {
    const label = `#${++this.unit.connections.count}`;
    const session = await Session.open(this.target, this.version, { timeoutMs: this.timeoutMs, label, clientInfo: this.unit.clientInfo }, this.recorder);
    if (!shared) this.#fresh.push(session);
    return session;
  }

  async #handshake(session: Session): Promise<void> {
    if (this.era === 'modern') return;
    const reply = await session.initialize(this.version);
    if (reply.kind !== 'result') {
      const why = reply.kind === 'error' ? `error ${reply.error.code} ${reply.error.message}` : reply.reason;
      await session.close();
      throw new HarnessError('MCPCERT_ERR_TRANSPORT', `the target refused initialize with protocolVersion ${this.version}: ${why}`);
    }
  }
}
