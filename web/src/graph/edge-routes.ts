// Routed edges on the Cytoscape graph: a route's points become the edge's segment weights and distances (class
// `routed`, styles.ts), so the line Cytoscape draws is the one the router found; a node the user drags takes its
// edges back to plain curves, since their routes were computed for where it was.
import type { Core } from 'cytoscape';
import { routeRings, segmentStyle, type Point, type Routes } from './routes';

const watched = new WeakSet<Core>();

export function applyRoutes(cy: Core, routes: Routes): void {
  if (!watched.has(cy)) {
    watched.add(cy);
    cy.on('drag', 'node', (ev) => {
      ev.target.connectedEdges('.routed').removeClass('routed');
    });
  }
  cy.batch(() => {
    cy.edges().forEach((e) => {
      const pts = routes.get(e.id());
      if (!pts?.length) {
        e.removeClass('routed');
        return;
      }
      const { weights, distances } = segmentStyle(e.source().position(), e.target().position(), pts);
      e.data({ segW: weights.map((w) => w.toFixed(4)).join(' '), segD: distances.map((d) => d.toFixed(1)).join(' ') });
      e.addClass('routed');
    });
  });
}

/** Routes from the layout worker (per edge, in cy.edges() order) by edge id. */
export function routesByEdge(cy: Core, flat: Float64Array[]): Routes {
  const routes: Routes = new Map();
  cy.edges().forEach((e, i) => {
    const f = flat[i];
    if (!f || f.length < 2) return;
    const pts: Point[] = [];
    for (let k = 0; k + 1 < f.length; k += 2) pts.push({ x: f[k]!, y: f[k + 1]! });
    routes.set(e.id(), pts);
  });
  return routes;
}

/** Routes for the ring view now drawn: rings are the nodes' ranks, centred on the origin as toRings lays them. */
export function ringRoutes(cy: Core, ranks: Map<string, number>): Routes {
  const nodes = cy.nodes().map((n) => ({ id: n.id(), ...n.position(), hw: n.outerWidth() / 2, hh: n.outerHeight() / 2 }));
  const ringOf = new Map(nodes.map((n) => [n.id, Math.abs(ranks.get(n.id) ?? 0)]));
  const edges = cy.edges().map((e) => ({ id: e.id(), source: e.source().id(), target: e.target().id() }));
  return routeRings(nodes, ringOf, edges);
}
