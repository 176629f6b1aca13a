// Owns traversal Cypher: bounded dependency/dependent subgraphs and shortest dependency paths. Reachability
// uses Neo4j's pruning BFS var-length expand (collects nodes with their depth, never enumerates paths), so a
// graph with millions of distinct paths costs what its reachable nodes cost.
import neo4j from 'neo4j-driver';
import type { ClassModel } from '../../domain/class-model/types';
import { ValidationError } from '../../errors';
import type { Tx } from '../db';
import { labelFor } from './ci-repository';
import { ciRowFrom, type CiRow, type EdgeRow } from './rows';

export type TraversalDirection = 'DEPENDENCIES' | 'DEPENDENTS';

export interface TraversalArgs {
  rootId: string;
  direction: TraversalDirection;
  depth: number;
  types: string[];
  classes?: string[];
  limit: number;
}

export interface Subgraph {
  root: CiRow | undefined;
  nodes: { row: CiRow; distance: number }[];
  edges: EdgeRow[];
  truncated: boolean;
}

/** Relationship types become part of the pattern, so only the class model's types are accepted. */
export function typePattern(model: ClassModel, types: string[], field = 'types'): string {
  const impacting = new Set(model.impactingTypes());
  for (const t of types) {
    if (!impacting.has(t)) throw new ValidationError(field, `"${t}" is not an impacting relationship type`);
  }
  return types.join('|');
}

export async function traverse(tx: Tx, model: ClassModel, a: TraversalArgs, maxDepth: number): Promise<Subgraph> {
  if (!Number.isInteger(a.depth) || a.depth < 1 || a.depth > maxDepth) {
    throw new ValidationError('depth', `must be an integer from 1 to ${maxDepth}`);
  }
  const types = typePattern(model, a.types);
  const pattern = a.direction === 'DEPENDENCIES' ? `(root)-[:${types}*1..${a.depth}]->(n:CI)` : `(root)<-[:${types}*1..${a.depth}]-(n:CI)`;
  const classFilter = a.classes?.length
    ? `WHERE ${a.classes.map((c) => `n:${labelFor(model, c)}`).join(' OR ')}`
    : '';
  const res = await tx.run(
    `MATCH (root:CI {id: $id})
     OPTIONAL MATCH p = ${pattern}
     WHERE n <> root
     WITH root, n, min(length(p)) AS d
     ${classFilter ? `${classFilter.replace('WHERE', 'WHERE n IS NULL OR')}` : ''}
     WITH root, n, d ORDER BY d, n.name, n.id
     WITH root, collect(CASE WHEN n IS NULL THEN null ELSE {n: n, d: d} END) AS reached
     WITH root, reached[0..$limit] AS found, size(reached) > $limit AS truncated
     WITH root, found, truncated, [root] + [x IN found | x.n] AS members
     UNWIND members AS m
     OPTIONAL MATCH (m)-[r:${types}]->(o:CI)
     WITH root, found, truncated, m, collect(CASE WHEN o IS NULL THEN null ELSE {type: type(r), to: o.id,
          sources: r.sources, absent: coalesce(r.absent, false)} END) AS out
     RETURN properties(root) AS root, [x IN found | {p: properties(x.n), d: x.d}] AS found, truncated,
            collect({from: m.id, out: out}) AS edges`,
    { id: a.rootId, limit: neo4j.int(a.limit) },
  );
  const rec = res.records[0];
  if (!rec) return { root: undefined, nodes: [], edges: [], truncated: false };
  const root = ciRowFrom(rec.get('root') as Record<string, unknown>);
  const nodes = (rec.get('found') as { p: Record<string, unknown>; d: number }[]).map((x) => ({
    row: ciRowFrom(x.p),
    distance: x.d,
  }));
  const inside = new Set([root.id, ...nodes.map((n) => n.row.id)]);
  const edges: EdgeRow[] = [];
  for (const e of rec.get('edges') as { from: string; out: { type: string; to: string; sources: string[] | null; absent: boolean }[] }[]) {
    for (const o of e.out) {
      if (inside.has(o.to)) {
        edges.push({ type: o.type, from: e.from, to: o.to, sources: o.sources ?? [], absent: o.absent, createdAt: null });
      }
    }
  }
  edges.sort((x, y) => x.from.localeCompare(y.from) || x.to.localeCompare(y.to) || x.type.localeCompare(y.type));
  return { root, nodes, edges, truncated: rec.get('truncated') as boolean };
}

export interface DependencyPath {
  nodes: CiRow[];
  edges: EdgeRow[];
}

/**
 * Up to `max` shortest dependency paths from `fromId` down to `toId` (fromId needs toId through them). When
 * there is none that way, the other direction is tried, so the order of the two CIs does not matter.
 */
export async function shortestPaths(
  tx: Tx,
  model: ClassModel,
  fromId: string,
  toId: string,
  types: string[],
  max: number,
  maxDepth: number,
): Promise<DependencyPath[]> {
  const pattern = typePattern(model, types);
  const run = async (a: string, b: string) => {
    const res = await tx.run(
      `MATCH (a:CI {id: $a}), (b:CI {id: $b})
       MATCH p = SHORTEST ${Math.max(1, Math.min(max, 20))} (a)-[:${pattern}]->{1,${maxDepth}}(b)
       RETURN [x IN nodes(p) | properties(x)] AS nodes,
              [r IN relationships(p) | {type: type(r), from: startNode(r).id, to: endNode(r).id,
                 sources: r.sources, absent: coalesce(r.absent, false)}] AS edges`,
      { a, b },
    );
    return res.records.map((r) => ({
      nodes: (r.get('nodes') as Record<string, unknown>[]).map(ciRowFrom),
      edges: (r.get('edges') as { type: string; from: string; to: string; sources: string[] | null; absent: boolean }[]).map(
        (e) => ({ ...e, sources: e.sources ?? [], createdAt: null }),
      ),
    }));
  };
  const forward = await run(fromId, toId);
  return forward.length ? forward : run(toId, fromId);
}
