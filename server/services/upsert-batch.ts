// Owns the bulk upsert of a discovery batch: teams, CIs and relationships from one source in one transaction,
// with identification by the class model's rules (scoped rules within their parent), reconciliation by source
// precedence, and an outcome per item. A rejected item is reported and the rest of the batch still commits.
// `run` lists the stages in order; each lives in upsert-batch/ and works on the one BatchContext.
import type { ClassModel } from '../domain/class-model/types';
import { checkSourceName } from '../domain/ci/source-name';
import { ValidationError } from '../errors';
import { metrics } from '../metrics';
import type { Db, Tx } from '../neo4j/db';
import { IdentKeyTaken, writeHistory } from '../neo4j/repositories/ci-writes';
import { lockRun, markSeen, runById, type RelKey } from '../neo4j/repositories/discovery-repository';
import { markFresh, markPresent } from '../neo4j/repositories/discovery-states';
import { recordDiscoveryStates } from './discovery-history';
import { newContext, type BatchContext } from './upsert-batch/context';
import { identifyInWaves, lookUpNamedEnds, prepareItems } from './upsert-batch/items';
import { applyOwners, resolveOwnerTeams, warnUnknownOwners, writeTeams } from './upsert-batch/owners';
import { identifiedRejected } from './upsert-batch/rejected';
import { applyRelationships, checkRelationshipClasses, resolveRelationships } from './upsert-batch/relationships';
import type { OutcomeStatus, UpsertBatchInput, UpsertBatchResult } from './upsert-batch/types';

export * from './upsert-batch/types';

export async function upsertBatch(
  db: Db,
  model: ClassModel,
  input: UpsertBatchInput,
  actor: string,
  maxBatch: number,
): Promise<UpsertBatchResult> {
  const size = (input.items?.length ?? 0) + (input.relationships?.length ?? 0) + (input.teams?.length ?? 0);
  if (size > maxBatch) {
    throw new ValidationError('input', `the batch has ${size} entries; the limit is ${maxBatch} (RIPPLE_MAX_BATCH): split it`);
  }
  checkSourceName(input.source);
  const work = async (tx: Tx) => run(tx, model, input, actor);
  if (input.dryRun) return db.read(work);
  // A concurrent writer can create the same CI between our identification and our write; its committed key
  // then refuses ours (IdentKeyTaken) and the batch is identified again, finding that CI this time.
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.write(work);
    } catch (e) {
      if (!(e instanceof IdentKeyTaken) || attempt >= 5) throw e;
    }
  }
}

// The stages in order. Each is timed (ripple_upsert_stage_seconds), so a slow load says where its time goes.
const STAGES: readonly (readonly [string, (ctx: BatchContext) => unknown])[] = [
  ['checkDiscoveryRun', checkDiscoveryRun],
  ['writeTeams', writeTeams],
  ['resolveOwnerTeams', resolveOwnerTeams],
  ['prepareItems', prepareItems],
  ['lookUpNamedEnds', lookUpNamedEnds],
  ['identifyInWaves', identifyInWaves],
  ['warnUnknownOwners', warnUnknownOwners],
  ['applyOwners', applyOwners],
  ['resolveRelationships', resolveRelationships],
  ['checkRelationshipClasses', checkRelationshipClasses],
  ['applyRelationships', applyRelationships],
  ['recordBatch', recordBatch],
];

async function run(tx: Tx, model: ClassModel, input: UpsertBatchInput, actor: string): Promise<UpsertBatchResult> {
  const ctx = newContext(tx, model, input, actor);
  for (const [stage, fn] of STAGES) {
    const done = metrics.upsertStageSeconds.startTimer({ stage });
    await fn(ctx);
    done();
  }
  return result(ctx);
}

/** A batch that names a discovery run must belong to that run, and the run must still be open. */
async function checkDiscoveryRun(ctx: BatchContext): Promise<void> {
  const { runId } = ctx.input;
  if (!runId) return;
  checkRunStatus(runId, ctx.input.source, await runById(ctx.tx, runId));
}

function checkRunStatus(runId: string, source: string, run: { status: string; source: string } | undefined): void {
  if (!run) throw new ValidationError('runId', `no discovery run ${runId}`);
  if (run.status !== 'RUNNING') throw new ValidationError('runId', `run ${runId} is ${run.status}, not RUNNING`);
  if (run.source !== source) throw new ValidationError('runId', `run ${runId} belongs to source "${run.source}", not "${source}"`);
}

/**
 * What the batch named counts as reported by its source (and seen by its run): a stale CI or absent relationship
 * coming back is a change too. Then one History entry per changed CI.
 */
async function recordBatch(ctx: BatchContext): Promise<void> {
  if (ctx.dry) return;
  const { runId, source } = ctx.input;
  // The run is checked again under its lock: a completion that began after the first check either sees this
  // batch's sightings (it waits for our commit) or has finished, and then the whole batch is refused.
  const run = runId ? await lockRun(ctx.tx, runId) : undefined;
  if (runId) checkRunStatus(runId, source, run);
  const { cis, rels } = reported(ctx);
  // A rejected item still says its CI exists (upsert-batch/rejected.ts).
  const ciIds = [...new Set([...cis, ...(await identifiedRejected(ctx))])];
  const seen = await markSeen(ctx.tx, source, runId ? { id: runId, scope: run!.scope } : undefined, ciIds, rels);
  recordDiscoveryStates(ctx.changes, { fresh: await markFresh(ctx.tx, seen.cis), present: await markPresent(ctx.tx, seen.rels) });
  await writeHistory(ctx.tx, ctx.changes, ctx.meta);
}

/**
 * The CIs and relationships the batch reports. Outside a run only what some run already tracks gets a sighting,
 * and nothing can track a CI created in this transaction (its id is new) or a relationship from or to one, so a
 * load without runs leaves those out instead of looking each one up.
 */
function reported(ctx: BatchContext): { cis: string[]; rels: RelKey[] } {
  const created = new Set(ctx.input.runId ? [] : ctx.outcomes.filter((o) => o.status === 'CREATED').map((o) => o.id));
  return {
    cis: ctx.outcomes.filter((o) => o.status !== 'REJECTED' && o.id && !created.has(o.id)).map((o) => o.id!),
    rels: ctx.relWrites
      .filter((w) => ctx.relOutcomes[w.index]!.status !== 'REJECTED' && !created.has(w.from) && !created.has(w.to))
      .map((w) => ({ from: w.from, to: w.to, type: w.type })),
  };
}

function result(ctx: BatchContext): UpsertBatchResult {
  const counts: Record<OutcomeStatus, number> = { CREATED: 0, UPDATED: 0, UNCHANGED: 0, REJECTED: 0 };
  for (const o of ctx.outcomes) counts[o.status] += 1;
  return { dryRun: ctx.dry, items: ctx.outcomes, relationships: ctx.relOutcomes, counts };
}
