// Owns the Cypher of discovery runs: the run records, the per-(source, CI) and per-(source, relationship)
// Sightings that say which run last reported what, and on completion finding, through an index, what the source
// no longer reports. Nothing is deleted.
import { relSightingKey } from '../../domain/ci/sighting';
import type { Tx } from '../db';
import { markAbsent, markStale, type RelKey } from './discovery-states';
import { toIso } from './rows';
import { fields } from './fields';

export type { RelKey };

export interface RunRecord {
  id: string;
  source: string;
  /** The part of the source the run covers ('' for all of what the source reported without a scope). */
  scope: string;
  status: 'RUNNING' | 'COMPLETED' | 'ABANDONED';
  startedAt: string;
  completedAt: string | null;
  startedBy: string;
  markedStale: number;
  markedAbsent: number;
}

export interface LockedRun {
  status: string;
  source: string;
  scope: string;
}

/** Locks the run for this transaction and returns it as committed by anyone before us. */
export async function lockRun(tx: Tx, id: string): Promise<LockedRun | undefined> {
  const res = await tx.run(
    `MATCH (r:DiscoveryRun {id: $id}) SET r.lockedAt = datetime()
     RETURN r.status AS status, r.source AS source, coalesce(r.scope, '') AS scope`,
    { id },
  );
  if (!res.records[0]) return undefined;
  const f = fields(res.records[0].toObject(), `discovery run ${id}`);
  return { status: f.text('status'), source: f.text('source'), scope: f.text('scope') };
}

