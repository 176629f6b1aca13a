// Owns the Cypher behind impact analysis: the upstream subgraph of a set of CIs in ONE query (pruning BFS over
// the impacting types, never path enumeration), with every member of each group it reaches (healthy members
// included, or a 3-node cluster that lost one node would look like "1 of 1 lost"; retired members are not
// members any more), and the needs-direction
// subgraph used to rank shared root causes.
import neo4j from 'neo4j-driver';
import type { ClassModel } from '../../domain/class-model/types';
import { tryParseRedundancy } from '../../domain/class-model/validate-attributes';
import type { ImpactEdge, ImpactGraph, ImpactNode } from '../../domain/impact/types';
import type { Tx } from '../db';
import { typePattern } from './graph-repository';

export type RawEdge = [to: string, type: string, absent: boolean | null, toRetired: boolean];
// One row per reached CI, as a list rather than a map: Bolt encodes a map's keys on every row, which cost more
// than the traversal itself on thousands of rows.
export type RawRow = [
  id: string,
  name: string,
  className: string,
  criticality: number | null,
  environment: string | null,
  stale: boolean | null,
  redundancy: string | null,
  retired: boolean,
  owners: string[],
  out: RawEdge[],
];

function toGraph(
  model: ClassModel,
  rows: RawRow[],
  failed: Set<string>,
  keepEdge: (to: string, type: string, toRetired: boolean, inside: Set<string>) => boolean,
): ImpactGraph {
  // Retired CIs serve nothing: they are left out (a failed one is kept, since the user named it).
  const inside = new Set<string>();
  for (const r of rows) if (!r[7] || failed.has(r[0])) inside.add(r[0]);
  const nodes: ImpactNode[] = [];
  const edges: ImpactEdge[] = [];
  for (const [id, name, className, criticality, environment, stale, redundancyText, , owners, out] of rows) {
    if (!inside.has(id)) continue;
    const kind = model.serviceKind(className);
    const node: ImpactNode = { id, name, className, isService: model.isA(className, 'Service'), criticality: criticality ?? 4, stale: stale === true, ownerTeams: owners };
    if (kind) node.serviceKind = kind;
    if (environment) node.environment = environment;
    const redundancy = redundancyText ? tryParseRedundancy(redundancyText) : undefined;
    if (redundancy) node.redundancy = redundancy;
    nodes.push(node);
    for (const [to, type, absent, toRetired] of out) {
      if (keepEdge(to, type, toRetired, inside)) edges.push({ from: id, to, type, absent: absent === true });
    }
  }
  return { nodes, edges, rules: model.impactRules() };
}

// Every CI within `maxDepth` hops of the given ones (themselves included) in one direction, as one pruning
// breadth-first expansion (each CI visited once, never an enumeration of paths), with its impacting edges.
// The start CIs come from UNWIND, not `WHERE f.id IN $ids`: with the IN form, Neo4j 5.26 takes the unique-index
// seek for one row, drops the DISTINCT (even `collect(DISTINCT ...)`) as redundant after the pruning expansion,
// and returns a CI that several start CIs reach once per start CI (twice the rows for two members of a cluster).
const reachQuery = (pattern: string, direction: 'up' | 'down', maxDepth: number) => `
UNWIND $ids AS start MATCH (f:CI {id: start})
MATCH (f)${direction === 'up' ? '<-' : '-'}[:${pattern}*0..${maxDepth}]${direction === 'up' ? '-' : '->'}(a:CI)
WITH DISTINCT a
RETURN [a.id, a.name, a.class, a.criticality, a.environment, a.stale, a.redundancy, a.lifecycle = 'retired',
        [(a)-[:OWNED_BY]->(t:Team) | t.name],
        [(a)-[r:${pattern}]->(b:CI) | [b.id, type(r), r.absent, CASE WHEN type(r) IN $memberTypes THEN b.lifecycle = 'retired' ELSE false END]]] AS row`;

