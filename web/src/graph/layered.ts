// A layered layout computed directly: rank = distance (given), order within a rank by the barycenter of
// neighbours in the ranks already placed, a few sweeps down and up to cut crossings. Pure and O(sweeps * (V log V
// + E)), so it fits the 3 s budget at 1,000+ nodes where dagre and elk did not (design/web-performance.md).

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

/** Positions by id; rank grows along y (rank r lies below every rank < r). */
export function layeredLayout(nodes: LayerNode[], edges: LayerEdge[], opts: LayeredOptions = {}): Positions {
  const nodeGap = opts.nodeGap ?? 150;
  const rankGap = opts.rankGap ?? 130;
  // Rows no wider than about 1.6 x the square root of the whole view keep the picture roughly as wide as it is
  // tall, so a fitted view stays readable (one 30-node rank would otherwise shrink every label to nothing).
  const maxPerRow = opts.maxPerRow ?? Math.max(8, Math.ceil(Math.sqrt(nodes.length) * 1.6));
  const sweeps = opts.sweeps ?? 4;

  const rankOf = new Map<string, number>();
  for (const n of nodes) rankOf.set(n.id, n.rank);
  const adj = new Map<string, string[]>();
  for (const e of edges) {
    if (!rankOf.has(e.source) || !rankOf.has(e.target) || e.source === e.target) continue;
    (adj.get(e.source) ?? adj.set(e.source, []).get(e.source)!).push(e.target);
    (adj.get(e.target) ?? adj.set(e.target, []).get(e.target)!).push(e.source);
  }

  const ranks = [...new Set(nodes.map((n) => n.rank))].sort((a, b) => a - b);
  const layers = new Map<number, LayerNode[]>();
  for (const r of ranks) layers.set(r, []);
  for (const n of nodes) layers.get(n.rank)!.push(n);
  for (const layer of layers.values()) layer.sort((a, b) => (a.key ?? '').localeCompare(b.key ?? '') || a.id.localeCompare(b.id));

  /** Normalised position in [0, 1] of every placed node, comparable across layers of different widths. */
  const pos = new Map<string, number>();
  const place = (layer: LayerNode[]) => layer.forEach((n, i) => pos.set(n.id, layer.length > 1 ? i / (layer.length - 1) : 0.5));
  for (const layer of layers.values()) place(layer);

  const reorder = (layer: LayerNode[], fromSide: (r: number) => boolean) => {
    const bary = new Map<string, number>();
    for (const n of layer) {
      let sum = 0;
      let k = 0;
      for (const m of adj.get(n.id) ?? []) {
        if (fromSide(rankOf.get(m)!)) {
          sum += pos.get(m)!;
          k++;
        }
      }
      bary.set(n.id, k ? sum / k : pos.get(n.id)!);
    }
    layer.sort((a, b) => bary.get(a.id)! - bary.get(b.id)! || (a.key ?? '').localeCompare(b.key ?? ''));
    place(layer);
  };
  for (let s = 0; s < sweeps; s++) {
    for (const r of ranks) reorder(layers.get(r)!, (o) => o < r);
    for (const r of [...ranks].reverse()) reorder(layers.get(r)!, (o) => o > r);
  }
  for (const r of ranks) reorder(layers.get(r)!, (o) => o < r);

  const out: Positions = new Map();
  let y = 0;
  for (const r of ranks) {
    const layer = layers.get(r)!;
    const rows = Math.max(1, Math.ceil(layer.length / maxPerRow));
    const perRow = Math.ceil(layer.length / rows);
    layer.forEach((n, i) => {
      const row = Math.floor(i / perRow);
      const inRow = Math.min(perRow, layer.length - row * perRow);
      const col = i - row * perRow;
      // Alternate rows are offset by half a gap so wrapped labels do not stack.
      const x = (col - (inRow - 1) / 2) * nodeGap + (row % 2 ? nodeGap / 2 : 0);
      out.set(n.id, { x, y: y + row * (rankGap * 0.6) });
    });
    y += (rows - 1) * rankGap * 0.6 + rankGap;
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
  for (const [r, list] of byRank) {
    list.sort((a, b) => a.x - b.x);
    // The circumference must fit the ring's nodes: widen rings that are crowded.
    const radius = list.length === 1 && r === 0 ? 0 : Math.max(r * ringGap, (list.length * 70) / (2 * Math.PI), 80);
    list.forEach((n, i) => {
      // Each ring starts at its own angle so single-CI rings do not stack into one vertical line.
      const a = (2 * Math.PI * i) / list.length - Math.PI / 2 + r * 0.9;
      out.set(n.id, { x: radius * Math.cos(a), y: radius * Math.sin(a) });
    });
  }
  return out;
}
