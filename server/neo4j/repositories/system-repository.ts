// Owns the Cypher that asks Neo4j about itself and the store as a whole: liveness, versions, whether it is empty.
import type { Tx } from '../db';
import { fields } from './fields';

/** A round trip that proves the database answers queries, for /readyz. */
export async function ping(tx: Tx): Promise<void> {
  await tx.run('RETURN 1');
}

export interface Neo4jComponents {
  neo4jVersion: string;
  neo4jEdition: string;
}

export async function neo4jComponents(tx: Tx): Promise<Neo4jComponents> {
  const r = await tx.run('CALL dbms.components() YIELD versions, edition RETURN versions[0] AS v, edition AS e');
  const f = fields(r.records[0]!.toObject(), 'dbms.components()');
  return { neo4jVersion: f.text('v'), neo4jEdition: f.text('e') };
}

/** How many CIs the store holds; the demo seed only goes into an empty one. */
export async function countCis(tx: Tx): Promise<number> {
  const res = await tx.run('MATCH (n:CI) RETURN count(n) AS n');
  return fields(res.records[0]!.toObject(), 'CI count').number('n');
}
