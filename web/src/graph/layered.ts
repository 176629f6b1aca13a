// A layered layout computed directly: rank = distance (given), order within a rank by the barycenter of
// neighbours in the ranks already placed, a few sweeps down and up to cut crossings. Pure and O(sweeps * (V log V
// + E)), so it fits the 3 s budget at 1,000+ nodes where dagre and elk did not (design/web-performance.md); it can
// also run in slices that pause between layers, for a page that lays out a large graph itself.

export interface LayerNode { id: string; rank: number; /** Tie-breaker that keeps siblings of a class together. */ key?: string }
export interface LayerEdge { source: string; target: string }
export interface LayeredOptions {
  /** Horizontal distance between neighbours in a row. */
  nodeGap?: number;
  /** Vertical distance between ranks. */
  rankGap?: number;
  /** Wide ranks wrap into rows of at most this many nodes. */
  maxPerRow?: number;
  sweeps?: number;
}

export type Positions = Map<string, { x: number; y: number }>;

/** Rows of one wrapped rank, as a share of the rank gap: room under a node for its three label lines. */
const ROW_GAP = 0.8;
/** Distance between neighbours on a blast-radius ring: about one label's width. */
const RING_ARC = 140;

/** Positions by id; rank grows along y (rank r lies below every rank < r). */
export function layeredLayout(nodes: LayerNode[], edges: LayerEdge[], opts: LayeredOptions = {}): Positions {
  const steps = layeredSteps(nodes, edges, opts);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * The same layout, computed in slices of about `budgetMs` with `pause` awaited in between, so a page that lays
 * out thousands of nodes itself keeps painting (one 5,000-node ordering took ~0.5 s in one piece).
 */
export async function layeredLayoutSliced(
  nodes: LayerNode[],
  edges: LayerEdge[],
  opts: LayeredOptions = {},
  slicing: { budgetMs: number; pause: () => Promise<void> },
): Promise<Positions> {
  const steps = layeredSteps(nodes, edges, opts);
  let sliceStart = performance.now();
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (performance.now() - sliceStart >= slicing.budgetMs) {
      await slicing.pause();
      sliceStart = performance.now();
    }
  }
}

/**
 * The layout as a resumable computation: it yields after each layer it sorts, the unit small enough to pause
 * between (the widest rank of a 5,000-node estate sorts in a few ms). Nodes and edges are held as indices into
 * typed arrays, and keys are ranked once, because Map lookups and localeCompare in every comparison made the
 * sweeps cost ~100 ms per 1,000 nodes.
 */
function* layeredSteps(nodes: LayerNode[], edges: LayerEdge[], opts: LayeredOptions): Generator<void, Positions> {
  const nodeGap = opts.nodeGap ?? 150;
  const rankGap = opts.rankGap ?? 130;
  // Rows no wider than about 1.6 x the square root of the whole view keep the picture roughly as wide as it is
  // tall, so a fitted view stays readable (one 30-node rank would otherwise shrink every label to nothing).
  const maxPerRow = opts.maxPerRow ?? Math.max(8, Math.ceil(Math.sqrt(nodes.length) * 1.6));
  const sweeps = opts.sweeps ?? 4;
  const n = nodes.length;

  const indexOf = new Map<string, number>();
  const rankOf = new Float64Array(n);
  nodes.forEach((node, i) => {
    indexOf.set(node.id, i);
    rankOf[i] = node.rank;
  });
  // Adjacency in compressed rows: the neighbours of i are adj[adjStart[i] .. adjStart[i + 1]).
  const ends: number[] = [];
  const degree = new Int32Array(n + 1);
  for (const e of edges) {
    const s = indexOf.get(e.source);
    const t = indexOf.get(e.target);
    if (s === undefined || t === undefined || s === t) continue;
    ends.push(s, t);
    degree[s]!++;
    degree[t]!++;
  }
  const adjStart = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) adjStart[i + 1] = adjStart[i]! + degree[i]!;
  const fill = adjStart.slice(0, n);
  const adj = new Int32Array(ends.length);
  for (let k = 0; k < ends.length; k += 2) {
    const s = ends[k]!;
    const t = ends[k + 1]!;
    adj[fill[s]!++] = t;
    adj[fill[t]!++] = s;
  }

  // Equal keys share a rank, so sorting by rank is sorting by key (what keeps siblings of a class together).
  const collator = new Intl.Collator();
  const keyRank = new Int32Array(n);
  const byKey = nodes.map((_, i) => i).sort((a, b) => collator.compare(nodes[a]!.key ?? '', nodes[b]!.key ?? ''));
  for (let j = 1; j < n; j++) {
    const same = collator.compare(nodes[byKey[j - 1]!]!.key ?? '', nodes[byKey[j]!]!.key ?? '') === 0;
    keyRank[byKey[j]!] = keyRank[byKey[j - 1]!]! + (same ? 0 : 1);
  }

  const ranks = [...new Set(nodes.map((node) => node.rank))].sort((a, b) => a - b);
  const layers = new Map<number, number[]>();
  for (const r of ranks) layers.set(r, []);
  for (let i = 0; i < n; i++) layers.get(rankOf[i]!)!.push(i);
  for (const layer of layers.values()) {
    layer.sort((a, b) => keyRank[a]! - keyRank[b]! || collator.compare(nodes[a]!.id, nodes[b]!.id));
    yield;
  }

  /** Normalised position in [0, 1] of every placed node, comparable across layers of different widths. */
  const pos = new Float64Array(n);
  const place = (layer: number[]) => {
    for (let j = 0; j < layer.length; j++) pos[layer[j]!] = layer.length > 1 ? j / (layer.length - 1) : 0.5;
  };
  for (const layer of layers.values()) place(layer);

  const bary = new Float64Array(n);
  /** Orders a layer by the mean position of its neighbours in lower (side -1) or higher (side 1) ranks. */
  const reorder = (r: number, side: -1 | 1) => {
    const layer = layers.get(r)!;
    for (const i of layer) {
      let sum = 0;
      let k = 0;
      for (let a = adjStart[i]!; a < adjStart[i + 1]!; a++) {
        const m = adj[a]!;
        if (side < 0 ? rankOf[m]! < r : rankOf[m]! > r) {
          sum += pos[m]!;
          k++;
        }
      }
      bary[i] = k ? sum / k : pos[i]!;
    }
    layer.sort((a, b) => bary[a]! - bary[b]! || keyRank[a]! - keyRank[b]!);
    place(layer);
  };
  for (let s = 0; s < sweeps; s++) {
    for (const r of ranks) {
      reorder(r, -1);
      yield;
    }
    for (const r of [...ranks].reverse()) {
      reorder(r, 1);
      yield;
    }
  }
  for (const r of ranks) {
    reorder(r, -1);
    yield;
  }

  const out: Positions = new Map();
  let y = 0;
  for (const r of ranks) {
    const layer = layers.get(r)!;
    const rows = Math.max(1, Math.ceil(layer.length / maxPerRow));
    const perRow = Math.ceil(layer.length / rows);
    layer.forEach((i, j) => {
      const row = Math.floor(j / perRow);
      const inRow = Math.min(perRow, layer.length - row * perRow);
      const col = j - row * perRow;
      // Alternate rows are offset by half a gap so wrapped labels do not stack.
      const x = (col - (inRow - 1) / 2) * nodeGap + (row % 2 ? nodeGap / 2 : 0);
      out.set(nodes[i]!.id, { x, y: y + row * (rankGap * ROW_GAP) });
    });
    y += (rows - 1) * rankGap * ROW_GAP + rankGap;
  }
  return out;
}

