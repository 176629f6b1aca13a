import { describe, expect, it } from 'vitest';
import { pathHitsNodes, routeRings, segmentHitsBox, segmentStyle, type Point, type RouteNode } from './routes';

const node = (id: string, x: number, y: number): RouteNode => ({ id, x, y, hw: 17, hh: 17 });
const onRing = (id: string, r: number, a: number) => node(id, r * Math.cos(a), r * Math.sin(a));

describe('segmentHitsBox', () => {
  const box = { x1: 0, y1: 0, x2: 10, y2: 10 };
  it('sees a line through a box and not one beside it', () => {
    expect(segmentHitsBox({ x: -5, y: 5 }, { x: 15, y: 5 }, box)).toBe(true);
    expect(segmentHitsBox({ x: -5, y: 12 }, { x: 15, y: 12 }, box)).toBe(false);
    expect(segmentHitsBox({ x: -5, y: -5 }, { x: -1, y: 20 }, box)).toBe(false);
  });
});

describe('segmentStyle', () => {
  it('turns absolute points back into the points Cytoscape will draw', () => {
    const s = { x: 10, y: 20 };
    const t = { x: 110, y: 60 };
    const pts: Point[] = [{ x: 30, y: 90 }, { x: 100, y: -10 }];
    const { weights, distances } = segmentStyle(s, t, pts);
    // Cytoscape: point = s + w (t - s) + d * (-(ty - sy), tx - sx) / |t - s|
    const l = Math.hypot(100, 40);
    pts.forEach((p, i) => {
      expect(s.x + weights[i]! * 100 + (distances[i]! * -40) / l).toBeCloseTo(p.x, 6);
      expect(s.y + weights[i]! * 40 + (distances[i]! * 100) / l).toBeCloseTo(p.y, 6);
    });
  });
});

describe('routeRings', () => {
  // Ring 0: the failed CI at the centre; ring 1: four CIs; ring 2: eight.
  const ring1 = [0, 1, 2, 3].map((i) => onRing(`a${i}`, 150, (i * Math.PI) / 2));
  const ring2 = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => onRing(`b${i}`, 300, (i * Math.PI) / 4));
  const nodes = [node('root', 0, 0), ...ring1, ...ring2];
  const ringOf = new Map<string, number>([['root', 0], ...ring1.map((n) => [n.id, 1] as const), ...ring2.map((n) => [n.id, 2] as const)]);
  const pathOf = (routes: Map<string, Point[]>, e: { id: string; source: string; target: string }) => {
    const at = (id: string) => nodes.find((n) => n.id === id)!;
    return [at(e.source), ...(routes.get(e.id) ?? []), at(e.target)];
  };

  it('leaves an edge straight when nothing lies in its way', () => {
    const e = { id: 'e', source: 'a0', target: 'root' };
    expect(routeRings(nodes, ringOf, [e]).has('e')).toBe(false);
  });

  it('takes edges between CIs at the same distance and across rings round the nodes in their way', () => {
    const edges = [
      { id: 'same', source: 'a0', target: 'a2' }, // straight, it would pass through the centre
      { id: 'skip', source: 'root', target: 'b4' }, // straight, it would cross ring 1 at a node
      { id: 'back', source: 'b1', target: 'b5' }, // straight, it would pass through the centre
    ];
    const straightHits = edges.map((e) => pathHitsNodes(pathOf(new Map(), e), nodes, new Set([e.source, e.target])));
    expect(straightHits).toEqual([true, true, true]);
    const routes = routeRings(nodes, ringOf, edges);
    for (const e of edges) {
      expect(routes.has(e.id), e.id).toBe(true);
      expect(pathHitsNodes(pathOf(routes, e), nodes, new Set([e.source, e.target])), e.id).toBe(false);
    }
  });

  it('gives two edges in one gap arcs of different radii', () => {
    const routes = routeRings(nodes, ringOf, [
      { id: 'x', source: 'a0', target: 'a2' },
      { id: 'y', source: 'a1', target: 'a3' },
    ]);
    const radius = (id: string) => Math.round(Math.hypot(routes.get(id)![1]!.x, routes.get(id)![1]!.y));
    expect(radius('x')).not.toBe(radius('y'));
  });
});
