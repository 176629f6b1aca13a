// Owns the compact, deterministic index over an impact graph that propagation and root-cause ranking walk.

import type { ImpactEdge, ImpactNode, ImpactRules } from './types.js';

/** Code-unit order: the same on every machine and locale, which keeps reports byte-for-byte deterministic. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Adjacency in compressed-row form: the neighbours of node i are `target[start[i]] .. target[start[i+1]-1]`.
 * Flat typed arrays keep 50,000 edges cheap to build and to walk.
 */
export interface Csr {
  start: Int32Array;
  target: Int32Array;
  /** Per entry: every relationship behind this link is absent. */
  absent: Uint8Array;
  /** Per entry: the link is a HAS_MEMBER (group -> member) link. */
  member: Uint8Array;
}

/**
 * What propagation walks. Built from strings by `indexGraph`, or straight from the read model's numeric ids by
 * `ImpactReadModel.indexUpstream`: both through `indexLinks`, so the two cannot differ in how links merge.
 */
export interface GraphIndex {
  /**
   * Node index -> node; index order is id order, so walking by index is deterministic. Nodes that are only a
   * group's healthy members outside the walked set may follow, in any order: they are never impacted.
   */
  nodes: ImpactNode[];
  /** Distinct (from, to) needs regardless of type, sorted by target id; `member` is unused here. */
  out: Csr;
  /** The reverse of `out`: who needs node i, sorted by dependent id. */
  in: Csr;
  /**
   * The reverse links kept apart by kind: a dependent that both has a CI as member and needs it directly
   * (rare, but a bad import can say so) sees it once through its rule and once as an ordinary need.
   */
  inTyped: Csr;
  /** Distinct members per node (0 for non-groups). */
  memberTotal: Int32Array;
}

/** A graph indexed from string ids, with the way back from an id to its index. */
export interface IndexedGraph extends GraphIndex {
  indexOf: Map<string, number>;
}

/** A CI named by an edge, a failure or an incident but missing from the node list: kept rather than dropped. */
export function placeholder(id: string): ImpactNode {
  return { id, name: id, className: 'CI', isService: false, criticality: 4 };
}

/** Links as parallel arrays (no object per link): `from[i]` needs `to[i]`. */
interface Links {
  from: Int32Array;
  to: Int32Array;
  member: Uint8Array;
  absent: Uint8Array;
  length: number;
}

function emptyLinks(capacity: number): Links {
  return { from: new Int32Array(capacity), to: new Int32Array(capacity), member: new Uint8Array(capacity), absent: new Uint8Array(capacity), length: 0 };
}

function buildCsr(n: number, links: Links, byTo: boolean): Csr {
  const key = byTo ? links.to : links.from;
  const other = byTo ? links.from : links.to;
  const start = new Int32Array(n + 1);
  for (let i = 0; i < links.length; i++) start[key[i]! + 1]! += 1;
  for (let i = 0; i < n; i++) start[i + 1]! += start[i]!;
  const fill = start.slice(0, n);
  const target = new Int32Array(links.length);
  const absent = new Uint8Array(links.length);
  const member = new Uint8Array(links.length);
  // Links are sorted by (from, to), so each row comes out sorted by the other end's index, i.e. by id.
  for (let i = 0; i < links.length; i++) {
    const at = fill[key[i]!]!;
    fill[key[i]!] = at + 1;
    target[at] = other[i]!;
    absent[at] = links.absent[i]!;
    member[at] = links.member[i]!;
  }
  return { start, target, absent, member };
}

/**
 * Index `nodes` and the impacting `edges` between them. `extraIds` (failed CIs, incident CIs) and edge ends that
 * are missing from `nodes` get placeholder nodes, so that no impact is silently lost. Duplicate node ids keep the
 * first; parallel relationships collapse into one link that is absent only if all of them are; self-loops and
 * non-impacting types (OWNED_BY) are dropped.
 */
export function indexGraph(
  nodes: readonly ImpactNode[],
  edges: readonly ImpactEdge[],
  rules: ImpactRules,
  extraIds: Iterable<string> = [],
): IndexedGraph {
  const byId = new Map<string, ImpactNode>();
  for (const node of nodes) if (!byId.has(node.id)) byId.set(node.id, node);
  const want = (id: string) => {
    if (!byId.has(id)) byId.set(id, placeholder(id));
  };
  for (const id of extraIds) want(id);
  const impacting = edges.filter((e) => rules.impacting.has(e.type) && e.from !== e.to);
  for (const e of impacting) {
    want(e.from);
    want(e.to);
  }

  // The default sort compares UTF-16 code units, the same order as compareStrings, without a callback per pair.
  const ids = [...byId.keys()].sort();
  const indexOf = new Map<string, number>();
  for (let i = 0; i < ids.length; i++) indexOf.set(ids[i]!, i);
  const indexed = ids.map((id) => byId.get(id)!);
  const n = ids.length;

  const keys = new Float64Array(impacting.length);
  for (let i = 0; i < impacting.length; i++) {
    const e = impacting[i]!;
    keys[i] = linkKey(indexOf.get(e.from)!, indexOf.get(e.to)!, n, rules.membership.has(e.type), e.absent === true);
  }
  return { ...indexLinks(indexed, keys), indexOf };
}

/**
 * One number per relationship, ((from * n + to) * 2 + member) * 2 + absent, so that a native sort puts links in
 * (from, to) order with the kinds and absent flags side by side, with no object per relationship. Exact below
 * 2^53, i.e. for any n under 47 million.
 */
export function linkKey(from: number, to: number, n: number, member: boolean, absent: boolean): number {
  return ((from * n + to) * 2 + (member ? 1 : 0)) * 2 + (absent ? 1 : 0);
}

/** The index over `nodes` (in index order) and their links, given as `linkKey`s in any order (sorted in place). */
export function indexLinks(nodes: ImpactNode[], keys: Float64Array): GraphIndex {
  const n = nodes.length;
  keys.sort();
  // Merge parallel relationships twice: by kind for the state rules, and regardless of kind for the paths; a
  // merged link is absent only if all of its relationships are.
  const typed = emptyLinks(keys.length);
  const plain = emptyLinks(keys.length);
  const memberTotal = new Int32Array(n);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const absent = k % 2;
    const member = Math.floor(k / 2) % 2;
    const pair = Math.floor(k / 4);
    const from = Math.floor(pair / n);
    const to = pair - from * n;
    const t = typed.length - 1;
    if (t >= 0 && typed.from[t] === from && typed.to[t] === to && typed.member[t] === member) {
      typed.absent[t]! &= absent;
    } else {
      typed.from[t + 1] = from;
      typed.to[t + 1] = to;
      typed.member[t + 1] = member;
      typed.absent[t + 1] = absent;
      typed.length += 1;
      if (member) memberTotal[from]! += 1;
    }
    const p = plain.length - 1;
    if (p >= 0 && plain.from[p] === from && plain.to[p] === to) {
      plain.absent[p]! &= absent;
    } else {
      plain.from[p + 1] = from;
      plain.to[p + 1] = to;
      plain.absent[p + 1] = absent;
      plain.length += 1;
    }
  }

  return {
    nodes,
    out: buildCsr(n, plain, false),
    in: buildCsr(n, plain, true),
    inTyped: buildCsr(n, typed, true),
    memberTotal,
  };
}
