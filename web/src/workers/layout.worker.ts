// Layout off the UI thread: a headless cytoscape instance (built-in layouts) or the direct layered layout,
// positions posted back as a Float64Array so the page keeps painting while a large graph is laid out.
// cytoscape is imported only for the built-in layouts: a layered request then need not wait for the worker to
// load and compile the whole library first.
import type { LayoutOptions } from 'cytoscape';
import { layeredLayout } from '../graph/layered';
import type { LayoutRequest, LayoutResponse } from './layout-protocol';

async function layout(req: LayoutRequest): Promise<Float64Array> {
  const out = new Float64Array(req.ids.length * 2);
  const edges: { source: string; target: string }[] = [];
  for (let i = 0; i + 1 < req.edges.length; i += 2) edges.push({ source: req.ids[req.edges[i]!]!, target: req.ids[req.edges[i + 1]!]! });
  if (req.kind === 'layered') {
    const pos = layeredLayout(
      req.ids.map((id, i) => ({ id, rank: req.ranks?.[i] ?? 0, key: req.keys?.[i] ?? '' })),
      edges,
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
    const positions = await layout(ev.data);
    msg = { seq: ev.data.seq, positions, ms: performance.now() - started };
    (self as unknown as Worker).postMessage(msg, [positions.buffer]);
  } catch (e) {
    msg = { seq: ev.data.seq, positions: new Float64Array(0), ms: performance.now() - started, error: String(e) };
    (self as unknown as Worker).postMessage(msg);
  }
};
