// Owns the Cypher of CMDB health: the data-quality figures large CMDBs score (completeness per class, stale CIs
// and absent relationships by source, orphans, unowned services, open duplicate conflicts), each with the ids of
// the CIs behind it so a person can go and fix them.
import neo4j from 'neo4j-driver';
import type { Tx } from '../db';
import { fields } from './fields';

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
  return res.records.map((r) => {
    const f = fields(r.toObject(), 'completeness figure');
    return { key: `${f.text('className')}.${f.text('attribute')}`, className: f.text('className'), attribute: f.text('attribute'), total: f.number('total'), count: f.number('count'), ciIds: f.texts('ciIds') };
  });
}

export async function staleBySource(tx: Tx): Promise<HealthFigure[]> {
  const res = await tx.run(
    // Credited to the source whose run flagged the CI (the last of its sources to stop reporting it).
    `MATCH (n:CI) WHERE n.stale = true
     RETURN coalesce(n.staleBy, 'unknown') AS key, count(n) AS count, collect(n.id)[0..$sample] AS ciIds ORDER BY count DESC`,
    { sample: neo4j.int(SAMPLE) },
  );
  return res.records.map(figureFrom);
}

export async function absentBySource(tx: Tx): Promise<HealthFigure[]> {
  const res = await tx.run(
    `MATCH (a:CI)-[r]->(:CI) WHERE r.absent = true
     RETURN coalesce(r.absentBy, 'unknown') AS key, count(r) AS count, collect(DISTINCT a.id)[0..$sample] AS ciIds ORDER BY count DESC`,
    { sample: neo4j.int(SAMPLE) },
  );
  return res.records.map(figureFrom);
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
  const r = fields(res.records[0]!.toObject(), 'orphans and unowned services');
  return {
    total: r.number('total'),
    orphans: { key: 'orphans', count: r.number('orphans'), ciIds: r.texts('orphanIds') },
    unownedServices: { key: 'unownedServices', count: r.number('unowned'), ciIds: r.texts('unownedIds') },
  };
}

export async function openDuplicateConflicts(tx: Tx): Promise<{ key: string; source: string; ciIds: string[]; lastSeen: string }[]> {
  const res = await tx.run(
    `MATCH (d:DuplicateConflict {status: 'OPEN'})
     RETURN d.key AS key, d.source AS source, d.ciIds AS ciIds, toString(d.lastSeen) AS lastSeen ORDER BY d.lastSeen DESC LIMIT 200`,
  );
  return res.records.map((r) => {
    const f = fields(r.toObject(), 'duplicate conflict');
    return { key: f.text('key'), source: f.text('source'), ciIds: f.texts('ciIds'), lastSeen: f.instant('lastSeen') };
  });
}

/** A health figure row: the group's key, how many, and a sample of the CIs. */
function figureFrom(r: { toObject(): object }): HealthFigure {
  const f = fields(r.toObject(), 'health figure');
  return { key: f.text('key'), count: f.number('count'), ciIds: f.texts('ciIds') };
}
