// Edge routes as plain geometry: the ring view's router (edges that would cut through a node travel round the
// gaps between rings instead), the test of whether a straight edge passes through a node, and the conversion of a
// route's absolute points into Cytoscape's segment distances and weights. Pure, so it is unit-tested without a page.

export interface Point { x: number; y: number }
export interface Box { x1: number; y1: number; x2: number; y2: number }
export interface RouteNode { id: string; x: number; y: number; /** Half width and half height of its body. */ hw: number; hh: number }
export interface RouteEdge { id: string; source: string; target: string }
/** Interior points of an edge, source side first; an edge without an entry is drawn straight. */
export type Routes = Map<string, Point[]>;

/** Room kept between a routed line and a node's body. */
const CLEARANCE = 8;
/** Distance between parallel arcs in one gap, so two edges never share a line and read as one. */
const LANE_GAP = 7;

const boxOf = (n: RouteNode, pad = 0): Box => ({ x1: n.x - n.hw - pad, y1: n.y - n.hh - pad, x2: n.x + n.hw + pad, y2: n.y + n.hh + pad });

/** Whether segment a-b passes through the open box (Liang-Barsky clipping). */
export function segmentHitsBox(a: Point, b: Point, box: Box): boolean {
  let t0 = 0;
  let t1 = 1;
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const edges: [number, number][] = [[-dx, a.x - box.x1], [dx, box.x2 - a.x], [-dy, a.y - box.y1], [dy, box.y2 - a.y]];
  for (const [p, q] of edges) {
    if (p === 0) {
      if (q <= 0) return false;
      continue;
    }
    const t = q / p;
    if (p < 0) t0 = Math.max(t0, t);
    else t1 = Math.min(t1, t);
    if (t0 >= t1) return false;
  }
  return true;
}

/** Whether a polyline passes through any node's body other than those in `ends`. */
export function pathHitsNodes(path: Point[], nodes: RouteNode[], ends: Set<string>, pad = 0): boolean {
  for (let i = 0; i + 1 < path.length; i++) {
    for (const n of nodes) if (!ends.has(n.id) && segmentHitsBox(path[i]!, path[i + 1]!, boxOf(n, pad))) return true;
  }
  return false;
}

/**
 * A route's points as Cytoscape's `segment-weights` (share of the way from source to target centre) and
 * `segment-distances` (perpendicular offset, positive to the left of source -> target in screen coordinates),
 * measured with `edge-distances: node-position`.
 */
export function segmentStyle(s: Point, t: Point, points: Point[]): { weights: number[]; distances: number[] } {
  const vx = t.x - s.x;
  const vy = t.y - s.y;
  const l2 = vx * vx + vy * vy || 1e-6;
  const l = Math.sqrt(l2);
  const weights: number[] = [];
  const distances: number[] = [];
  for (const p of points) {
    const px = p.x - s.x;
    const py = p.y - s.y;
    weights.push((px * vx + py * vy) / l2);
    distances.push((-px * vy + py * vx) / l);
  }
  return { weights, distances };
}

export interface Ring { radius: number; /** Angles of its nodes, ascending. */ angles: number[] }

const polar = (r: number, a: number): Point => ({ x: r * Math.cos(a), y: r * Math.sin(a) });
const angleOf = (p: Point) => Math.atan2(p.y, p.x);
/** Signed angle from a to b, in (-PI, PI]. */
function turn(a: number, b: number): number {
  let d = (b - a) % (2 * Math.PI);
  if (d <= -Math.PI) d += 2 * Math.PI;
  if (d > Math.PI) d -= 2 * Math.PI;
  return d;
}

/** Points along the arc of radius r from angle a to angle b, the short way, close enough to read as a curve. */
function arc(r: number, a: number, b: number): Point[] {
  const d = turn(a, b);
  const steps = Math.max(1, Math.ceil(Math.abs(d) / Math.min(0.2, 24 / Math.max(r, 1))));
  return Array.from({ length: steps + 1 }, (_, i) => polar(r, a + (d * i) / steps));
}