export async function createRun(tx: Tx, r: { id: string; source: string; scope: string; startedBy: string }): Promise<void> {
  await tx.run(
    `CREATE (:DiscoveryRun {id: $id, source: $source, scope: $scope, status: 'RUNNING', startedAt: datetime(), startedBy: $startedBy,
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
    scope: String(p.scope ?? ''),
    status: p.status as RunRecord['status'],
    startedAt: toIso(p.startedAt),
    completedAt: p.completedAt ? toIso(p.completedAt) : null,
    startedBy: String(p.startedBy),
    markedStale: Number(p.markedStale ?? 0),
    markedAbsent: Number(p.markedAbsent ?? 0),
  };
}

/**
 * Records that `source` reports these CIs and relationships (in `run`, when given): its Sighting of each becomes
 * fresh and remembers the latest run. Only a sighting that is new, stale or from an earlier run is written, and
 * never the CI itself, so an unchanged re-send stays cheap. Outside a run a source gets a sighting only of what
 * some run already tracks (another source's run could otherwise mark it stale while this source reports it), so
 * a load without runs writes none. Returns what had no fresh sighting before (the caller clears a CI's stale or
 * a relationship's absent flag for those).
 */
export async function markSeen(tx: Tx, source: string, run: SeenIn | undefined, ciIds: readonly string[], rels: readonly RelKey[]): Promise<{ cis: string[]; rels: RelKey[] }> {
  const cis = await touchSightings(tx, source, run, 'ci', ciIds.map((id) => ({ key: id })));
  const relRows = rels.map((r) => ({ key: relSightingKey(r), ...r }));
  const touched = new Set(await touchSightings(tx, source, run, 'rel', relRows));
  return { cis, rels: relRows.filter((r) => touched.has(r.key)).map(({ from, to, type }) => ({ from, to, type })) };
}

/** The run a batch belongs to, when it does: its sightings take the run's id and scope. */
export interface SeenIn {
  id: string;
  scope: string;
}

// Outside a run, only a key some source has a sighting of can need one, and only when this source's is missing or
// stale: one index seek per row finds those, so a re-send without runs writes nothing and costs one read.
const TRACKED_ELSEWHERE = `
UNWIND $rows AS row
MATCH (o:Sighting {key: row.key})
WITH row, collect(o) AS os
WHERE none(o IN os WHERE o.source = $source AND o.stale = false)
RETURN collect(row.key) AS keys`;

async function trackedElsewhere(tx: Tx, source: string, keys: readonly string[]): Promise<Set<string>> {
  if (!keys.length) return new Set();
  const res = await tx.run(TRACKED_ELSEWHERE, { rows: keys.map((key) => ({ key })), source });
  return new Set(fields(res.records[0]!.toObject(), 'sightings tracked elsewhere').texts('keys'));
}

async function touchSightings(tx: Tx, source: string, run: SeenIn | undefined, kind: 'ci' | 'rel', all: readonly ({ key: string } & Partial<RelKey>)[]): Promise<string[]> {
  const tracked = run ? undefined : await trackedElsewhere(tx, source, all.map((r) => r.key));
  const rows = tracked ? all.filter((r) => tracked.has(r.key)) : all;
  if (!rows.length) return [];
  const res = await tx.run(
    `UNWIND $rows AS row
     OPTIONAL MATCH (s:Sighting {sid: $source + '|' + row.key})
     WITH row, s WHERE s.stale OR CASE WHEN $runId IS NULL
       THEN s IS NULL AND EXISTS { MATCH (o:Sighting {key: row.key}) }
       ELSE s IS NULL OR s.lastRun < $runId END
     MERGE (t:Sighting {sid: $source + '|' + row.key})
       ON CREATE SET t.source = $source, t.kind = $kind, t.key = row.key, t.from = row.from, t.to = row.to, t.type = row.type,
                     t.lastRun = '', t.scope = '', t.firstSeenAt = datetime()
     WITH row, t, coalesce(t.stale, true) AS wasStale, $runId IS NOT NULL AND t.lastRun < $runId AS newer
     SET t.stale = false, t.seenAt = datetime(),
         t.lastRun = CASE WHEN newer THEN $runId ELSE t.lastRun END,
         t.scope = CASE WHEN newer THEN $scope ELSE t.scope END
     RETURN collect(CASE WHEN wasStale THEN row.key END) AS keys`,
    { rows, source, runId: run?.id ?? null, scope: run?.scope ?? '', kind },
  );
  return res.records[0]!.get('keys') as string[];
}

/**
 * Completes a run: the sightings of its source and scope last reported by an earlier run (unscoped: also
 * outside any run) become stale, and so do the CIs (absent: relationships) that no other source still reports.
 * Returns those CIs and relationships, for the audit trail. Run ids sort by start, so a run that started later and has already seen
 * something keeps it fresh when an earlier run completes after it.
 */
export async function completeRun(tx: Tx, run: { id: string; source: string; scope: string }): Promise<{ stale: string[]; absent: RelKey[] }> {
  const unseen = await tx.run(
    `MATCH (s:Sighting) WHERE s.source = $source AND s.scope = $scope AND s.stale = false AND s.lastRun < $runId
     SET s.stale = true, s.staleRun = $runId
     RETURN s.kind AS kind, s.key AS key, s.from AS from, s.to AS to, s.type AS type`,
    { source: run.source, scope: run.scope, runId: run.id },
  );
  const ciKeys: string[] = [];
  const relKeys: (RelKey & { key: string })[] = [];
  for (const r of unseen.records) {
    const f = fields(r.toObject(), `sighting missed by run ${run.id}`);
    if (f.text('kind') === 'ci') ciKeys.push(f.text('key'));
    else relKeys.push({ key: f.text('key'), from: f.text('from'), to: f.text('to'), type: f.text('type') });
  }
  const by = { source: run.source, runId: run.id };
  const stale = await markStale(tx, ciKeys, by);
  const absent = await markAbsent(tx, relKeys, by);
  await tx.run(
    `MATCH (r:DiscoveryRun {id: $id}) SET r.status = 'COMPLETED', r.completedAt = datetime(), r.markedStale = $stale, r.markedAbsent = $absent`,
    { id: run.id, stale: stale.length, absent: absent.length },
  );
  return { stale, absent };
}

export async function abandonRun(tx: Tx, id: string): Promise<void> {
  await tx.run(`MATCH (r:DiscoveryRun {id: $id}) SET r.status = 'ABANDONED', r.completedAt = datetime()`, { id });
}
