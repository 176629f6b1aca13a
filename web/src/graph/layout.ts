// Runs a layout over the drawn nodes, in the page or in the layout worker by size, so the page never blocks for
// a whole run: cytoscape's own layouts cannot be interrupted and go to the worker beyond WORKER_THRESHOLD nodes;
// the layered layout runs in the page in slices up to LAYERED_WORKER_THRESHOLD. Large graphs get their positions
// in slices too, each of about SLICE_MS with a pause for a paint between them, and are drawn once at the end.
import type { Core, LayoutOptions as CyLayoutOptions, NodeSingular } from 'cytoscape';
import type { LayoutKind, LayoutRequest, LayoutResponse } from '../workers/layout-protocol';
import { tuneForZoom } from './cy';
import { applyRoutes, ringRoutes, routesByEdge } from './edge-routes';
import { fitReadable, refreshLabels } from './labels';
import { layeredLayout, layeredLayoutSliced, toRings, type Positions } from './layered';
import { showRings } from './ring-marks';
import { ringsOf, type Routes } from './routes';

export const WORKER_THRESHOLD = 300;
/**
 * The layered layout is cheap (~50 ms per 1,000 nodes) and runs in slices, so the page keeps it up to here. The
 * worker's start-up and round trip did not pay off even at 5,000 nodes (bench web-graph: 2.5 s to laid out with
 * 0.55 s blocks in the page, 3.4 s with 0.8 s blocks through the worker, which leaves the page idle while cytoscape
 * refines the first paint); beyond the explorer's 2,000-CI subgraphs it may.
 */
export const LAYERED_WORKER_THRESHOLD = 10_000;
/** Above this many nodes, positions land in slices (and one redraw) instead of through a preset layout. */
export const SLICED_NODES = 300;
/** Work per slice: well under the 200 ms budget for a blocked page even on a busy two-core machine. */
export const SLICE_MS = 30;
const FIT_PADDING = 40;

export interface LayoutRun { ms: number; where: 'page' | 'worker'; nodes: number }

let worker: Worker | undefined;
let seq = 0;
const pending = new Map<number, (r: LayoutResponse) => void>();

function layoutWorker(): Worker {
  if (!worker) {
    worker = new Worker(new URL('../workers/layout.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (ev: MessageEvent<LayoutResponse>) => {
      pending.get(ev.data.seq)?.(ev.data);
      pending.delete(ev.data.seq);
    };
  }
  return worker;
}

function request(req: Omit<LayoutRequest, 'seq'>): Promise<LayoutResponse> {
  const w = layoutWorker();
  const s = ++seq;
  return new Promise((resolve) => {
    pending.set(s, resolve);
    w.postMessage({ ...req, seq: s }, [req.edges.buffer]);
  });
}

export interface LayoutOptions {
  kind: LayoutKind;
  /** Rank per node id for 'layered'; nodes without one take rank 0. */
  ranks?: Map<string, number>;
  animate?: boolean;
  /** Force the worker (or the page) regardless of size; the benchmark compares both. */
  where?: 'page' | 'worker';
  fit?: boolean;
  /** Lay each rank around a circle (blast-radius rings) instead of a row. */
  rings?: boolean;
}

const rankKey = (n: NodeSingular) => `${n.data('className') ?? ''}\u0000${n.data('name') ?? ''}`;

/**
 * Resolves on a fresh task, after the browser has had a chance to paint. A MessageChannel rather than
 * setTimeout: hidden tabs throttle timers to one a second, which would stretch a sliced layout to minutes.
 */
export function pauseForPaint(): Promise<void> {
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => {
      ch.port1.close();
      resolve();
    };
    ch.port2.postMessage(null);
  });
}

/** Calls `step(i)` for i in [0, count), pausing for a paint whenever a slice has run SLICE_MS. */
async function inSlices(count: number, step: (i: number) => void): Promise<void> {
  let sliceStart = performance.now();
  for (let i = 0; i < count; i++) {
    step(i);
    if (performance.now() - sliceStart >= SLICE_MS) {
      await pauseForPaint();
      sliceStart = performance.now();
    }
  }
}

