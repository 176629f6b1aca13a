// Owns this process's impact read model: loaded at first use, and before every answer brought up to the store's
// current version from the change log (one cheap query when nothing changed); rebuilt when the log has a gap or
// the store's counts show a write made outside Ripple. Neo4j stays the source of truth: the model is a cache
// that any process can rebuild, so replicas need share nothing but the database.
import type { Logger } from 'pino';
import type { ClassModel } from '../domain/class-model/types';
import { ImpactReadModel, type ModelRow } from '../domain/impact/read-model';
import type { ImpactGraph, Upstream } from '../domain/impact';
import type { Db } from '../neo4j/db';
import { changesSince, storeState, type StoreState } from '../neo4j/repositories/change-log';
import { modelPage, modelRows } from '../neo4j/repositories/read-model-repository';
import { upstreamIds as upstreamIdsOf, upstreamOf } from '../neo4j/repositories/impact-repository';

/** How impact reaches the upstream subgraph: from this read model, or from Neo4j (plugin or Cypher). */
export interface UpstreamSource {
  upstream(ids: string[], maxDepth: number): Promise<ImpactGraph>;
  upstreamIds(ids: string[], maxDepth: number): Promise<Set<string>>;
  /**
   * `compute` over the upstream subgraph of `ids`, remembered under `key` until a write touches what it depends
   * on: a responder paging through one incident's 5,000 services, or a change assessed twice, propagates once.
   * Absent where the source cannot tell when the store changed.
   */
  remember?<T>(key: string, ids: string[], maxDepth: number, compute: (upstream: Upstream, held: HeldFacts) => T): Promise<T>;
  /**
   * This source after one check of the store's version: a use case that asks many questions (an assessment, and
   * every change overlapping its window) checks once rather than per question. Absent where nothing is checked.
   */
  pinned?(): Promise<UpstreamSource>;
}

/** What else the model holds at the version `remember` computes over: services' levels and impact intervals. */
export type HeldFacts = Pick<ImpactReadModel, 'serviceLevels'>;
export type HeldServiceLevel = ReturnType<ImpactReadModel['serviceLevels']>[number];

/** Results kept per process; each is one impact report, so a few dozen stay well under the model's own size. */
const REMEMBERED = 16;
/** Catch-ups whose CIs are kept, to check remembered results against: a few minutes of steady discovery. */
const RECENT_CATCH_UPS = 256;

interface Remembered {
  version: number;
  /** The model indexes the result's walk depended on, sorted (see ImpactReadModel.touches). */
  dependsOn: Int32Array;
  value: unknown;
}

export interface LoadFigures {
  cis: number;
  relationships: number;
  ms: number;
  bytes: number;
}

