// Owns Ripple's start-up order and shutdown: port first (fail fast), then Neo4j (local or external),
// migrations, the GraphQL schema, the demo seed, and the HTTP surface; stop() undoes it in reverse.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import path from 'node:path';
import { isLoopback, type Config } from './config/config';
import { StartupError } from './errors';
import { generateEstate } from '../seed/estate';
import { loadEstate } from '../seed/load';
import { seedWorkspaces, type WorkspaceDeps } from '../seed/workspaces';
import { loadClassModel } from './domain/class-model/load-class-model';
import { buildSchema } from './graphql/schema';
import { createHttpServer } from './http/server';
import { createGraphqlEndpoint } from './http/yoga';
import type { Logger } from './log';
import { connect, type Db } from './neo4j/db';
import { DEFAULT_GUARD, Neo4jGuard } from './neo4j/guard';
import { startLocalNeo4j, type LocalNeo4j } from './neo4j/local/local-neo4j';
import { migrate } from './neo4j/migrate';
import { countCis } from './neo4j/repositories/system-repository';
import { Authenticator } from './services/authenticate';
import { mintDemoPeople, type DemoPerson } from './services/demo-people';
import { ImpactReadModelService } from './services/impact-read-model';
import { TokenService } from './services/tokens';
import { clientAddress } from './http/rate-limit';

export interface Ripple {
  url: string;
  db: Db;
  localNeo4j: LocalNeo4j | undefined;
  /** This process's impact read model (RIPPLE_IMPACT_READ_MODEL=on): benchmarks measure against it. */
  impactReadModel: ImpactReadModelService | undefined;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** An already connected database (tests share one Neo4j); Ripple then neither starts nor closes one. */
  db?: Db;
  /** Replaces the demo seed when RIPPLE_SEED=auto; it is given the URL the seed's batches go to (tests). */
  seed?: (url: string) => Promise<void>;
}

