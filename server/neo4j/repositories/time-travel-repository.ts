// Owns the Cypher that reads the graph as of a past instant: CIs with the history recorded since, relationships
// with their live and retired intervals (RelationshipInterval nodes), and walks over them a level at a time.
// Which version held at the instant is decided by server/domain/time-travel; the live graph's walks and the
// reach procedure never read any of this, so history costs the current graph nothing.
import type { ClassModel } from '../../domain/class-model/types';
import { compareStrings } from '../../domain/impact/graph-index';
import type { ImpactGraph } from '../../domain/impact/types';
import {
  edgesAsOf,
  existedAt,
  valuesAsOf,
  type EdgeAsOf,
  type Instant,
  type LiveEdge,
  type RecordedChange,
  type RetiredEdge,
} from '../../domain/time-travel/as-of';
import { ValidationError } from '../../errors';
import type { Tx } from '../db';
import { QueryTooLargeError } from '../guard';
import { typePattern, MAX_WALKED, type Subgraph, type TraversalArgs } from './graph-repository';
import { upstreamGraph, type RawRow } from './impact-repository';
import { ciRowFrom, type CiRow, type EdgeRow } from './rows';
import { readFieldChanges } from './stored-json';

/** A CI as it was at an instant, with the team that owned it then. */
export interface CiAsOf {
  row: CiRow;
  owner: string | null;
}

// A CI's history entries after the instant are what must be undone to see it as it was.
const CIS_AS_OF = `
UNWIND $ids AS id MATCH (n:CI {id: id})
OPTIONAL MATCH (n)-[:OWNED_BY]->(t:Team)
RETURN properties(n) AS p, toString(n.createdAt) AS createdAt, t.name AS owner,
       [(h:History)-[:ABOUT]->(n) WHERE h.at > datetime($at) | [toString(h.at), h.changes]] AS later`;

/** The CIs that existed at `at`, each with its values then; ids of CIs created later are left out. */
export async function cisAsOf(tx: Tx, ids: readonly string[], at: Instant): Promise<Map<string, CiAsOf>> {
  const out = new Map<string, CiAsOf>();
  if (!ids.length) return out;
  const res = await tx.run(CIS_AS_OF, { ids: [...new Set(ids)], at: new Date(at).toISOString() });
  for (const r of res.records) {
    if (!existedAt(Date.parse(r.get('createdAt') as string), at)) continue;
    const later: RecordedChange[] = (r.get('later') as [string, string][]).map(([when, json]) => ({
      at: Date.parse(when),
      changes: readFieldChanges(json, `history of ${String(r.get('p')?.id)}`),
    }));
    // The owner is undone with the rest: its history entries name the team before and after.
    const { owner, ...props } = valuesAsOf({ ...(r.get('p') as Record<string, unknown>), owner: r.get('owner') as string | null }, later, at);
    const row = ciRowFrom(props);
    out.set(row.id, { row: { ...row, asOf: new Date(at).toISOString() }, owner: (owner as string | null) ?? null });
  }
  return out;
}

type Side = 'out' | 'in';

// Live relationships at the frontier with their current interval, and the other end's creation, so edges to a
// CI that did not exist yet are left out. `absentSince` only counts while the relationship is absent.
const liveQuery = (pattern: string, side: Side) => `
UNWIND $ids AS id MATCH (f:CI {id: id})${side === 'out' ? '-' : '<-'}[r:${pattern}]${side === 'out' ? '->' : '-'}(o:CI)
RETURN [${side === 'out' ? 'id, o.id' : 'o.id, id'}, type(r), coalesce(r.sources, []),
        toString(coalesce(r.validFrom, r.firstSeen, r.createdAt)),
        CASE WHEN coalesce(r.absent, false) THEN toString(r.absentSince) END, toString(o.createdAt)] AS e`;

const retiredQuery = (side: Side) => `
UNWIND $ids AS id MATCH (v:RelationshipInterval {${side === 'out' ? 'fromId' : 'toId'}: id}) WHERE v.type IN $types
RETURN [v.fromId, v.toId, v.type, v.sources, toString(v.validFrom), toString(v.validTo), v.endedAbsent] AS e`;

/** The relationships of the given types that held at `at` on one side of each CI in `ids`. */
export async function edgesAround(tx: Tx, model: ClassModel, ids: readonly string[], side: Side, types: string[], at: Instant): Promise<EdgeAsOf[]> {
  if (!ids.length) return [];
  const pattern = typePattern(model, types);
  const live: LiveEdge[] = [];
  for (const rec of (await tx.run(liveQuery(pattern, side), { ids })).records) {
    const [from, to, type, sources, validFrom, absentSince, otherCreated] = rec.get('e') as [string, string, string, string[], string | null, string | null, string];
    if (!existedAt(Date.parse(otherCreated), at) || validFrom === null) continue;
    live.push({ from, to, type, sources, validFrom: Date.parse(validFrom), absentSince: absentSince === null ? null : Date.parse(absentSince) });
  }
  const retired: RetiredEdge[] = (await tx.run(retiredQuery(side), { ids, types })).records.map((rec) => {
    const [from, to, type, sources, validFrom, validTo, endedAbsent] = rec.get('e') as [string, string, string, string[], string, string, boolean];
    return { from, to, type, sources, validFrom: Date.parse(validFrom), validTo: Date.parse(validTo), endedAbsent };
  });
  return edgesAsOf(live, retired, at);
}

interface WalkAsOf {
  /** Hops from the nearest start CI, for every CI reached (the start CIs at 0). */
  distance: Map<string, number>;
  /** The walk met more than `maxNodes` CIs and stopped. */
  truncated: boolean;
}