/** An angle on a ring halfway between two of its nodes, the one nearest `want`: where a route can cross it. */
export function freeAngle(ring: Ring, want: number): number {
  const as = ring.angles;
  if (as.length === 0) return want;
  if (as.length === 1) return Math.abs(turn(as[0]!, want)) > 0.5 ? want : as[0]! + Math.PI;
  let best = want;
  let bestD = Infinity;
  for (let i = 0; i < as.length; i++) {
    const a = as[i]!;
    const next = as[(i + 1) % as.length]! + (i + 1 === as.length ? 2 * Math.PI : 0);
    const mid = (a + next) / 2;
    const d = Math.abs(turn(mid, want));
    if (d < bestD) {
      bestD = d;
      best = mid;
    }
  }
  return best;
}

/**
 * Routes for a ring view (rings centred on the origin, ring k of every node given): an edge whose straight line
 * would pass through another node leaves its inner end outwards into the gap beyond that end's ring, runs round
 * the gap, crosses any ring between its ends halfway between two nodes, and reaches the outer end radially. Each
 * gap holds its arcs in lanes a few pixels apart.
 */
export function routeRings(nodes: RouteNode[], ringOf: Map<string, number>, edges: RouteEdge[]): Routes {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const rings = ringsOf(nodes, ringOf);
  const reach = Math.max(0, ...nodes.map((n) => Math.hypot(n.hw, n.hh))) + CLEARANCE;
  const lanesUsed = new Map<number, number>();
  const routes: Routes = new Map();
  for (const e of edges) {
    const s = byId.get(e.source);
    const t = byId.get(e.target);
    if (!s || !t || s === t) continue;
    if (!pathHitsNodes([s, t], nodes, new Set([s.id, t.id]), CLEARANCE / 2)) continue;
    const [inner, outer] = (ringOf.get(s.id) ?? 0) <= (ringOf.get(t.id) ?? 0) ? [s, t] : [t, s];
    const path = ringPath(inner, outer, ringOf, rings, (k) => laneRadius(rings, k, reach, lanesUsed));
    routes.set(e.id, inner === s ? path : path.reverse());
  }
  return routes;
}

export function ringsOf(nodes: RouteNode[], ringOf: Map<string, number>): Map<number, Ring> {
  const rings = new Map<number, Ring>();
  for (const n of nodes) {
    const k = ringOf.get(n.id) ?? 0;
    const ring = rings.get(k) ?? rings.set(k, { radius: 0, angles: [] }).get(k)!;
    ring.radius = Math.max(ring.radius, Math.hypot(n.x, n.y));
    ring.angles.push(angleOf(n));
  }
  for (const r of rings.values()) r.angles.sort((a, b) => a - b);
  return rings;
}

/** The radius of the next free lane in the gap outside ring k (beyond the outermost ring: as far again). */
function laneRadius(rings: Map<number, Ring>, k: number, reach: number, used: Map<number, number>): number {
  const inner = rings.get(k)?.radius ?? 0;
  const outerRing = [...rings.keys()].filter((j) => j > k).sort((a, b) => a - b)[0];
  const outer = outerRing === undefined ? inner + 2 * reach + 4 * LANE_GAP : rings.get(outerRing)!.radius;
  const band = Math.max(0, outer - inner - 2 * reach);
  const lanes = Math.max(1, Math.floor(band / LANE_GAP) + 1);
  const i = used.get(k) ?? 0;
  used.set(k, i + 1);
  // Lanes fill from the middle of the gap outwards, alternating sides.
  const slot = i % lanes;
  const offset = (slot % 2 ? -1 : 1) * Math.ceil(slot / 2) * LANE_GAP;
  return (inner + outer) / 2 + Math.max(-band / 2, Math.min(band / 2, offset));
}

function ringPath(inner: RouteNode, outer: RouteNode, ringOf: Map<string, number>, rings: Map<number, Ring>, lane: (k: number) => number): Point[] {
  const from = ringOf.get(inner.id) ?? 0;
  const to = ringOf.get(outer.id) ?? 0;
  const goal = angleOf(outer);
  const ks = [...rings.keys()].filter((k) => k >= from && (k < to || (from === to && k === from))).sort((a, b) => a - b);
  // A CI alone at the centre has no angle of its own: its route sets off towards the far end.
  let at = Math.hypot(inner.x, inner.y) < 1 ? goal : angleOf(inner);
  const path: Point[] = [];
  ks.forEach((k, i) => {
    const r = lane(k);
    const next = ks[i + 1];
    const aim = next === undefined ? goal : freeAngle(rings.get(next)!, goal);
    path.push(...arc(r, at, aim));
    at = aim;
  });
  return path;
}
