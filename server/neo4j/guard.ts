// Owns how requests share Neo4j and survive its faults: lanes (cheap reads, heavy reads, writes) each with their
// own concurrency limit and queue, so heavy work can never take the connections cheap reads need; a transaction
// timeout per lane; and a health state that fails requests at once with DATABASE_UNAVAILABLE while Neo4j is
// down (told by the local supervisor, or noticed by a probe against an external Neo4j) instead of letting each
// wait out the driver's connection and retry timeouts.
import { bulkhead, BulkheadRejectedError, type BulkheadPolicy } from 'cockatiel';
import type { Driver } from 'neo4j-driver';
import { RippleError } from '../errors';

export type Lane = 'cheap' | 'heavy' | 'write';

export interface GuardOptions {
  timeoutMs: Record<Lane, number>;
  concurrency: Record<Lane, number>;
  /** Requests that may wait for a slot in each lane before new ones are refused as OVERLOADED. */
  queue: Record<Lane, number>;
  /** How often the probe asks Neo4j whether it answers, and how long it waits. */
  probeEveryMs: number;
  probeTimeoutMs: number;
  /** Failed probes in a row before Neo4j counts as down (one slow answer under load is not an outage). */
  probeFailuresToDown: number;
}

export const DEFAULT_GUARD: GuardOptions = {
  timeoutMs: { cheap: 15_000, heavy: 60_000, write: 120_000 },
  concurrency: { cheap: 48, heavy: 8, write: 8 },
  queue: { cheap: 1_000, heavy: 64, write: 256 },
  probeEveryMs: 1_000,
  probeTimeoutMs: 900,
  probeFailuresToDown: 3,
};

export class DatabaseUnavailableError extends RippleError {
  constructor() {
    super('DATABASE_UNAVAILABLE', 'the database is unavailable right now; Ripple is reconnecting, try again shortly');
  }
}

export class OverloadedError extends RippleError {
  constructor(lane: Lane) {
    super('OVERLOADED', `too many ${lane === 'write' ? 'writes' : `${lane} reads`} are waiting; try again shortly`);
  }
}

export class QueryTimeoutError extends RippleError {
  constructor(ms: number) {
    super('TIMEOUT', `the query ran longer than its limit of ${ms} ms and was stopped; narrow it (smaller pages, shallower traversals)`);
  }
}

export class QueryTooLargeError extends RippleError {
  constructor() {
    super('QUERY_TOO_LARGE', 'the query needed more memory than Neo4j grants one request and was stopped; narrow it (smaller pages, shallower traversals)');
  }
}

export class RequestAbortedError extends RippleError {
  constructor() {
    super('ABORTED', 'the client went away; the query was stopped');
  }
}

export interface Closable {
  close(): Promise<void>;
}

export type Health = { state: 'up' } | { state: 'down'; since: string; reason: string };

const UNAVAILABLE_CODES = new Set(['ServiceUnavailable', 'SessionExpired', 'Neo.TransientError.General.DatabaseUnavailable']);
const TIMEOUT_CODES = new Set([
  'Neo.ClientError.Transaction.TransactionTimedOut',
  'Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration',
]);

const MEMORY_CODES = new Set([
  'Neo.TransientError.General.MemoryPoolOutOfMemoryError',
  'Neo.TransientError.General.TransactionMemoryLimit',
  'Neo.TransientError.General.TransactionOutOfMemoryError',
]);

export class Neo4jGuard {
  private readonly lanes: Record<Lane, BulkheadPolicy>;
  private readonly open = new Set<Closable>();
  private health: Health = { state: 'up' };
  private heldDown: string | undefined;
  private failedProbes = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly listeners = new Set<(h: Health) => void>();

  constructor(readonly options: GuardOptions = DEFAULT_GUARD) {
    const lane = (l: Lane) => bulkhead(options.concurrency[l], options.queue[l]);
    this.lanes = { cheap: lane('cheap'), heavy: lane('heavy'), write: lane('write') };
  }

  get state(): Health {
    return this.health;
  }

  onChange(listener: (h: Health) => void): void {
    this.listeners.add(listener);
  }

  /** Runs `work` in the lane's bulkhead, failing at once while Neo4j is down; `session` is closed on an outage. */
  async run<T>(lane: Lane, work: (track: (s: Closable) => () => void) => Promise<T>): Promise<T> {
    if (this.health.state === 'down') throw new DatabaseUnavailableError();
    try {
      return await this.lanes[lane].execute(() => {
        if (this.health.state === 'down') throw new DatabaseUnavailableError();
        return work((s) => {
          this.open.add(s);
          return () => this.open.delete(s);
        });
      });
    } catch (e) {
      throw this.translate(e, lane);
    }
  }

  /** The error a caller can act on, for the failures Ripple expects from Neo4j. */
  translate(e: unknown, lane: Lane): unknown {
    if (e instanceof BulkheadRejectedError) return new OverloadedError(lane);
    const code = (e as { code?: string } | null)?.code;
    if (code && TIMEOUT_CODES.has(code)) return new QueryTimeoutError(this.options.timeoutMs[lane]);
    if (code && UNAVAILABLE_CODES.has(code)) return new DatabaseUnavailableError();
    if (code && MEMORY_CODES.has(code)) return new QueryTooLargeError();
    if (this.health.state === 'down' && !(e instanceof RippleError)) return new DatabaseUnavailableError();
    return e;
  }

  /** Neo4j is known to be down (its process died): fail fast until `release`, and stop what is in flight. */
  holdDown(reason: string): void {
    this.heldDown = reason;
    this.setDown(reason);
  }

  release(): void {
    this.heldDown = undefined;
  }

  /** Probes Neo4j with `RETURN 1` every `probeEveryMs` until `stop`. */
  watch(driver: Driver, database: string): void {
    const probe = async () => {
      const ok = await this.probe(driver, database);
      if (ok) {
        this.failedProbes = 0;
        if (!this.heldDown) this.setUp();
      } else if (++this.failedProbes >= this.options.probeFailuresToDown) this.setDown('Neo4j does not answer');
      this.timer = setTimeout(() => void probe(), this.health.state === 'down' ? this.options.probeEveryMs / 2 : this.options.probeEveryMs);
      this.timer.unref();
    };
    this.timer = setTimeout(() => void probe(), this.options.probeEveryMs);
    this.timer.unref();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Whether Neo4j answers `RETURN 1` within the probe timeout; never throws, never waits longer. */
  async probe(driver: Driver, database: string): Promise<boolean> {
    const session = driver.session({ database });
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), this.options.probeTimeoutMs)));
    const answered = session
      .run('RETURN 1', {}, { timeout: this.options.probeTimeoutMs })
      .then(() => true)
      .catch(() => false);
    try {
      return await Promise.race([answered, late]);
    } finally {
      clearTimeout(timer);
      void session.close().catch(() => undefined);
    }
  }

  private setDown(reason: string): void {
    if (this.health.state === 'down') return;
    this.health = { state: 'down', since: new Date().toISOString(), reason };
    for (const s of this.open) void s.close().catch(() => undefined);
    this.open.clear();
    for (const l of this.listeners) l(this.health);
  }

  private setUp(): void {
    if (this.health.state === 'up') return;
    this.health = { state: 'up' };
    for (const l of this.listeners) l(this.health);
  }
}