export class ImpactReadModelService implements UpstreamSource {
  private model: ImpactReadModel | undefined;
  /** Counts loads, so that a rebuild at the same store version does not answer from what the old model computed. */
  private generation = 0;
  private readonly remembered = new Map<string, Remembered>();
  /**
   * What the recent catch-ups re-read, oldest first and each starting where the one before ended (they run one at
   * a time and a load clears them), so that a result from an older version can be checked rather than redone.
   */
  private recent: { from: number; to: number; ciIds: string[] }[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  /** What the last full load cost, for the benchmark and the log. */
  lastLoad: LoadFigures | undefined;

  constructor(
    private readonly db: Db,
    private readonly classes: ClassModel,
    private readonly log?: Logger,
  ) {}

  /**
   * This model, with the statements it runs for one request (the version check, any catch-up or load) made
   * through that request's `db`, so that they count among the request's Cypher queries.
   */
  forRequest(db: Db): UpstreamSource {
    return {
      upstream: (ids, maxDepth) => this.upstream(ids, maxDepth, db),
      upstreamIds: (ids, maxDepth) => this.upstreamIds(ids, maxDepth, db),
      remember: (key, ids, maxDepth, compute) => this.remember(key, ids, maxDepth, compute, db),
      pinned: async () => this.over(await this.upToDate(db)),
    };
  }

  /** The model as it is now, without further version checks: what `pinned` hands out. */
  private over(m: ImpactReadModel): UpstreamSource {
    return {
      upstream: async (ids, maxDepth) => m.upstream(ids, maxDepth),
      upstreamIds: async (ids, maxDepth) => m.upstreamIds(ids, maxDepth),
      remember: async (key, ids, maxDepth, compute) => this.recall(m, key, ids, maxDepth, compute),
    };
  }

  async upstream(ids: string[], maxDepth: number, db = this.db): Promise<ImpactGraph> {
    return (await this.upToDate(db)).upstream(ids, maxDepth);
  }

  async upstreamIds(ids: string[], maxDepth: number, db = this.db): Promise<Set<string>> {
    return (await this.upToDate(db)).upstreamIds(ids, maxDepth);
  }

  async remember<T>(key: string, ids: string[], maxDepth: number, compute: (upstream: Upstream, held: HeldFacts) => T, db = this.db): Promise<T> {
    return this.recall(await this.upToDate(db), key, ids, maxDepth, compute);
  }

  /**
   * A result stays good at a newer version when no CI the writes since touched is one its walk depended on, or
   * now points into them: discovery writing elsewhere in the estate does not make a responder's report propagate
   * again.
   */
  private recall<T>(m: ImpactReadModel, key: string, ids: string[], maxDepth: number, compute: (upstream: Upstream, held: HeldFacts) => T): T {
    // A pinned view of a model since rebuilt answers its own request, and is not remembered for the new model.
    if (m !== this.model) return compute(m.reach(ids, maxDepth), m);
    const k = `${this.generation}|${maxDepth}|${key}`;
    const hit = this.remembered.get(k);
    // Most recently used last, so the first key is the one to drop.
    this.remembered.delete(k);
    if (hit && this.stillGood(m, hit, ids)) {
      this.remembered.set(k, { ...hit, version: m.version });
      return hit.value as T;
    }
    // Propagation over the model's own numeric ids: no subgraph of strings to build, sort and map again.
    const upstream = m.reach(ids, maxDepth);
    const value = compute(upstream, m);
    this.remembered.set(k, { version: m.version, dependsOn: upstream.dependsOn, value });
    if (this.remembered.size > REMEMBERED) this.remembered.delete(this.remembered.keys().next().value!);
    return value;
  }

  private stillGood(m: ImpactReadModel, hit: Remembered, ids: string[]): boolean {
    if (hit.version === m.version) return true;
    if (hit.version > m.version) return false;
    // Catch-ups follow one another from the last load, so the kept ones cover every write since the result's
    // version unless the oldest of them started after it.
    if (!this.recent.length || this.recent[0]!.from > hit.version) return false;
    const since = this.recent.filter((c) => c.to > hit.version);
    const named = new Set(ids);
    return since.every((c) => c.ciIds.every((id) => !named.has(id) && !m.touches(id, hit.dependsOn)));
  }

  /** The model, holding at least every write committed before this call. */
  async upToDate(db = this.db): Promise<ImpactReadModel> {
    const state = await this.state(db);
    return this.serially(() => this.reach(state, db));
  }

  /** One catch-up or load at a time; requests that arrive meanwhile wait for it rather than repeat it. */
  private serially<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private state(db: Db): Promise<StoreState> {
    return db.read((tx) => storeState(tx, this.classes.impactingTypes()));
  }

  private async reach(state: StoreState, db: Db): Promise<ImpactReadModel> {
    const m = this.model;
    // A store version behind the model's: the store was reset or restored from a backup.
    if (!m || state.version < m.version) return this.load(db);
    if (m.version < state.version && !(await this.catchUp(m, state.version, db))) return this.load(db);
    if (m.version !== state.version || sameCounts(m, state)) return m;
    // The version and the counts come from one statement but not one instant: a write may have landed between.
    const again = await this.state(db);
    if (m.version < again.version && !(await this.catchUp(m, again.version, db))) return this.load(db);
    if (m.version !== again.version || sameCounts(m, again)) return m;
    this.log?.warn({ version: m.version, model: m.counts, store: again }, 'the store changed outside Ripple: rebuilding the impact read model');
    return this.load(db);
  }

  /** Applies the changes logged after the model's version up to `target`; false when the log no longer has them all. */
  private async catchUp(m: ImpactReadModel, target: number, db: Db): Promise<boolean> {
    const { complete, ciIds } = await db.read((tx) => changesSince(tx, m.version, target));
    if (!complete) return false;
    const rows = await db.read((tx) => modelRows(tx, this.classes, ciIds));
    m.replace(rows, ciIds);
    this.recent.push({ from: m.version, to: target, ciIds });
    if (this.recent.length > RECENT_CATCH_UPS) this.recent.shift();
    m.version = target;
    return true;
  }

  private async load(db: Db): Promise<ImpactReadModel> {
    const started = performance.now();
    this.model = undefined;
    this.generation += 1;
    this.remembered.clear();
    this.recent = [];
    const { version } = await this.state(db);
    const rows: ModelRow[] = [];
    for (let page = await this.page(db, ''); page.length; page = await this.page(db, page.at(-1)!.id)) rows.push(...page);
    const m = ImpactReadModel.build(this.classes, rows, version);
    // Writes that landed while the pages were read are in the log after `version`.
    const now = await this.state(db);
    if (now.version > version) await this.catchUp(m, now.version, db);
    this.lastLoad = { ...m.counts, ms: Math.round(performance.now() - started), bytes: m.approximateBytes() };
    this.log?.info({ ...this.lastLoad, version: m.version }, 'impact read model loaded');
    this.model = m;
    return m;
  }

  private page(db: Db, after: string): Promise<ModelRow[]> {
    return db.read((tx) => modelPage(tx, this.classes, after));
  }
}

function sameCounts(m: ImpactReadModel, s: StoreState): boolean {
  return m.counts.cis === s.cis && m.counts.relationships === s.relationships;
}

/** The upstream subgraph from Neo4j itself: the plugin's walk where installed, plain Cypher otherwise. */
export class Neo4jUpstream implements UpstreamSource {
  constructor(
    private readonly db: Db,
    private readonly classes: ClassModel,
  ) {}

  upstream(ids: string[], maxDepth: number): Promise<ImpactGraph> {
    return this.db.read((tx) => upstreamOf(tx, this.classes, ids, maxDepth));
  }

  upstreamIds(ids: string[], maxDepth: number): Promise<Set<string>> {
    return this.db.read((tx) => upstreamIdsOf(tx, this.classes, ids, maxDepth));
  }
}
