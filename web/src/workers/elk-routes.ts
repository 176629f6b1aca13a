// ELK's layered algorithm over rows the page's own layered layout chose: ELK keeps those rows as its layers
// (interactive layering by y), orders each row to cut crossings, places the nodes and routes every edge
// orthogonally between them, so no drawn edge passes through a node it does not join. Runs in the layout worker:
// ELK blocks for ~1 s per 200 nodes on this hardware (design/web-performance.md).
import type { ELK as ElkApi, ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';

/** Room under a node's body for its label (three lines at the opening zoom), kept clear of edges. */
export const LABEL_ROOM = 36;
/**
 * Width of a node's box. Narrower than a long label: a wider box made the view so wide that the fitted zoom left
 * room for fewer labels (labels.ts shows the rest on hover).
 */
export const LABEL_WIDTH = 110;
/** How far a route's end stands off a node's body: Cytoscape finds no end on a line that starts on the border. */
const STUB = 8;

export interface ElkIn {
  ids: string[];
  /** Body width and height per node, in ids' order. */
  sizes: Float64Array;
  /** Positions the layered layout chose: x, y per node. Their rows become ELK's layers. */
  positions: Float64Array;
  /** Pairs of indices into ids: source, target. */
  edges: Uint32Array;
}

export interface ElkOut {
  /** Body centre per node: x, y. */
  positions: Float64Array;
  /** Per edge: the route's points, x, y flattened, from the edge's source side. */
  routes: Float64Array[];
}

let elk: ElkApi | undefined;

async function loadElk(): Promise<ElkApi> {
  if (elk) return elk;
  // The bundled build takes over self.onmessage when it sees no document, which would cut this worker off from
  // the page; a stand-in document for the moment it loads avoids that.
  const g = self as unknown as { document?: unknown };
  const had = 'document' in g;
  if (!had) g.document = {};
  try {
    const { default: ELK } = await import('elkjs/lib/elk.bundled.js');
    elk = new ELK();
  } finally {
    if (!had) delete g.document;
  }
  return elk;
}

const LAYOUT = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.layered.layering.strategy': 'INTERACTIVE',
  'elk.layered.cycleBreaking.strategy': 'INTERACTIVE',
  'elk.spacing.nodeNode': '24',
  'elk.layered.spacing.nodeNodeBetweenLayers': '28',
  'elk.spacing.edgeNode': '14',
  'elk.spacing.edgeEdge': '8',
  'elk.layered.spacing.edgeNodeBetweenLayers': '14',
  'elk.layered.spacing.edgeEdgeBetweenLayers': '8',
  'elk.separateConnectedComponents': 'false',
  // The most compact of ELK's placements for these views: 20 % narrower than Brandes-Koepf on a database's dependents.
  'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
};

function graphOf(req: ElkIn): { graph: ElkNode; flipped: boolean[] } {
  const box = (i: number) => ({ w: Math.max(req.sizes[2 * i]!, LABEL_WIDTH), h: req.sizes[2 * i + 1]! + LABEL_ROOM });
  const children: ElkNode[] = req.ids.map((id, i) => {
    const { w, h } = box(i);
    return {
      id,
      x: req.positions[2 * i]! - w / 2,
      y: req.positions[2 * i + 1]!,
      width: w,
      height: h,
      // Edges leave below the label and arrive at the top of the body, at its centre line.
      layoutOptions: { 'elk.portConstraints': 'FIXED_POS' },
      ports: [
        { id: `${id}\u0000in`, x: w / 2, y: 0, width: 0, height: 0, layoutOptions: { 'elk.port.side': 'NORTH' } },
        { id: `${id}\u0000out`, x: w / 2, y: h, width: 0, height: 0, layoutOptions: { 'elk.port.side': 'SOUTH' } },
      ],
    };
  });
  const flipped: boolean[] = [];
  const edges: ElkExtendedEdge[] = [];
  for (let k = 0; k + 1 < req.edges.length; k += 2) {
    const s = req.edges[k]!;
    const t = req.edges[k + 1]!;
    // ELK would move the target of an edge within a row down a layer, out of its distance: routed after (sideways).
    if (sameRow(req, s, t)) continue;
    // ELK draws every edge downwards; one that points up the page is laid out reversed and turned back after.
    const flip = req.positions[2 * s + 1]! > req.positions[2 * t + 1]!;
    flipped.push(flip);
    const [a, b] = flip ? [t, s] : [s, t];
    edges.push({ id: `e${k / 2}`, sources: [`${req.ids[a]!}\u0000out`], targets: [`${req.ids[b]!}\u0000in`] });
  }
  return { graph: { id: 'root', layoutOptions: LAYOUT, children, edges }, flipped };
}

