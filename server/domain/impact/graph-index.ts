// Owns the compact, deterministic index over an impact graph that propagation and root-cause ranking walk.

import { IMPACTING_EDGE_TYPES, MEMBER_EDGE_TYPE, type ImpactEdge, type ImpactNode } from './types.js';

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

export interface GraphIndex {
  /** Node index -> node; index order is id order, so walking by index is deterministic. */
  nodes: ImpactNode[];
  indexOf: Map<string, number>;
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

/** A CI named by an edge, a failure or an incident but missing from the node list: kept rather than dropped. */
function placeholder(id: string): ImpactNode {
  return { id, name: id, className: 'CI', isService: false, criticality: 4 };
}

interface Link {
  from: number;
  to: number;
  member: boolean;
  absent: boolean;
}

function buildCsr(n: number, links: readonly Link[], key: 'from' | 'to'): Csr {
  const other = key === 'from' ? 'to' : 'from';
  const start = new Int32Array(n + 1);
  for (const l of links) start[l[key] + 1]! += 1;
  for (let i = 0; i < n; i++) start[i + 1]! += start[i]!;
  const fill = start.slice(0, n);
  const target = new Int32Array(links.length);
  const absent = new Uint8Array(links.length);
  const member = new Uint8Array(links.length);
  // `links` is sorted by (from, to), so each row comes out sorted by the other end's index, i.e. by id.
  for (const l of links) {
    const at = fill[l[key]]!;
    fill[l[key]] = at + 1;
    target[at] = l[other];
    absent[at] = l.absent ? 1 : 0;
    member[at] = l.member ? 1 : 0;
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
  extraIds: Iterable<string> = [],
): GraphIndex {
  const byId = new Map<string, ImpactNode>();
  for (const node of nodes) if (!byId.has(node.id)) byId.set(node.id, node);
  const want = (id: string) => {
    if (!byId.has(id)) byId.set(id, placeholder(id));
  };
  for (const id of extraIds) want(id);
  const impacting = edges.filter((e) => IMPACTING_EDGE_TYPES.has(e.type) && e.from !== e.to);
  for (const e of impacting) {
    want(e.from);
    want(e.to);
  }

  const ids = [...byId.keys()].sort(compareStrings);
  const indexOf = new Map<string, number>();
  ids.forEach((id, i) => indexOf.set(id, i));
  const indexed = ids.map((id) => byId.get(id)!);
  const n = ids.length;

  const raw: Link[] = impacting.map((e) => ({
    from: indexOf.get(e.from)!,
    to: indexOf.get(e.to)!,
    member: e.type === MEMBER_EDGE_TYPE,
    absent: e.absent === true,
  }));
  raw.sort((a, b) => a.from - b.from || a.to - b.to || Number(a.member) - Number(b.member));

  // Merge parallel relationships twice: by kind for the state rules, and regardless of kind for the paths.
  const typed: Link[] = [];
  const plain: Link[] = [];
  for (const l of raw) {
    const lastTyped = typed[typed.length - 1];
    if (lastTyped && lastTyped.from === l.from && lastTyped.to === l.to && lastTyped.member === l.member) {
      lastTyped.absent &&= l.absent;
    } else {
      typed.push({ ...l });
    }
    const lastPlain = plain[plain.length - 1];
    if (lastPlain && lastPlain.from === l.from && lastPlain.to === l.to) {
      lastPlain.absent &&= l.absent;
    } else {
      plain.push({ ...l, member: false });
    }
  }

  const memberTotal = new Int32Array(n);
  for (const l of typed) if (l.member) memberTotal[l.from]! += 1;

  return {
    nodes: indexed,
    indexOf,
    out: buildCsr(n, plain, 'from'),
    in: buildCsr(n, plain, 'to'),
    inTyped: buildCsr(n, typed, 'to'),
    memberTotal,
  };
}
