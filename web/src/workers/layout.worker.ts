// Layout off the UI thread: a headless cytoscape instance (built-in layouts) or the direct layered layout (then,
// asked to, ELK over its rows for edge routes), positions posted back as a Float64Array so the page keeps painting while a large graph is laid out.
// cytoscape is imported only for the built-in layouts: a layered request then need not wait for the worker to
// load and compile the whole library first.
import type { LayoutOptions } from 'cytoscape';
import { layeredLayout } from '../graph/layered';
import { elkLayered } from './elk-routes';
import type { LayoutRequest, LayoutResponse } from './layout-protocol';

async function layout(req: LayoutRequest): Promise<{ positions: Float64Array; routes?: Float64Array[] }> {
  const positions = await place(req);
  if (req.kind !== 'layered' || !req.sizes) return { positions };
  try {
    return await elkLayered({ ids: req.ids, sizes: req.sizes, positions: positions.slice(), edges: req.edges });
  } catch {
    // A view without routes (edges drawn as curves) still beats no view.
    return { positions };
  }
}

async function place(req: LayoutRequest): Promise<Float64Array> {
  const out = new Float64Array(req.ids.length * 2);
  const edges: { source: string; target: string }[] = [];
  for (let i = 0; i + 1 < req.edges.length; i += 2) edges.push({ source: req.ids[req.edges[i]!]!, target: req.ids[req.edges[i + 1]!]! });
  if (req.kind === 'layered') {
    const pos = layeredLayout(
      req.ids.map((id, i) => ({ id, rank: req.ranks?.[i] ?? 0, key: req.keys?.[i] ?? '' })),
      edges,
      // Rows for ELK are narrower: every edge that passes a row widens it by a lane, so wide rows made wide views.
      req.sizes ? { maxPerRow: Math.max(4, Math.ceil(Math.sqrt(req.ids.length))) } : {},
    );
    req.ids.forEach((id, i) => {
      const p = pos.get(id)!;
      out[2 * i] = p.x;
      out[2 * i + 1] = p.y;
    });
    return out;
  }
  const { default: cytoscape } = await import('cytoscape');
  const cy = cytoscape({ headless: true, styleEnabled: false });
  cy.add([
    ...req.ids.map((id) => ({ group: 'nodes' as const, data: { id } })),
    ...edges.map((e, i) => ({ group: 'edges' as const, data: { id: `e${i}`, source: e.source, target: e.target } })),
  ]);
  cy.layout({ name: req.kind, animate: false, ...(req.kind === 'cose' ? { randomize: true, numIter: 500 } : {}) } as LayoutOptions).run();
  req.ids.forEach((id, i) => {
    const p = cy.getElementById(id).position();
    out[2 * i] = p.x;
    out[2 * i + 1] = p.y;
  });
  cy.destroy();
  return out;
}

self.onmessage = async (ev: MessageEvent<LayoutRequest>) => {
  const started = performance.now();
  let msg: LayoutResponse;
  try {
    const { positions, routes } = await layout(ev.data);
    msg = { seq: ev.data.seq, positions, routes, ms: performance.now() - started };
    (self as unknown as Worker).postMessage(msg, [positions.buffer, ...(routes ?? []).map((r) => r.buffer)]);
  } catch (e) {
    msg = { seq: ev.data.seq, positions: new Float64Array(0), ms: performance.now() - started, error: String(e) };
    (self as unknown as Worker).postMessage(msg);
  }
};
