// Owns traversal Cypher: bounded dependency/dependent subgraphs and simple shortest dependency paths. Subgraphs
// are walked one level per query from the whole frontier (each CI once, never a path enumerated), so a graph
// with millions of distinct paths costs what its reachable CIs cost, and the walk stops where `limit` is met.
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
  nodes: { row: CiRow; distance: number; moreBeyond: boolean }[];
  edges: EdgeRow[];
  /** More matching CIs were reachable within `depth` than `limit`. */
  truncated: boolean;
  /** CIs one hop past `depth` that the depth limit left out (0: the depth reached everything there is). */
  cutByDepth: number;
}

/** Relationship types become part of the pattern, so only the class model's types are accepted. */
export function typePattern(model: ClassModel, types: string[], field = 'types'): string {
  const impacting = new Set(model.impactingTypes());
  for (const t of types) {
    if (!impacting.has(t)) throw new ValidationError(field, `"${t}" is not an impacting relationship type`);
  }
  return types.join('|');
}

/**
 * CIs a walk may hold, matching or not: a class filter can make it pass through many CIs it does not return.
 * Past this the walk stops and says `truncated` rather than growing without bound.
 */
export const MAX_WALKED = 50_000;

interface Level {
  ids: string[];
  matching: string[];
}

// One hop of the breadth-first walk from a whole frontier, each new CI once, in (name, id) order: the rows never
// hold paths (a var-length pattern with min(length(p)) enumerated every path and ran out of transaction memory
// on a shared cluster member's dependents).
const hopQuery = (pattern: string, direction: TraversalDirection, classFilter: boolean) => `
UNWIND $frontier AS fid MATCH (f:CI {id: fid})${direction === 'DEPENDENCIES' ? '-' : '<-'}[:${pattern}]${direction === 'DEPENDENCIES' ? '->' : '-'}(m:CI)
WITH DISTINCT m WHERE NOT m.id IN $seen
WITH m ORDER BY m.name, m.id
RETURN collect(m.id) AS ids, collect(CASE WHEN ${classFilter ? 'any(l IN labels(m) WHERE l IN $labels)' : 'true'} THEN m.id END) AS matching`;

// What the depth limit cut off: the CIs one hop past the last level, and which CIs of that level lead to them.
const cutQuery = (pattern: string, direction: TraversalDirection) => `
UNWIND $frontier AS fid MATCH (f:CI {id: fid})${direction === 'DEPENDENCIES' ? '-' : '<-'}[:${pattern}]${direction === 'DEPENDENCIES' ? '->' : '-'}(m:CI)
WHERE NOT m.id IN $seen
RETURN count(DISTINCT m) AS beyond, collect(DISTINCT fid) AS cutAt`;

// The kept CIs with their properties, and their relationships of the walked types.
const READ_KEPT = (pattern: string) => `
MATCH (root:CI {id: $id})
UNWIND [$id] + $ids AS kid MATCH (m:CI {id: kid})
OPTIONAL MATCH (m)-[r:${pattern}]->(o:CI)
WITH root, m, collect(CASE WHEN o IS NULL THEN null ELSE {type: type(r), to: o.id, sources: r.sources,
     absent: coalesce(r.absent, false)} END) AS out
RETURN properties(root) AS root, collect({p: properties(m), out: out}) AS kept`;

/**
 * A bounded breadth-first walk from one CI. The limit applies during the walk: it stops at the level where
 * `limit` matching CIs are found, keeps the first ones by (distance, name, id), and never reads further.
 */
