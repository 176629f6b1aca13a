// Owns the Cypher of discovery runs: the run records, marking what a run saw (a per-source property holding the
// last run id, so an unchanged item costs one property write and no history), and on completion marking what
// the source no longer reports as stale (CIs) or absent (relationships). Nothing is deleted.
import { createHash } from 'node:crypto';
import type { Tx } from '../db';
import { REOPEN_INTERVAL } from './ci-writes';
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

/** A relationship by its ends and type, as discovery state changes report it. */
export interface RelKey {
  from: string;
  to: string;
  type: string;
}

/**
 * Marks what a batch named as seen by its run. Returns the CIs that were stale and the relationships that were
 * absent until now, so the caller can record that they came back.
 */
export async function markSeen(tx: Tx, source: string, runId: string, ciIds: string[], rels: RelKey[]): Promise<{ fresh: string[]; present: RelKey[] }> {
  const key = seenKey(source);
  let fresh: string[] = [];
  let present: RelKey[] = [];
  if (ciIds.length) {
    const res = await tx.run(
      `UNWIND $ids AS id MATCH (n:CI {id: id})
       WITH n, coalesce(n.stale, false) AS was
       SET n[$key] = $runId, n.stale = false REMOVE n.staleSince
       WITH n WHERE was RETURN collect(n.id) AS fresh`,
      { ids: ciIds, key, runId },
    );
    fresh = (res.records[0]?.get('fresh') as string[] | undefined) ?? [];
  }
  if (rels.length) {
    const res = await tx.run(
      // Both ends by id first (hints): expanding from the target would walk a dense node's relationships per row.
      `UNWIND $rels AS rel
       MATCH (a:CI {id: rel.from}), (b:CI {id: rel.to})
       USING INDEX a:CI(id) USING INDEX b:CI(id)
       MATCH (a)-[r]->(b) WHERE type(r) = rel.type
       WITH rel, r, coalesce(r.absent, false) AS was
       SET ${REOPEN_INTERVAL}
       SET r[$key] = $runId, r.absent = false
       WITH rel WHERE was RETURN collect(rel) AS present`,
      { rels, key, runId },
    );
    present = (res.records[0]?.get('present') as RelKey[] | undefined) ?? [];
  }
  return { fresh, present };
}

/**
 * Completes a run: CIs and relationships this source reported before but not in this run become stale / absent
 * (returned, for the audit trail); ones it reported again were un-marked as they were seen.
 */
export async function completeRun(tx: Tx, run: { id: string; source: string }): Promise<{ stale: string[]; absent: RelKey[] }> {
  const key = seenKey(run.source);
  const cis = await tx.run(
    `MATCH (n:CI) WHERE n[$key] IS NOT NULL AND n[$key] <> $runId AND coalesce(n.stale, false) = false
     SET n.stale = true, n.staleSince = datetime()
     RETURN collect(n.id) AS ids`,
    { key, runId: run.id },
  );
  const rels = await tx.run(
    `MATCH (a:CI)-[r]->(b:CI) WHERE r[$key] IS NOT NULL AND r[$key] <> $runId AND coalesce(r.absent, false) = false
     SET r.absent = true, r.absentSince = datetime()
     RETURN collect({from: a.id, to: b.id, type: type(r)}) AS rels`,
    { key, runId: run.id },
  );
  const stale = cis.records[0]!.get('ids') as string[];
  const absent = rels.records[0]!.get('rels') as RelKey[];
  await tx.run(
    `MATCH (r:DiscoveryRun {id: $id}) SET r.status = 'COMPLETED', r.completedAt = datetime(), r.markedStale = $stale, r.markedAbsent = $absent`,
    { id: run.id, stale: stale.length, absent: absent.length },
  );
  return { stale, absent };
}

export async function abandonRun(tx: Tx, id: string): Promise<void> {
  await tx.run(`MATCH (r:DiscoveryRun {id: $id}) SET r.status = 'ABANDONED', r.completedAt = datetime()`, { id });
}
