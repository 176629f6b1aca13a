// Owns the only writes of a CI's `stale` flag and a relationship's `absent` flag: the four transitions a
// discovery state goes through. Anything that must follow them (history validity intervals, read models) hooks in
// here, in one place. A CI goes stale only when no source that reports it still does (no fresh Sighting left).
import type { Tx } from '../db';
import { REOPEN_INTERVAL } from './ci-writes';
import { fields } from './fields';

/** A relationship by its ends and type, as discovery state changes report it. */
export interface RelKey {
  from: string;
  to: string;
  type: string;
}

/** Who flagged a transition: the source and the run whose completion did it. */
export interface FlaggedBy {
  source: string;
  runId: string;
}

const REL_BY_ENDS = `MATCH (a:CI {id: rel.from}), (b:CI {id: rel.to})
       USING INDEX a:CI(id) USING INDEX b:CI(id)
       MATCH (a)-[r]->(b) WHERE type(r) = rel.type`;

/** Marks stale those of `ids` that no source reports any more; returns the ones that changed. */
export async function markStale(tx: Tx, ids: readonly string[], by: FlaggedBy): Promise<string[]> {
  if (!ids.length) return [];
  const res = await tx.run(
    `UNWIND $ids AS id
     MATCH (n:CI {id: id}) WHERE coalesce(n.stale, false) = false
       AND NOT EXISTS { MATCH (s:Sighting {key: id}) WHERE s.stale = false }
     SET n.stale = true, n.staleSince = datetime(), n.staleBy = $source, n.staleRun = $runId
     RETURN collect(n.id) AS ids`,
    { ids, source: by.source, runId: by.runId },
  );
  return fields(res.records[0]!.toObject(), 'CIs changed').texts('ids');
}

/** Marks absent those of `rels` that no source reports any more; returns the ones that changed. */
export async function markAbsent(tx: Tx, rels: readonly (RelKey & { key: string })[], by: FlaggedBy): Promise<RelKey[]> {
  if (!rels.length) return [];
  const res = await tx.run(
    `UNWIND $rels AS rel
     ${REL_BY_ENDS} AND coalesce(r.absent, false) = false
       AND NOT EXISTS { MATCH (s:Sighting {key: rel.key}) WHERE s.stale = false }
     SET r.absent = true, r.absentSince = datetime(), r.absentBy = $source, r.absentRun = $runId
     RETURN collect({from: rel.from, to: rel.to, type: rel.type}) AS rels`,
    { rels, source: by.source, runId: by.runId },
  );
  return relKeysFrom(res.records[0]!.get('rels'));
}

/** Clears the stale flag of those of `ids` that had it (a source reports them again); returns those. */
export async function markFresh(tx: Tx, ids: readonly string[]): Promise<string[]> {
  if (!ids.length) return [];
  const res = await tx.run(
    `UNWIND $ids AS id
     MATCH (n:CI {id: id}) WHERE n.stale = true
     SET n.stale = false REMOVE n.staleSince, n.staleBy, n.staleRun
     RETURN collect(n.id) AS ids`,
    { ids },
  );
  return fields(res.records[0]!.toObject(), 'CIs changed').texts('ids');
}

/** Clears the absent flag of those of `rels` that had it; returns those. */
export async function markPresent(tx: Tx, rels: readonly RelKey[]): Promise<RelKey[]> {
  if (!rels.length) return [];
  const res = await tx.run(
    `UNWIND $rels AS rel
     ${REL_BY_ENDS} AND r.absent = true
     SET ${REOPEN_INTERVAL}
     SET r.absent = false REMOVE r.absentSince, r.absentBy, r.absentRun
     RETURN collect({from: rel.from, to: rel.to, type: rel.type}) AS rels`,
    { rels },
  );
  return relKeysFrom(res.records[0]!.get('rels'));
}

function relKeysFrom(rows: unknown): RelKey[] {
  return (Array.isArray(rows) ? rows : []).map((row) => {
    const f = fields(row, 'relationship changed');
    return { from: f.text('from'), to: f.text('to'), type: f.text('type') };
  });
}
