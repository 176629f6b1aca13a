// What Cytoscape drew for edges and nodes, read from the page (rendered coordinates), and the check a user makes
// by eye: does a drawn line pass through a node it does not join?
import type { Page } from 'playwright-core';
import { segmentHitsBox } from '../../web/src/graph/routes';

export interface Pt { x: number; y: number }
export interface Rect { x1: number; y1: number; x2: number; y2: number }
export interface DrawnEdge { id: string; source: string; target: string; path: Pt[] }
export interface DrawnNode { id: string; name: string; box: Rect }

/** Every visible edge as the polyline Cytoscape drew (quadratic curves sampled), and every visible node's body. */
export function drawnGraph(page: Page): Promise<{ edges: DrawnEdge[]; nodes: DrawnNode[] }> {
  return page.evaluate(() => {
    const cy = window.__ripple.cy;
    const edges = cy.edges(':visible').map((e) => {
      const src = e.renderedSourceEndpoint();
      const tgt = e.renderedTargetEndpoint();
      // Asking an edge for the points of a kind it is not drawn as throws, so ask by the kind it was drawn as.
      const kind = (e as unknown as { _private: { rscratch: { edgeType?: string } } })._private.rscratch.edgeType;
      const segs = kind === 'segments' ? e.renderedSegmentPoints() : [];
      const ctrl = kind === 'bezier' || kind === 'multibezier' ? e.renderedControlPoints() : [];
      let path = [src, ...segs, tgt];
      if (!segs.length && ctrl.length) {
        // A bezier: sample it, one quadratic per control point, as Cytoscape draws it.
        const pts = [src, ...ctrl, tgt];
        path = [src];
        for (let i = 1; i + 1 < pts.length; i++) {
          const a = i === 1 ? pts[0]! : { x: (pts[i - 1]!.x + pts[i]!.x) / 2, y: (pts[i - 1]!.y + pts[i]!.y) / 2 };
          const b = i + 2 === pts.length ? pts[i + 1]! : { x: (pts[i]!.x + pts[i + 1]!.x) / 2, y: (pts[i]!.y + pts[i + 1]!.y) / 2 };
          for (let k = 1; k <= 16; k++) {
            const t = k / 16;
            path.push({ x: (1 - t) ** 2 * a.x + 2 * (1 - t) * t * pts[i]!.x + t * t * b.x, y: (1 - t) ** 2 * a.y + 2 * (1 - t) * t * pts[i]!.y + t * t * b.y });
          }
        }
      }
      return { id: e.id(), source: e.source().id(), target: e.target().id(), path };
    });
    const nodes = cy.nodes(':visible').map((n) => ({
      id: n.id(),
      name: String(n.data('name')),
      box: n.renderedBoundingBox({ includeLabels: false, includeOverlays: false, includeEdges: false }),
    }));
    return { edges, nodes };
  });
}

/** Whether segment a-b enters the box shrunk by `inset` px (the geometry is unit-tested in web/src/graph/routes.test.ts). */
function crossesBox(a: Pt, b: Pt, r: Rect, inset: number): boolean {
  return segmentHitsBox(a, b, { x1: r.x1 + inset, y1: r.y1 + inset, x2: r.x2 - inset, y2: r.y2 - inset });
}

/** "edge crosses node" for every drawn edge segment that passes through the body of a node other than its ends. */
export function edgesThroughNodes(g: { edges: DrawnEdge[]; nodes: DrawnNode[] }): string[] {
  const out: string[] = [];
  for (const e of g.edges) {
    for (const n of g.nodes) {
      if (n.id === e.source || n.id === e.target) continue;
      for (let i = 0; i + 1 < e.path.length; i++) {
        if (crossesBox(e.path[i]!, e.path[i + 1]!, n.box, 1)) {
          out.push(`${e.id} crosses ${n.name}`);
          break;
        }
      }
    }
  }
  return out;
}
