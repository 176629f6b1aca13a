// Owns the reads that fill the impact read model (server/domain/impact/read-model.ts): every CI with the fields
// propagation reads, its owners and its outgoing impacting relationships, in pages by id (so no transaction holds
// the whole estate), and the same rows for the CIs a change log entry names.
import neo4j from 'neo4j-driver';
import type { ClassModel } from '../../domain/class-model/types';
import type { ModelRow } from '../../domain/impact/read-model';
import type { Tx } from '../db';
import { typePattern } from './graph-repository';

/** CIs per page while the whole model loads: about 10 MB of rows, well under a transaction's memory limit. */
export const LOAD_PAGE = 20_000;

type RawRow = [string, string, string, number | null, string | null, boolean | null, string | null, boolean, string[], [string, string, boolean | null][]];

// A list per row rather than a map: Bolt encodes a map's keys on every row.
const rowOf = (pattern: string) => `[a.id, a.name, a.class, a.criticality, a.environment, a.stale, a.redundancy, a.lifecycle = 'retired',
  [(a)-[:OWNED_BY]->(t:Team) | t.name],
  [(a)-[r:${pattern}]->(b:CI) | [b.id, type(r), r.absent]]] AS row`;

function toModelRow([id, name, className, criticality, environment, stale, redundancy, retired, owners, out]: RawRow): ModelRow {
  return {
    id,
    name,
    className,
    criticality,
    environment,
    stale: stale === true,
    redundancy,
    retired,
    owners,
    out: out.map(([to, type, absent]) => ({ to, type, absent: absent === true })),
  };
}

/** One page of the whole estate: the CIs whose id sorts after `after` (the unique index keeps them in order). */
export async function modelPage(tx: Tx, model: ClassModel, after: string, limit = LOAD_PAGE): Promise<ModelRow[]> {
  const pattern = typePattern(model, model.impactingTypes());
  const res = await tx.run(`MATCH (a:CI) WHERE a.id > $after WITH a ORDER BY a.id LIMIT $limit RETURN ${rowOf(pattern)}`, {
    after,
    limit: neo4j.int(limit),
  });
  return res.records.map((r) => toModelRow(r.get('row') as RawRow));
}

/** The rows of these CIs, for those that exist. */
export async function modelRows(tx: Tx, model: ClassModel, ids: readonly string[]): Promise<ModelRow[]> {
  if (!ids.length) return [];
  const pattern = typePattern(model, model.impactingTypes());
  const res = await tx.run(`UNWIND $ids AS id MATCH (a:CI {id: id}) RETURN ${rowOf(pattern)}`, { ids: [...ids] });
  return res.records.map((r) => toModelRow(r.get('row') as RawRow));
}