/** Number of crossing edge pairs between adjacent ranks: the figure the barycenter ordering tries to lower. */
export function countCrossings(positions: Positions, edges: LayerEdge[]): number {
  const segs = edges
    .map((e) => [positions.get(e.source), positions.get(e.target)] as const)
    .filter((s): s is readonly [{ x: number; y: number }, { x: number; y: number }] => !!s[0] && !!s[1] && s[0].y !== s[1].y)
    .map(([a, b]) => (a.y < b.y ? { y1: a.y, x1: a.x, y2: b.y, x2: b.x } : { y1: b.y, x1: b.x, y2: a.y, x2: a.x }));
  let n = 0;
  for (let i = 0; i < segs.length; i++) {
    for (let j = i + 1; j < segs.length; j++) {
      const a = segs[i]!;
      const b = segs[j]!;
      if (a.y1 !== b.y1 || a.y2 !== b.y2) continue;
      if ((a.x1 - b.x1) * (a.x2 - b.x2) < 0) n++;
    }
  }
  return n;
}

/**
 * Ranks for the explorer: breadth-first from the roots over the drawn edges, one rank down for what a node
 * needs (its outgoing edges) and one up for what needs it, so dependents sit above and dependencies below.
 */
export function signedRanks(ids: string[], edges: LayerEdge[], roots: string[]): Map<string, number> {
  const out = new Map<string, { s: string; d: number }[]>();
  for (const e of edges) {
    (out.get(e.source) ?? out.set(e.source, []).get(e.source)!).push({ s: e.target, d: 1 });
    (out.get(e.target) ?? out.set(e.target, []).get(e.target)!).push({ s: e.source, d: -1 });
  }
  const rank = new Map<string, number>();
  const queue: string[] = [];
  for (const r of roots) if (ids.includes(r) && !rank.has(r)) { rank.set(r, 0); queue.push(r); }
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i]!;
    for (const { s, d } of out.get(id) ?? []) {
      if (!rank.has(s)) {
        rank.set(s, rank.get(id)! + d);
        queue.push(s);
      }
    }
  }
  for (const id of ids) if (!rank.has(id)) rank.set(id, 0);
  return rank;
}

/**
 * Blast-radius rings: the layered order of each rank laid around a circle whose radius grows with the rank,
 * so order-by-barycenter still keeps neighbours close on adjacent rings.
 */
export function toRings(positions: Positions, ranks: Map<string, number>, ringGap = 130): Positions {
  const byRank = new Map<number, { id: string; x: number }[]>();
  for (const [id, p] of positions) {
    const r = Math.abs(ranks.get(id) ?? 0);
    (byRank.get(r) ?? byRank.set(r, []).get(r)!).push({ id, x: p.x });
  }
  const out: Positions = new Map();
  let inner = -Infinity;
  for (const r of [...byRank.keys()].sort((a, b) => a - b)) {
    const list = byRank.get(r)!;
    list.sort((a, b) => a.x - b.x);
    // The circumference must hold the ring's nodes with room for a label under each (RING_ARC apart), and a
    // crowded ring pushes the next one out: rings stay in the order of their distance.
    const radius = list.length === 1 && r === 0 ? 0 : Math.max(r * ringGap, (list.length * RING_ARC) / (2 * Math.PI), inner + ringGap, 80);
    inner = radius;
    list.forEach((n, i) => {
      // Each ring starts at its own angle so single-CI rings do not stack into one vertical line.
      const a = (2 * Math.PI * i) / list.length - Math.PI / 2 + r * 0.9;
      out.set(n.id, { x: radius * Math.cos(a), y: radius * Math.sin(a) });
    });
  }
  return out;
}
