// Owns the reads a discovery batch makes beside identification: which teams its owners name, and, for a dry run,
// which owners and relationships would change. Writes live in ci-writes.ts.
import type { Tx } from '../db';
import { fields } from './fields';

/** Ids of the teams that exist under these names, by name; names with no team are absent. */
export async function teamIdsByName(tx: Tx, names: readonly string[]): Promise<Map<string, string>> {
  if (!names.length) return new Map();
  const res = await tx.run('UNWIND $names AS n MATCH (t:Team {name: n}) RETURN t.name AS name, t.id AS id', { names });
  return new Map(
    res.records.map((r) => {
      const f = fields(r.toObject(), 'team');
      return [f.text('name'), f.text('id')];
    }),
  );
}

/** Of these CI-to-team pairs, the CIs that exist and are not yet owned by that team. */
export async function ownersThatWouldChange(tx: Tx, rows: readonly { ciId: string; teamId: string }[]): Promise<Set<string>> {
  const res = await tx.run(
    'UNWIND $rows AS row MATCH (n:CI {id: row.ciId}) WHERE NOT (n)-[:OWNED_BY]->(:Team {id: row.teamId}) RETURN row.ciId AS id',
    { rows },
  );
  return new Set(res.records.map((r) => fields(r.toObject(), 'owned CI').text('id')));
}

/** For each relationship (by its index `i`), whether one of its type already joins the two CIs. */
export async function relationshipsExist(
  tx: Tx,
  rels: readonly { i: number; from: string; to: string; type: string }[],
): Promise<Map<number, boolean>> {
  if (!rels.length) return new Map();
  const res = await tx.run(
    `UNWIND $rels AS rel
     OPTIONAL CALL (rel) {
       MATCH (a:CI {id: rel.from}), (b:CI {id: rel.to}) USING INDEX a:CI(id) USING INDEX b:CI(id)
       MATCH (a)-[r]->(b) WHERE type(r) = rel.type
       RETURN count(r) > 0 AS found
     }
     RETURN rel.i AS i, coalesce(found, false) AS exists`,
    { rels },
  );
  return new Map(
    res.records.map((rec) => {
      const f = fields(rec.toObject(), 'relationship');
      return [f.number('i'), f.flag('exists')];
    }),
  );
}