export async function traverse(tx: Tx, model: ClassModel, a: TraversalArgs, maxDepth: number): Promise<Subgraph> {
  if (!Number.isInteger(a.depth) || a.depth < 1 || a.depth > maxDepth) {
    throw new ValidationError('depth', `must be an integer from 1 to ${maxDepth}`);
  }
  const pattern = typePattern(model, a.types);
  const labels = (a.classes ?? []).map((c) => labelFor(model, c));
  const walk = await walkLevels(tx, pattern, a, labels);
  const cut = walk.stoppedEarly || walk.frontier.length === 0 ? { beyond: 0, cutAt: new Set<string>() } : await depthCut(tx, pattern, a.direction, walk);
  const res = await tx.run(READ_KEPT(pattern), { id: a.rootId, ids: walk.kept.map((k) => k.id) });
  const rec = res.records[0];
  if (!rec) return { root: undefined, nodes: [], edges: [], truncated: false, cutByDepth: 0 };
  const rows = new Map<string, { p: Record<string, unknown>; out: RawOut[] }>();
  for (const k of rec.get('kept') as { p: Record<string, unknown>; out: RawOut[] }[]) rows.set(k.p.id as string, k);
  const nodes = walk.kept.filter((k) => rows.has(k.id)).map((k) => ({ row: ciRowFrom(rows.get(k.id)!.p), distance: k.distance, moreBeyond: cut.cutAt.has(k.id) }));
  return {
    root: ciRowFrom(rec.get('root') as Record<string, unknown>),
    nodes,
    edges: edgesAmong(rows),
    truncated: walk.truncated,
    cutByDepth: cut.beyond,
  };
}

type RawOut = { type: string; to: string; sources: string[] | null; absent: boolean } | null;

function edgesAmong(rows: Map<string, { out: RawOut[] }>): EdgeRow[] {
  const edges: EdgeRow[] = [];
  for (const [from, { out }] of rows) {
    for (const o of out) {
      if (o && rows.has(o.to)) edges.push({ type: o.type, from, to: o.to, sources: o.sources ?? [], absent: o.absent, createdAt: null });
    }
  }
  return edges.sort((x, y) => x.from.localeCompare(y.from) || x.to.localeCompare(y.to) || x.type.localeCompare(y.type));
}

interface Walk {
  kept: { id: string; distance: number }[];
  truncated: boolean;
  /** The walk stopped before `depth` (limit or walk cap): what lies further is not a depth cut. */
  stoppedEarly: boolean;
  /** The CIs of the last level walked, and every CI seen, for the depth-cut probe. */
  frontier: string[];
  seen: string[];
}

async function walkLevels(tx: Tx, pattern: string, a: TraversalArgs, labels: string[]): Promise<Walk> {
  const seen = [a.rootId];
  const kept: Walk['kept'] = [];
  let frontier = [a.rootId];
  for (let d = 1; d <= a.depth && frontier.length > 0; d++) {
    const res = await tx.run(hopQuery(pattern, a.direction, labels.length > 0), { frontier, seen, labels });
    const level = res.records[0]?.toObject() as Level | undefined;
    const ids = level?.ids ?? [];
    const matching = level?.matching ?? [];
    const room = a.limit - kept.length;
    for (const id of matching.slice(0, room)) kept.push({ id, distance: d });
    if (matching.length > room || seen.length + ids.length > MAX_WALKED) {
      return { kept, truncated: true, stoppedEarly: true, frontier: [], seen };
    }
    seen.push(...ids);
    frontier = ids;
  }
  return { kept, truncated: false, stoppedEarly: false, frontier, seen };
}

async function depthCut(tx: Tx, pattern: string, direction: TraversalDirection, walk: Walk): Promise<{ beyond: number; cutAt: Set<string> }> {
  const res = await tx.run(cutQuery(pattern, direction), { frontier: walk.frontier, seen: walk.seen });
  const rec = res.records[0];
  return { beyond: Number(rec?.get('beyond') ?? 0), cutAt: new Set((rec?.get('cutAt') as string[] | undefined) ?? []) };
}

export interface DependencyPath {
  nodes: CiRow[];
  edges: EdgeRow[];
}

/**
 * Up to `max` shortest simple dependency paths from `fromId` down to `toId` (fromId needs toId through them): no
 * CI twice, so a cycle never pads the list with a detour through the target and back. The condition sits inside
 * the parenthesised pattern, so it filters before SHORTEST counts (a WHERE after the pattern would filter the k
 * paths already chosen and return fewer). When
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
       MATCH p = SHORTEST ${Math.max(1, Math.min(max, 20))} ((a)(()-[:${pattern}]->(x:CI)){1,${maxDepth}}(b)
         WHERE all(i IN range(0, size(x) - 1) WHERE x[i] <> a AND NOT x[i] IN x[i + 1..]))
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