const sameRow = (req: ElkIn, s: number, t: number) => req.positions[2 * s + 1] === req.positions[2 * t + 1];

export async function elkLayered(req: ElkIn): Promise<ElkOut> {
  const { graph, flipped } = graphOf(req);
  const out = await (await loadElk()).layout(graph);
  const positions = new Float64Array(req.ids.length * 2);
  const index = new Map(req.ids.map((id, i) => [id, i]));
  for (const c of out.children ?? []) {
    const i = index.get(c.id)!;
    positions[2 * i] = c.x! + c.width! / 2;
    positions[2 * i + 1] = c.y! + req.sizes[2 * i + 1]! / 2;
  }
  const byId = new Map((out.edges ?? []).map((e) => [e.id, e]));
  const routes: Float64Array[] = [];
  for (let k = 0; 2 * k + 1 < req.edges.length; k++) {
    const s = req.edges[2 * k]!;
    const t = req.edges[2 * k + 1]!;
    const e = byId.get(`e${k}`);
    const pts = e ? (e.sections ?? []).flatMap((x) => [x.startPoint, ...(x.bendPoints ?? []), x.endPoint]) : rowRoute(req, positions, s, t);
    if (e && flipped[k]) pts.reverse();
    if (e && pts.length) {
      standOff(pts[0]!, s, positions, req.sizes);
      standOff(pts[pts.length - 1]!, t, positions, req.sizes);
    }
    routes.push(Float64Array.from(pts.flatMap((p) => [p.x, p.y])));
  }
  return { positions, routes };
}

/**
 * An edge between two CIs of one row: down from the source below its label, along the gap under the row, up
 * beside the target's box (in the spacing between it and its neighbour) and into the target's side.
 */
function rowRoute(req: ElkIn, positions: Float64Array, s: number, t: number): { x: number; y: number }[] {
  const bodyH = (i: number) => req.sizes[2 * i + 1]!;
  const boxW = (i: number) => Math.max(req.sizes[2 * i]!, LABEL_WIDTH);
  const [sx, sy, tx, ty] = [positions[2 * s]!, positions[2 * s + 1]!, positions[2 * t]!, positions[2 * t + 1]!];
  let under = -Infinity;
  for (let i = 0; i < req.ids.length; i++) {
    if (req.positions[2 * i + 1] === req.positions[2 * s + 1]) under = Math.max(under, positions[2 * i + 1]! + bodyH(i) / 2 + LABEL_ROOM);
  }
  under += 8;
  const side = tx >= sx ? -1 : 1;
  const beside = tx + side * (boxW(t) / 2 + 10);
  return [{ x: sx, y: sy + bodyH(s) / 2 + LABEL_ROOM }, { x: sx, y: under }, { x: beside, y: under }, { x: beside, y: ty }, { x: tx + side * (req.sizes[2 * t]! / 2 + STUB), y: ty }];
}

/** Moves a route's end that lies on (or in) node i's body out by STUB, straight up or down. */
function standOff(p: { x: number; y: number }, i: number, positions: Float64Array, sizes: Float64Array): void {
  const cy = positions[2 * i + 1]!;
  const hh = sizes[2 * i + 1]! / 2;
  if (Math.abs(p.y - cy) <= hh + 1 && Math.abs(p.x - positions[2 * i]!) <= sizes[2 * i]! / 2 + 1) p.y = cy + Math.sign(p.y - cy || -1) * (hh + STUB);
}
