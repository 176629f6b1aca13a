// Owns the Neo4j connection: the driver, read and write transactions kept apart (so a cluster routes reads to
// followers), causal bookmarks shared across sessions, a per-request count of Cypher queries, and each request's
// lane, timeout and cancellation (through the guard, server/neo4j/guard.ts).
import neo4j, { type Driver, type ManagedTransaction, type QueryResult, type RecordShape, type Session } from 'neo4j-driver';
import { StartupError } from '../errors';
import { RequestAbortedError, type Lane, type Neo4jGuard } from './guard';
import { metrics } from '../metrics';

export interface Tx {
  run<R extends RecordShape = RecordShape>(query: string, params?: Record<string, unknown>): Promise<QueryResult<R>>;
  /** Ripple's plugin procedures this Neo4j has (server/neo4j/plugin); repositories fall back to Cypher without them. */
  readonly procedures: ReadonlySet<string>;
}

/** Counts Cypher statements; one per GraphQL request lets a test prove there is no N+1. */
export class QueryCounter {
  count = 0;
}

/**
 * What one API request's transactions share: its query count, its lane (set once the query's cost is known, before
 * any resolver runs) and the signal that fires when its client goes away.
 */
export interface RequestScope {
  queries: QueryCounter;
  lane: Lane;
  signal?: AbortSignal;
}

export class Db {
  constructor(
    readonly driver: Driver,
    readonly database: string,
    private readonly counter?: QueryCounter,
    readonly procedures: ReadonlySet<string> = new Set(),
    readonly guard?: Neo4jGuard,
    private readonly scope?: RequestScope,
  ) {}

  /** The same connection, counting its queries into `counter`. */
  counted(counter: QueryCounter): Db {
    return new Db(this.driver, this.database, counter, this.procedures, this.guard, this.scope);
  }

  /** The same connection for one API request: its transactions run in the request's lane, bounded and cancellable. */
  forRequest(scope: RequestScope): Db {
    return new Db(this.driver, this.database, scope.queries, this.procedures, this.guard, scope);
  }

  /** The same connection, guarded (lanes, timeouts, fast failure while Neo4j is down). */
  guarded(guard: Neo4jGuard): Db {
    return new Db(this.driver, this.database, this.counter, this.procedures, guard, this.scope);
  }

  /** The same connection, using only the given plugin procedures (none: plain Cypher throughout). */
  withProcedures(procedures: ReadonlySet<string>): Db {
    return new Db(this.driver, this.database, this.counter, procedures, this.guard, this.scope);
  }

  read<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.session('READ', (s, config) => s.executeRead((tx: ManagedTransaction) => work(this.wrap(tx)), config));
  }

  write<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.session('WRITE', (s, config) => s.executeWrite((tx: ManagedTransaction) => work(this.wrap(tx)), config));
  }

  /** Schema statements cannot share a transaction with data writes, so they run in auto-commit mode. */
  async runSchema(query: string, params?: Record<string, unknown>): Promise<QueryResult> {
    return this.session('WRITE', (s) => s.run(query, params));
  }

  private session<T>(mode: 'READ' | 'WRITE', fn: (s: Session, config?: { timeout: number }) => Promise<T>): Promise<T> {
    const guard = this.guard;
    if (!guard) return this.openSession(mode, fn);
    // Outside a request (start-up, seeding, tests) reads and writes take the heavy and write lanes.
    const lane: Lane = mode === 'WRITE' ? 'write' : (this.scope?.lane ?? 'heavy');
    const config = { timeout: guard.options.timeoutMs[lane] };
    return guard.run(lane, (track) => this.openSession(mode, (s) => this.cancellable(s, track, () => fn(s, config))));
  }

  private async openSession<T>(mode: 'READ' | 'WRITE', fn: (s: Session) => Promise<T>): Promise<T> {
    const done = metrics.cypherSeconds.startTimer({ mode: mode.toLowerCase() });
    const session = this.driver.session({
      database: this.database,
      defaultAccessMode: mode === 'READ' ? neo4j.session.READ : neo4j.session.WRITE,
      bookmarkManager: this.driver.executeQueryBookmarkManager,
    });
    try {
      return await fn(session);
    } finally {
      await session.close();
      done();
    }
  }

  /**
   * Closing a session with a query in flight makes the driver send RESET, which stops the transaction inside
   * Neo4j: that is how a client that went away, or an outage, stops the work it started.
   */
  private async cancellable<T>(session: Session, track: (s: Session) => () => void, fn: () => Promise<T>): Promise<T> {
    const signal = this.scope?.signal;
    if (signal?.aborted) throw new RequestAbortedError();
    const untrack = track(session);
    const abort = () => void session.close().catch(() => undefined);
    signal?.addEventListener('abort', abort, { once: true });
    try {
      return await fn();
    } catch (e) {
      throw signal?.aborted ? new RequestAbortedError() : e;
    } finally {
      signal?.removeEventListener('abort', abort);
      untrack();
    }
  }

  private wrap(tx: ManagedTransaction): Tx {
    const counter = this.counter;
    return {
      procedures: this.procedures,
      run: (query, params) => {
        if (counter) counter.count += 1;
        return tx.run(query, params);
      },
    };
  }
}

export interface ConnectOptions {
  uri: string;
  username: string;
  password: string;
  database: string;
  timeoutMs: number;
}

/** Connects and proves Bolt answers, or throws one line naming the cause and the variable to fix. */
export async function connect(opts: ConnectOptions): Promise<Db> {
  const driver = neo4j.driver(opts.uri, neo4j.auth.basic(opts.username, opts.password), {
    // Short, so a Neo4j that stopped answering fails requests in seconds (the guard then fails them at once).
    connectionTimeout: Math.min(opts.timeoutMs, 5_000),
    connectionAcquisitionTimeout: Math.min(opts.timeoutMs, 10_000),
    maxTransactionRetryTime: 15_000,
    disableLosslessIntegers: true,
    userAgent: 'ripple/0.1',
  });
  try {
    await withTimeout(driver.verifyConnectivity({ database: opts.database }), opts.timeoutMs);
  } catch (e) {
    await driver.close().catch(() => undefined);
    const err = e as { code?: string; message?: string };
    if (err.code === 'Neo.ClientError.Security.Unauthorized') {
      throw new StartupError(`Neo4j at ${opts.uri} refused the credentials (check NEO4J_USERNAME and NEO4J_PASSWORD)`);
    }
    const reason = (err.message ?? String(e)).split('\n')[0];
    throw new StartupError(`cannot reach Neo4j at ${opts.uri}: ${reason} (check NEO4J_URI)`);
  }
  return new Db(driver, opts.database, undefined, await rippleProcedures(driver, opts.database));
}

/** Which of Ripple's plugin procedures the server has: asked once, at connection. */
async function rippleProcedures(driver: Driver, database: string): Promise<ReadonlySet<string>> {
  try {
    const res = await driver.executeQuery(
      "SHOW PROCEDURES YIELD name WHERE name STARTS WITH 'ripple.' RETURN collect(name) AS names",
      {},
      { database, routing: neo4j.routing.READ },
    );
    return new Set((res.records[0]?.get('names') as string[] | undefined) ?? []);
  } catch {
    // A user without the right to list procedures still gets a working Ripple, on plain Cypher.
    return new Set();
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}