/** The zoom cy.fit will choose for these positions, near enough to pick the edges' level of detail first. */
function predictFitZoom(cy: Core, positions: Positions): number {
  let x1 = Infinity;
  let y1 = Infinity;
  let x2 = -Infinity;
  let y2 = -Infinity;
  for (const p of positions.values()) {
    x1 = Math.min(x1, p.x);
    y1 = Math.min(y1, p.y);
    x2 = Math.max(x2, p.x);
    y2 = Math.max(y2, p.y);
  }
  // What cy.fit also counts: labels up to 180 px wide centred on the nodes, a node and its label lines below.
  const w = x2 - x1 + 2 * 90;
  const h = y2 - y1 + 22 + 60;
  const zoom = Math.min((cy.width() - 2 * FIT_PADDING) / w, (cy.height() - 2 * FIT_PADDING) / h);
  return Math.max(cy.minZoom(), Math.min(cy.maxZoom(), zoom));
}

interface RendererQueue { flushRenderedStyleQueue?(): void }

/**
 * Gives a large graph its positions without one long frame. Cytoscape measures whatever moved in the next frame
 * before drawing it (label boxes, edge end points, bounds), and measuring bounds while drawing marks each element
 * changed again, so a preset layout plus fit on 1,000 nodes cost 0.3 s to apply and then two frames of 0.4-0.7 s.
 * Here one batch holds every change back from the renderer while, a few nodes at a time, the nodes move, their
 * and their edges' bounds are measured, and the renderer's queue of changed elements is worked off; the frame
 * after the batch only draws.
 */
async function applyInSlices(cy: Core, positions: Positions, fit: boolean): Promise<void> {
  const renderer = (cy as unknown as { renderer(): RendererQueue | undefined }).renderer();
  const nodes = cy.nodes();
  const perStep = 16;
  cy.startBatch();
  try {
    // Inside the batch, so a change of edge style reaches the renderer with the positions, in the same frame.
    if (fit) tuneForZoom(cy, predictFitZoom(cy, positions));
    await inSlices(Math.ceil(nodes.length / perStep), (i) => {
      const moved = nodes.slice(i * perStep, (i + 1) * perStep);
      moved.forEach((n) => {
        const p = positions.get(n.id());
        if (p) n.position(p);
      });
      moved.union(moved.connectedEdges()).boundingBox();
      renderer?.flushRenderedStyleQueue?.();
    });
  } finally {
    cy.endBatch();
  }
  // Every bound is cached by now, so fitting costs one pass over the elements.
  settleView(cy, fit);
}

/** After a layout: fit (readable labels chosen for the fitted zoom) or only re-choose the labels. */
function settleView(cy: Core, fit: boolean): void {
  if (fit) fitReadable(cy);
  else refreshLabels(cy);
}

/** ELK routes a layered view's edges up to this size; beyond it, its ~1 s per 200 nodes outgrows the 3 s budget. */
export const ELK_MAX_NODES = 300;
export const ELK_MAX_EDGES = 900;

const routedByElk = (cy: Core, opts: LayoutOptions) =>
  opts.kind === 'layered' && !opts.rings && opts.where !== 'page' && cy.nodes().length <= ELK_MAX_NODES && cy.edges().length <= ELK_MAX_EDGES;

interface Placed { positions: Positions; routes?: Routes }