export async function startRipple(config: Config, log: Logger, opts: StartOptions = {}): Promise<Ripple> {
  const cleanups: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const c of cleanups.reverse()) await c().catch((err: unknown) => log.warn({ err }, 'shutdown step failed'));
    cleanups.length = 0;
  };
  try {
    refuseOpenNetwork(config);
    const holder = await reservePort(config.host, config.port);
    cleanups.push(() => closeServer(holder));

    let localNeo4j: LocalNeo4j | undefined;
    let target = config.neo4j;
    if (!target && !opts.db) {
      const started = Date.now();
      localNeo4j = await startLocalNeo4j({
        version: config.local.version,
        cacheDir: config.cacheDir,
        dataDir: path.join(config.dataDir, 'neo4j'),
        heapBytes: config.local.heapBytes,
        pagecacheBytes: config.local.pagecacheBytes,
        startTimeoutMs: config.local.startTimeoutMs,
      });
      cleanups.push(() => localNeo4j!.stop());
      log.info({ uri: localNeo4j.uri, pid: localNeo4j.pid, ms: Date.now() - started }, 'local neo4j ready');
      target = { uri: localNeo4j.uri, username: localNeo4j.username, password: localNeo4j.password, database: 'neo4j' };
    }
    let db: Db;
    if (opts.db) db = opts.db;
    else {
      const connected = await connect({ ...target!, timeoutMs: config.neo4jConnectTimeoutMs });
      cleanups.push(() => connected.driver.close());
      db = connected;
    }
    const guard = createGuard(config, db, localNeo4j, log);
    cleanups.push(async () => guard.stop());
    db = db.guarded(guard);
    const migrations = await migrate(db);
    log.info(migrations, 'migrations');
    if (db.procedures.size) log.info({ procedures: [...db.procedures] }, "Ripple's Neo4j plugin found: impact reachability runs inside Neo4j");
    else log.warn("Ripple's Neo4j plugin is not installed (server/neo4j/plugin): impact analysis uses plain Cypher, slower on large estates");

    const model = loadClassModel();
    const schema = buildSchema(model);
    const auth = new Authenticator(config.auth, new TokenService(db));
    let demoPeople: DemoPerson[] = [];
    if (auth.demo) {
      log.warn({ host: config.host }, 'demo mode: no authentication is configured (RIPPLE_AUTH), so anyone on this machine is admin');
      demoPeople = await mintDemoPeople(new TokenService(db));
    }
    const impactReadModel = config.impactReadModel ? new ImpactReadModelService(db, model, log.child({ module: 'impact-read-model' })) : undefined;
    const yoga = createGraphqlEndpoint({
      schema,
      db,
      log,
      model,
      maxQueryDepth: config.limits.maxQueryDepth,
      production: config.production,
      limits: { maxBatch: config.limits.maxBatch, maxTraversalDepth: config.limits.maxTraversalDepth, maxQueryCost: config.limits.maxQueryCost },
      cheapQueryCost: config.workload.cheapCost,
      rateLimits: { perMinute: config.rateLimitPerMinute, authFailuresPerMinute: config.authFailuresPerMinute },
      reportQueryCount: config.reportQueryCount,
      approvalPolicy: config.approvalPolicy,
      ...(impactReadModel ? { impactReadModel } : {}),
      auth,
      authConfig: config.auth,
    });
    // Ready means the estate a user opens is there: while the demo seed runs, /readyz says "seeding".
    const startup = { seeding: false };
    const server = createHttpServer({
      yoga,
      db,
      guard,
      log,
      webDir: config.webDir,
      maxBodyBytes: config.limits.maxBodyBytes,
      isSeeding: () => startup.seeding,
      clientAddress: clientAddress(config.trustedProxies),
      auth,
      demoPeople,
    });
    holder.removeAllListeners('request');
    holder.on('request', server.listeners('request')[0] as (...a: unknown[]) => void);
    const addr = holder.address() as AddressInfo;
    const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
    const url = `http://${shownHost}:${addr.port}`;
    if (config.seed.mode === 'auto') {
      const seedUrl = `http://127.0.0.1:${addr.port}`;
      // The seed writes through the public API like any discovery script, with a credential that lives only here.
      const token = auth.internalCredential('ripple-seed', ['discovery'], ['seed']);
      startup.seeding = true;
      try {
        await (opts.seed
          ? opts.seed(seedUrl)
          : seedIfEmpty({ db, model, log, maxBatch: config.limits.maxBatch, approvalPolicy: config.approvalPolicy }, { url: seedUrl, token }, config.seed.size));
      } finally {
        startup.seeding = false;
      }
    }
    // Loaded before start-up returns rather than by the first impact request, which would wait seconds for it at
    // 100,000 CIs. Awaited, so the load never overlaps the first writes: a write made outside Ripple that moves no
    // count is seen only by a catch-up that starts after it (server/domain/impact/README.md).
    await impactReadModel?.upToDate().catch((e: unknown) => log.warn({ err: e }, 'impact read model not loaded at start; the first impact request loads it'));
    return { url, db, localNeo4j, impactReadModel, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Lanes, timeouts and health for this Neo4j: the local supervisor says at once when its JVM dies; a probe notices the rest. */
function createGuard(config: Config, db: Db, local: LocalNeo4j | undefined, log: Logger): Neo4jGuard {
  const guard = new Neo4jGuard({
    ...DEFAULT_GUARD,
    timeoutMs: config.workload.timeoutMs,
    concurrency: { ...DEFAULT_GUARD.concurrency, ...config.workload.concurrency },
  });
  const nlog = log.child({ module: 'neo4j' });
  guard.onChange((h) => (h.state === 'down' ? nlog.error({ reason: h.reason }, 'neo4j unavailable: requests fail fast until it answers') : nlog.info('neo4j answers again')));
  local?.onEvent((e) => {
    if (e.kind === 'exited') {
      guard.holdDown(`local Neo4j exited (code ${e.code}, signal ${e.signal})`);
      nlog.error({ code: e.code, signal: e.signal, lastLines: e.lastLines }, 'local neo4j died; restarting it');
    } else if (e.kind === 'restarted') {
      guard.release();
      nlog.info({ pid: e.pid, ms: e.ms }, 'local neo4j restarted');
    } else nlog.error({ reason: e.reason, retryInMs: e.retryInMs }, 'local neo4j failed to restart');
  });
  guard.watch(db.driver, db.database);
  return guard;
}

/**
 * The demo estate goes in through the public API, as a discovery script's batches would, on an empty database;
 * then its open work (incidents, changes, defects) through the same use cases the API calls.
 */
async function seedIfEmpty(deps: WorkspaceDeps, to: { url: string; token: string }, size: number): Promise<void> {
  const { db, model, log } = deps;
  if ((await db.read(countCis)) > 0) return;
  const started = Date.now();
  log.info({ size }, 'seeding the demo estate; /readyz answers "seeding" until it is in');
  const estate = generateEstate({ size });
  const result = await loadEstate(estate, { ...to, model, source: 'seed' });
  if (result.rejected.length) log.warn({ rejected: result.rejected.slice(0, 10), total: result.rejected.length }, 'seed items rejected');
  await seedWorkspaces(deps, estate, result.ids);
  log.info({ cis: estate.cis.length, relationships: estate.relationships.length, ms: Date.now() - started }, 'demo estate seeded');
}

/** Without authentication anyone who reaches the port is admin, so demo mode serves this machine only. */
function refuseOpenNetwork(config: Config): void {
  if (config.auth.mode === 'demo' && !isLoopback(config.host)) {
    throw new StartupError(
      `HOST=${config.host} is reachable from other machines and no authentication is configured: set RIPPLE_AUTH=on (API tokens) ` +
        'and/or RIPPLE_OIDC_ISSUER and RIPPLE_OIDC_AUDIENCE, or serve on HOST=127.0.0.1',
    );
  }
}

/** Binds the port before anything slow starts, so a taken port fails in a second, not after Neo4j boots. */
async function reservePort(host: string, port: number): Promise<Server> {
  const { createServer } = await import('node:http');
  const server = createServer((_req, res) => {
    res.writeHead(503, { 'content-type': 'text/plain', 'retry-after': '2' });
    res.end('Ripple is starting\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EADDRINUSE') reject(new StartupError(`port ${port} on ${host} is already in use (set PORT to a free port)`));
      else if (e.code === 'EACCES') reject(new StartupError(`no permission to listen on port ${port} (set PORT above 1024)`));
      else reject(new StartupError(`cannot listen on ${host}:${port}: ${e.message} (check HOST and PORT)`));
    });
    server.listen(port, host, () => resolve());
  });
  return server;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
