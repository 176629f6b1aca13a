// Owns discovery runs and CMDB health: a run is started for a source, batches name it, and only completing it
// marks what the source no longer reports as stale or absent (an abandoned or unfinished run marks nothing).
import type { ClassModel } from '../domain/class-model/types';
import { mintId } from '../domain/ci/identity';
import { checkRunScope, checkSourceName } from '../domain/ci/source-name';
import { NotFoundError, ValidationError } from '../errors';
import type { Db } from '../neo4j/db';
import { ChangeSet, closeAbsentIntervals, writeHistory } from '../neo4j/repositories/ci-writes';
import { recordDiscoveryStates } from './discovery-history';
import { abandonRun, completeRun, createRun, lockRun, runById, type RunRecord } from '../neo4j/repositories/discovery-repository';
import { absentBySource, completeness, openDuplicateConflicts, orphansAndUnowned, staleBySource } from '../neo4j/repositories/health-repository';

export class DiscoveryService {
  constructor(
    private readonly db: Db,
    private readonly model: ClassModel,
  ) {}

  async start(source: string, actor: string, scope = ''): Promise<RunRecord> {
    checkSourceName(source);
    checkRunScope(scope);
    const id = mintId('run');
    await this.db.write((tx) => createRun(tx, { id, source, scope, startedBy: actor }));
    return this.get(id);
  }

  async get(id: string): Promise<RunRecord> {
    const r = await this.db.read((tx) => runById(tx, id));
    if (!r) throw new NotFoundError('discovery run', id);
    return r;
  }

  /** The status is checked under the run's write lock, so two callers racing to finish a run cannot both win. */
  async complete(id: string): Promise<RunRecord> {
    const run = await this.get(id);
    await this.db.write(async (tx) => {
      const status = (await lockRun(tx, id))?.status;
      if (status !== 'RUNNING') throw new ValidationError('id', `run ${id} is ${status}`);
      const marked = await completeRun(tx, run);
      await closeAbsentIntervals(tx, marked.absent);
      await writeHistory(tx, recordDiscoveryStates(new ChangeSet(), marked), { actor: run.startedBy, source: run.source, at: new Date().toISOString() });
    });
    return this.get(id);
  }

  async abandon(id: string): Promise<RunRecord> {
    await this.get(id);
    await this.db.write(async (tx) => {
      const status = (await lockRun(tx, id))?.status;
      if (status !== 'RUNNING') throw new ValidationError('id', `run ${id} is ${status}`);
      await abandonRun(tx, id);
    });
    return this.get(id);
  }

  /** Data quality as large CMDBs score it; every figure carries (a sample of) the CIs behind it. */
  async health() {
    // Required attributes per concrete class, plus what every CI should have: an owner, environment, criticality.
    const checks: { className: string; attribute: string }[] = [];
    for (const c of this.model.concreteClasses()) {
      for (const a of this.model.classAttributesOf(c)) if (a.required) checks.push({ className: c, attribute: a.name });
      for (const a of ['owner', 'environment', 'criticality']) checks.push({ className: c, attribute: a });
    }
    return this.db.read(async (tx) => {
      const comp = await completeness(tx, checks);
      const stale = await staleBySource(tx);
      const absent = await absentBySource(tx);
      const o = await orphansAndUnowned(tx);
      const dups = await openDuplicateConflicts(tx);
      const filled = comp.reduce((s, c) => s + (c.total - c.count), 0);
      const expected = comp.reduce((s, c) => s + c.total, 0);
      return {
        totalCis: o.total,
        completenessScore: expected ? filled / expected : 1,
        completeness: comp.filter((c) => c.count > 0).sort((a, b) => b.count - a.count),
        staleBySource: stale,
        absentBySource: absent,
        orphans: o.orphans,
        unownedServices: o.unownedServices,
        duplicateConflicts: dups,
      };
    });
  }
}
