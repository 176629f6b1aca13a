// Runs a layout over the drawn nodes: in the page for small graphs, in the layout worker beyond
// WORKER_THRESHOLD nodes so the page never blocks for the whole run.
import type { Core, LayoutOptions as CyLayoutOptions, NodeSingular } from 'cytoscape';
import type { LayoutKind, LayoutRequest, LayoutResponse } from '../workers/layout-protocol';
import { layeredLayout, toRings } from './layered';

export const WORKER_THRESHOLD = 300;

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

export async function runLayout(cy: Core, opts: LayoutOptions): Promise<LayoutRun> {
  const started = performance.now();
  const nodes = cy.nodes();
  const ids = nodes.map((n) => n.id());
  const where = opts.where ?? (ids.length > WORKER_THRESHOLD ? 'worker' : 'page');
  let positions: Map<string, { x: number; y: number }>;
  if (where === 'worker') {
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
    });
    if (res.error) throw new Error(`layout worker: ${res.error}`);
    positions = new Map(ids.map((id, i) => [id, { x: res.positions[2 * i]!, y: res.positions[2 * i + 1]! }]));
  } else if (opts.kind === 'layered') {
    positions = layeredLayout(
      nodes.map((n) => ({ id: n.id(), rank: opts.ranks?.get(n.id()) ?? 0, key: rankKey(n) })),
      cy.edges().map((e) => ({ source: e.source().id(), target: e.target().id() })),
    );
  } else {
    cy.layout({ name: opts.kind, animate: false, fit: opts.fit ?? true } as CyLayoutOptions).run();
    return { ms: performance.now() - started, where, nodes: ids.length };
  }
  if (opts.rings) positions = toRings(positions, opts.ranks ?? new Map());
  const animate = (opts.animate ?? true) && ids.length <= 150;
  const lay = cy.layout({
    name: 'preset',
    positions: (n: NodeSingular) => positions.get(n.id()) ?? n.position(),
    animate,
    animationDuration: 250,
    fit: opts.fit ?? true,
    padding: 40,
  } as CyLayoutOptions);
  const done = new Promise<void>((r) => lay.one('layoutstop', () => r()));
  lay.run();
  await done;
  return { ms: performance.now() - started, where, nodes: ids.length };
}