/** The same walk and rows as `reachQuery`, done inside Neo4j by Ripple's plugin (server/neo4j/plugin/RippleReach.java). */
export const REACH_PROCEDURE = 'ripple.reach';
/** The ids `ripple.reach` would return, and nothing else. */
export const REACH_IDS_PROCEDURE = 'ripple.reachIds';

async function reach(tx: Tx, model: ClassModel, ids: string[], direction: 'up' | 'down', maxDepth: number): Promise<RawRow[]> {
  if (tx.procedures.has(REACH_PROCEDURE)) {
    const types = model.impactingTypes();
    const res = await tx.run(`CALL ${REACH_PROCEDURE}($ids, $types, $direction, $maxDepth) YIELD json RETURN json`, {
      ids,
      types,
      direction,
      maxDepth: neo4j.int(maxDepth),
    });
    // JSON texts of 2,048 CIs each: JSON.parse is far cheaper than decoding ~25 Bolt values per CI. The procedure
    // ships with this code (same source, same version), so its rows are not re-checked here.
    return res.records.flatMap((r) => JSON.parse(r.get('json') as string) as RawRow[]);
  }
  const pattern = typePattern(model, model.impactingTypes());
  const res = await tx.run(reachQuery(pattern, direction, maxDepth), { ids, memberTypes: [...model.impactRules().membership] });
  return res.records.map((r) => r.get('row') as RawRow);
}

/**
 * The ids of everything that needs any of `ids`, transitively (themselves included): a superset of what their
 * failure impacts, cheap enough to rule out an overlap before propagating.
 */
export async function upstreamIds(tx: Tx, model: ClassModel, ids: string[], maxDepth: number): Promise<Set<string>> {
  if (tx.procedures.has(REACH_IDS_PROCEDURE)) {
    const res = await tx.run(`CALL ${REACH_IDS_PROCEDURE}($ids, $types, 'up', $maxDepth) YIELD ids RETURN ids`, {
      ids,
      types: model.impactingTypes(),
      maxDepth: neo4j.int(maxDepth),
    });
    return new Set((res.records[0]?.get('ids') as string[] | undefined) ?? []);
  }
  const pattern = typePattern(model, model.impactingTypes());
  const res = await tx.run(
    `UNWIND $ids AS start MATCH (f:CI {id: start})
     MATCH (f)<-[:${pattern}*0..${maxDepth}]-(a:CI)
     RETURN collect(DISTINCT a.id) AS ids`,
    { ids },
  );
  return new Set((res.records[0]?.get('ids') as string[] | undefined) ?? []);
}

/**
 * Everything that needs any of `ids`, transitively, up to `maxDepth` hops, plus the members of the groups among
 * them. Retired CIs are left out: they no longer serve anything.
 */
export async function upstreamOf(tx: Tx, model: ClassModel, ids: string[], maxDepth: number): Promise<ImpactGraph> {
  return upstreamGraph(model, await reach(tx, model, ids, 'up', maxDepth), ids);
}

/** The impact graph of what needs `ids`, from reached rows however they were read (now, or as of an instant). */
export function upstreamGraph(model: ClassModel, rows: RawRow[], ids: string[]): ImpactGraph {
  // Edges among reached CIs carry impact; HAS_MEMBER edges to members outside the set still count the group's
  // healthy members (retired members are not members any more).
  const { membership } = model.impactRules();
  return toGraph(model, rows, new Set(ids), (to, type, toRetired, inside) => inside.has(to) || (membership.has(type) && !toRetired));
}

/** What the given CIs need, transitively: the candidates a shared root cause is looked for among. */
export async function downstreamOf(tx: Tx, model: ClassModel, ids: string[], maxDepth: number): Promise<ImpactGraph> {
  const rows = await reach(tx, model, ids, 'down', maxDepth);
  return toGraph(model, rows, new Set(ids), (to, _type, _retired, inside) => inside.has(to));
}
