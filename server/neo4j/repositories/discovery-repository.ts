// Owns the Cypher of discovery runs: the run records, marking what a run saw (a per-source property holding the
// last run id, so an unchanged item costs one property write and no history), and on completion marking what
// the source no longer reports as stale (CIs) or absent (relationships). Nothing is deleted.
import { createHash } from 'node:crypto';
import type { Tx } from '../db';
import { toIso } from './rows';

export interface RunRecord {
  id: string;
  source: string;
  status: 'RUNNING' | 'COMPLETED' | 'ABANDONED';
  startedAt: string;
  completedAt: string | null;
  startedBy: string;
  markedStale: number;
  markedAbsent: number;
}

/** The property that remembers the last run of `source` to report a CI or relationship. */
export function seenKey(source: string): string {
  // Readable, and still distinct for sources that differ only in punctuation (k8s-x, k8s.x, k8s_x).
  return `seen_${source.replace(/[^A-Za-z0-9_]/g, '_')}_${createHash('sha1').update(source).digest('hex').slice(0, 8)}`;
}

/** Locks the run for this transaction and returns its status as committed by anyone before us. */
export async function lockRun(tx: Tx, id: string): Promise<string | undefined> {
  const res = await tx.run('MATCH (r:DiscoveryRun {id: $id}) SET r.lockedAt = datetime() RETURN r.status AS status', { id });
  return res.records[0]?.get('status') as string | undefined;
}

export async function createRun(tx: Tx, r: { id: string; source: string; startedBy: string }): Promise<void> {
  await tx.run(
    `CREATE (:DiscoveryRun {id: $id, source: $source, status: 'RUNNING', startedAt: datetime(), startedBy: $startedBy,
                            markedStale: 0, markedAbsent: 0})`,
    r,
  );
}

export async function runById(tx: Tx, id: string): Promise<RunRecord | undefined> {
  const res = await tx.run('MATCH (r:DiscoveryRun {id: $id}) RETURN properties(r) AS r', { id });
  const p = res.records[0]?.get('r') as Record<string, unknown> | undefined;
  if (!p) return undefined;
  return {
    id: String(p.id),
    source: String(p.source),
    status: p.status as RunRecord['status'],
    startedAt: toIso(p.startedAt),
    completedAt: p.completedAt ? toIso(p.completedAt) : null,
    startedBy: String(p.startedBy),
    markedStale: Number(p.markedStale ?? 0),
    markedAbsent: Number(p.markedAbsent ?? 0),
  };
}

export async function markSeen(tx: Tx, source: string, runId: string, ciIds: string[], rels: { from: string; to: string; type: string }[]): Promise<void> {
  const key = seenKey(source);
  if (ciIds.length) {
    await tx.run(
      `UNWIND $ids AS id MATCH (n:CI {id: id})
       SET n[$key] = $runId, n.stale = false REMOVE n.staleSince`,
      { ids: ciIds, key, runId },
    );
  }
  if (rels.length) {
    await tx.run(
      // Both ends by id first (hints): expanding from the target would walk a dense node's relationships per row.
      `UNWIND $rels AS rel
       MATCH (a:CI {id: rel.from}), (b:CI {id: rel.to})
       USING INDEX a:CI(id) USING INDEX b:CI(id)
       MATCH (a)-[r]->(b) WHERE type(r) = rel.type
       SET r[$key] = $runId, r.absent = false`,
      { rels, key, runId },
    );
  }
}

/**
 * Completes a run: CIs and relationships this source reported before but not in this run become stale / absent;
 * ones it reported again were un-marked as they were seen.
 */
export async function completeRun(tx: Tx, run: { id: string; source: string }): Promise<{ stale: number; absent: number }> {
  const key = seenKey(run.source);
  const cis = await tx.run(
    `MATCH (n:CI) WHERE n[$key] IS NOT NULL AND n[$key] <> $runId AND coalesce(n.stale, false) = false
     SET n.stale = true, n.staleSince = datetime()
     RETURN count(n) AS c`,
    { key, runId: run.id },
  );
  const rels = await tx.run(
    `MATCH (:CI)-[r]->(:CI) WHERE r[$key] IS NOT NULL AND r[$key] <> $runId AND coalesce(r.absent, false) = false
     SET r.absent = true, r.absentSince = datetime()
     RETURN count(r) AS c`,
    { key, runId: run.id },
  );
  const stale = cis.records[0]!.get('c') as number;
  const absent = rels.records[0]!.get('c') as number;
  await tx.run(
    `MATCH (r:DiscoveryRun {id: $id}) SET r.status = 'COMPLETED', r.completedAt = datetime(), r.markedStale = $stale, r.markedAbsent = $absent`,
    { id: run.id, stale, absent },
  );
  return { stale, absent };
}

export async function abandonRun(tx: Tx, id: string): Promise<void> {
  await tx.run(`MATCH (r:DiscoveryRun {id: $id}) SET r.status = 'ABANDONED', r.completedAt = datetime()`, { id });
}
