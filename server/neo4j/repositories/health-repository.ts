// Owns the Cypher of CMDB health: the data-quality figures large CMDBs score (completeness per class, stale CIs
// and absent relationships by source, orphans, unowned services, open duplicate conflicts), each with the ids of
// the CIs behind it so a person can go and fix them.
import neo4j from 'neo4j-driver';
import type { Tx } from '../db';

export interface HealthFigure {
  key: string;
  count: number;
  ciIds: string[];
}

const SAMPLE = 50;

export async function completeness(tx: Tx, checks: { className: string; attribute: string }[]): Promise<(HealthFigure & { className: string; attribute: string; total: number })[]> {
  const res = await tx.run(
    `UNWIND $checks AS c
     CALL (c) {
       MATCH (n:CI {class: c.className}) WHERE coalesce(n.lifecycle, '') <> 'retired'
       WITH c, n, CASE c.attribute WHEN 'owner' THEN NOT EXISTS { (n)-[:OWNED_BY]->(:Team) } ELSE n[c.attribute] IS NULL END AS missing
       RETURN count(n) AS total, sum(CASE WHEN missing THEN 1 ELSE 0 END) AS count,
              collect(CASE WHEN missing THEN n.id END)[0..$sample] AS ciIds
     }
     WITH c, total, count, ciIds WHERE total > 0
     RETURN c.className AS className, c.attribute AS attribute, total, count, ciIds`,
    { checks, sample: neo4j.int(SAMPLE) },
  );
  return res.records.map((r) => ({
    key: `${r.get('className')}.${r.get('attribute')}`,
    className: r.get('className') as string,
    attribute: r.get('attribute') as string,
    total: r.get('total') as number,
    count: r.get('count') as number,
    ciIds: r.get('ciIds') as string[],
  }));
}

export async function staleBySource(tx: Tx): Promise<HealthFigure[]> {
  const res = await tx.run(
    // Credited to the source whose run flagged the CI (the last of its sources to stop reporting it).
    `MATCH (n:CI) WHERE n.stale = true
     RETURN coalesce(n.staleBy, 'unknown') AS key, count(n) AS count, collect(n.id)[0..$sample] AS ciIds ORDER BY count DESC`,
    { sample: neo4j.int(SAMPLE) },
  );
  return res.records.map((r) => ({ key: r.get('key') as string, count: r.get('count') as number, ciIds: r.get('ciIds') as string[] }));
}

export async function absentBySource(tx: Tx): Promise<HealthFigure[]> {
  const res = await tx.run(
    `MATCH (a:CI)-[r]->(:CI) WHERE r.absent = true
     RETURN coalesce(r.absentBy, 'unknown') AS key, count(r) AS count, collect(DISTINCT a.id)[0..$sample] AS ciIds ORDER BY count DESC`,
    { sample: neo4j.int(SAMPLE) },
  );
  return res.records.map((r) => ({ key: r.get('key') as string, count: r.get('count') as number, ciIds: r.get('ciIds') as string[] }));
}

export async function orphansAndUnowned(tx: Tx): Promise<{ orphans: HealthFigure; unownedServices: HealthFigure; total: number }> {
  const res = await tx.run(
    `CALL () { MATCH (n:CI) WHERE coalesce(n.lifecycle, '') <> 'retired' RETURN count(n) AS total }
     CALL () {
       MATCH (n:CI) WHERE coalesce(n.lifecycle, '') <> 'retired' AND NOT EXISTS { (n)--(:CI) }
       RETURN count(n) AS orphans, collect(n.id)[0..$sample] AS orphanIds
     }
     CALL () {
       MATCH (n:Service) WHERE coalesce(n.lifecycle, '') <> 'retired' AND NOT EXISTS { (n)-[:OWNED_BY]->(:Team) }
       RETURN count(n) AS unowned, collect(n.id)[0..$sample] AS unownedIds
     }
     RETURN total, orphans, orphanIds, unowned, unownedIds`,
    { sample: neo4j.int(SAMPLE) },
  );
  const r = res.records[0]!;
  return {
    total: r.get('total') as number,
    orphans: { key: 'orphans', count: r.get('orphans') as number, ciIds: r.get('orphanIds') as string[] },
    unownedServices: { key: 'unownedServices', count: r.get('unowned') as number, ciIds: r.get('unownedIds') as string[] },
  };
}

export async function openDuplicateConflicts(tx: Tx): Promise<{ key: string; source: string; ciIds: string[]; lastSeen: string }[]> {
  const res = await tx.run(
    `MATCH (d:DuplicateConflict {status: 'OPEN'})
     RETURN d.key AS key, d.source AS source, d.ciIds AS ciIds, toString(d.lastSeen) AS lastSeen ORDER BY d.lastSeen DESC LIMIT 200`,
  );
  return res.records.map((r) => ({ key: r.get('key') as string, source: r.get('source') as string, ciIds: r.get('ciIds') as string[], lastSeen: r.get('lastSeen') as string }));
}