/** A breadth-first walk over the graph as of `at`, each CI once, from a whole frontier per level. */
async function walkAsOf(tx: Tx, model: ClassModel, start: readonly string[], side: Side, types: string[], at: Instant, depth: number): Promise<WalkAsOf> {
  const distance = new Map(start.map((id) => [id, 0]));
  let frontier = [...start];
  for (let d = 1; d <= depth && frontier.length; d++) {
    const next: string[] = [];
    for (const e of await edgesAround(tx, model, frontier, side, types, at)) {
      const other = side === 'out' ? e.to : e.from;
      if (!distance.has(other)) {
        distance.set(other, d);
        next.push(other);
      }
    }
    if (distance.size > MAX_WALKED) return { distance, truncated: true };
    frontier = next;
  }
  return { distance, truncated: false };
}

/**
 * `traverse` on the graph as of `at`: the walk goes one hop past `depth` so the answer can say what the depth
 * limit cut off, the same way the current one does.
 */
export async function traverseAsOf(tx: Tx, model: ClassModel, a: TraversalArgs, maxDepth: number, at: Instant): Promise<Subgraph> {
  if (!Number.isInteger(a.depth) || a.depth < 1 || a.depth > maxDepth) throw new ValidationError('depth', `must be an integer from 1 to ${maxDepth}`);
  const side: Side = a.direction === 'DEPENDENCIES' ? 'out' : 'in';
  const walk = await walkAsOf(tx, model, [a.rootId], side, a.types, at, a.depth + 1);
  const states = await cisAsOf(tx, [...walk.distance.keys()], at);
  const root = states.get(a.rootId)?.row;
  if (!root) return { root: undefined, nodes: [], edges: [], truncated: false, cutByDepth: 0 };
  const within = [...walk.distance].filter(([id, d]) => d >= 1 && d <= a.depth && states.has(id));
  const matching = within
    .map(([id, distance]) => ({ row: states.get(id)!.row, distance }))
    .filter((n) => !a.classes?.length || a.classes.some((c) => model.isA(n.row.className, c)))
    // Code-point order, as Cypher's ORDER BY in the live walk: with a limit, both keep the same CIs.
    .sort((x, y) => x.distance - y.distance || compareStrings(x.row.name, y.row.name) || compareStrings(x.row.id, y.row.id));
  const kept = matching.slice(0, a.limit);
  const keptIds = new Set([a.rootId, ...kept.map((n) => n.row.id)]);
  const beyond = new Set([...walk.distance].filter(([, d]) => d === a.depth + 1).map(([id]) => id));
  const edges = await edgesAround(tx, model, [...keptIds], side, a.types, at);
  const leadsBeyond = new Set(edges.filter((e) => beyond.has(side === 'out' ? e.to : e.from)).map((e) => (side === 'out' ? e.from : e.to)));
  return {
    root,
    nodes: kept.map((n) => ({ ...n, moreBeyond: leadsBeyond.has(n.row.id) })),
    edges: edges.filter((e) => keptIds.has(e.from) && keptIds.has(e.to)).map(toEdgeRow),
    truncated: walk.truncated || matching.length > a.limit,
    cutByDepth: walk.truncated ? 0 : beyond.size,
  };
}

const toEdgeRow = (e: EdgeAsOf): EdgeRow => ({ type: e.type, from: e.from, to: e.to, sources: e.sources, absent: e.absent, createdAt: null });

/** A CI's first-level relationships of the given types as of `at`, both ways. */
export async function relationshipsAsOf(tx: Tx, model: ClassModel, ids: readonly string[], types: string[], at: Instant): Promise<EdgeRow[]> {
  const both = [...(await edgesAround(tx, model, ids, 'out', types, at)), ...(await edgesAround(tx, model, ids, 'in', types, at))];
  const unique = new Map(both.map((e) => [`${e.from} ${e.type} ${e.to}`, toEdgeRow(e)]));
  return [...unique.values()];
}

/**
 * `upstreamOf` on the graph as of `at`: what needed `ids` then, with each CI's values and owner then, and the
 * members its groups had then (read for retirement, so a member retired since still counts).
 */
export async function upstreamAsOf(tx: Tx, model: ClassModel, ids: string[], maxDepth: number, at: Instant): Promise<ImpactGraph> {
  const types = model.impactingTypes();
  const walk = await walkAsOf(tx, model, ids, 'in', types, at, maxDepth);
  // An impact computed on part of what was reached would understate it: refused, as the live walk refuses.
  if (walk.truncated) throw new QueryTooLargeError();
  const reached = [...walk.distance.keys()];
  const out = await edgesAround(tx, model, reached, 'out', types, at);
  const states = await cisAsOf(tx, [...reached, ...out.map((e) => e.to)], at);
  const { membership } = model.impactRules();
  const outOf = new Map<string, EdgeAsOf[]>();
  for (const e of out) (outOf.get(e.from) ?? outOf.set(e.from, []).get(e.from)!).push(e);
  const retired = (id: string) => states.get(id)?.row.lifecycle === 'retired';
  const rows: RawRow[] = reached.flatMap((id) => {
    const s = states.get(id);
    if (!s) return [];
    const { row } = s;
    const redundancy = typeof row.attributes.redundancy === 'string' ? row.attributes.redundancy : null;
    const edges = (outOf.get(id) ?? []).filter((e) => states.has(e.to)).map((e): RawRow[9][number] => [e.to, e.type, e.absent, membership.has(e.type) && retired(e.to)]);
    return [[id, row.name, row.className, row.criticality, row.environment, row.stale, redundancy, row.lifecycle === 'retired', s.owner ? [s.owner] : [], edges]];
  });
  return upstreamGraph(model, rows, ids);
}