async function inWorker(cy: Core, opts: LayoutOptions, elk: boolean): Promise<Placed> {
  const nodes = cy.nodes();
  const ids = nodes.map((n) => n.id());
  const index = new Map(ids.map((id, i) => [id, i]));
  const edges = cy.edges();
  const pairs = new Uint32Array(edges.length * 2);
  edges.forEach((e, i) => {
    pairs[2 * i] = index.get(e.source().id())!;
    pairs[2 * i + 1] = index.get(e.target().id())!;
  });
  const res = await request({
    kind: opts.kind,
    ids,
    ranks: nodes.map((n) => opts.ranks?.get(n.id()) ?? 0),
    keys: nodes.map(rankKey),
    edges: pairs,
    ...(elk ? { sizes: Float64Array.from(nodes.map((n) => [n.outerWidth(), n.outerHeight()]).flat()) } : {}),
  });
  if (res.error) throw new Error(`layout worker: ${res.error}`);
  const positions = new Map(ids.map((id, i) => [id, { x: res.positions[2 * i]!, y: res.positions[2 * i + 1]! }]));
  return { positions, ...(res.routes ? { routes: routesByEdge(cy, res.routes) } : {}) };
}

async function layeredInPage(cy: Core, opts: LayoutOptions): Promise<Positions> {
  const nodes = cy.nodes();
  const layerNodes = nodes.map((n) => ({ id: n.id(), rank: opts.ranks?.get(n.id()) ?? 0, key: rankKey(n) }));
  const layerEdges = cy.edges().map((e) => ({ source: e.source().id(), target: e.target().id() }));
  return nodes.length > SLICED_NODES
    ? layeredLayoutSliced(layerNodes, layerEdges, {}, { budgetMs: SLICE_MS, pause: pauseForPaint })
    : layeredLayout(layerNodes, layerEdges);
}

async function presetLayout(cy: Core, positions: Positions, animate: boolean): Promise<void> {
  const lay = cy.layout({
    name: 'preset',
    positions: (n: NodeSingular) => positions.get(n.id()) ?? n.position(),
    animate,
    animationDuration: 250,
    fit: false,
  } as CyLayoutOptions);
  const done = new Promise<void>((r) => lay.one('layoutstop', () => r()));
  lay.run();
  await done;
}

export async function runLayout(cy: Core, opts: LayoutOptions): Promise<LayoutRun> {
  const started = performance.now();
  const count = cy.nodes().length;
  const elk = routedByElk(cy, opts);
  const where = elk ? 'worker' : opts.where ?? (count > (opts.kind === 'layered' ? LAYERED_WORKER_THRESHOLD : WORKER_THRESHOLD) ? 'worker' : 'page');
  const run = () => ({ ms: performance.now() - started, where, nodes: count });
  let placed: Placed;
  if (where === 'worker') placed = await inWorker(cy, opts, elk);
  else if (opts.kind === 'layered') placed = { positions: await layeredInPage(cy, opts) };
  else {
    cy.layout({ name: opts.kind, animate: false, fit: false } as CyLayoutOptions).run();
    applyRoutes(cy, new Map());
    settleView(cy, opts.fit ?? true);
    return run();
  }
  if (opts.rings) placed.positions = toRings(placed.positions, opts.ranks ?? new Map());
  showRings(cy, opts.rings ? ringsOf(ringNodes(placed.positions), ringIndex(opts.ranks)) : null);
  if (count > SLICED_NODES) {
    // Nothing is routed at this size (ELK and the ring router stop at ELK_MAX_NODES): edges go back to curves.
    applyRoutes(cy, new Map());
    await applyInSlices(cy, placed.positions, opts.fit ?? true);
    return run();
  }
  await presetLayout(cy, placed.positions, (opts.animate ?? true) && count <= 150);
  applyRoutes(cy, routesFor(cy, opts, placed));
  settleView(cy, opts.fit ?? true);
  return run();
}

/** ELK's routes, or for a ring view the ring router's (computed once the nodes stand where they will be drawn). */
function routesFor(cy: Core, opts: LayoutOptions, placed: Placed): Routes {
  if (opts.rings && cy.nodes().length <= ELK_MAX_NODES) return ringRoutes(cy, opts.ranks ?? new Map());
  return placed.routes ?? new Map();
}

const ringNodes = (positions: Positions) => [...positions].map(([id, p]) => ({ id, ...p, hw: 0, hh: 0 }));
const ringIndex = (ranks: Map<string, number> = new Map()) => new Map([...ranks].map(([id, r]) => [id, Math.abs(r)]));
