// The rings of a ring view drawn behind the graph: a faint circle per distance and its number ("ring 2"), kept
// in step with pan and zoom. An SVG under Cytoscape's transparent canvas rather than extra graph nodes, so the
// node list, labels and aggregation see only CIs.
import type { Core } from 'cytoscape';
import { freeAngle, type Ring } from './routes';

const SVG = 'http://www.w3.org/2000/svg';
const shown = new WeakMap<Core, { svg: SVGSVGElement; rings: Map<number, Ring> }>();

function svgFor(cy: Core): SVGSVGElement {
  const existing = shown.get(cy)?.svg;
  if (existing) return existing;
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('class', 'ring-marks');
  svg.setAttribute('data-testid', 'ring-marks');
  svg.setAttribute('aria-hidden', 'true');
  cy.container()!.before(svg);
  cy.on('viewport resize', () => draw(cy));
  // A view cleared for another mode leaves no rings behind.
  cy.on('remove', () => {
    if (cy.nodes().empty()) showRings(cy, null);
  });
  return svg;
}

/** Shows these rings (by distance: radius and node angles, origin-centred), or none. */
export function showRings(cy: Core, rings: Map<number, Ring> | null): void {
  // A headless graph (the layout worker, unit tests) has nowhere to draw them.
  if (!cy.container()) return;
  const svg = svgFor(cy);
  shown.set(cy, { svg, rings: rings ?? new Map() });
  draw(cy);
}

function draw(cy: Core): void {
  const state = shown.get(cy);
  if (!state) return;
  const { svg, rings } = state;
  const zoom = cy.zoom();
  const pan = cy.pan();
  const parts: SVGElement[] = [];
  for (const [k, ring] of [...rings].sort((a, b) => a[0] - b[0])) {
    if (ring.radius < 1) continue;
    const r = ring.radius * zoom;
    const circle = document.createElementNS(SVG, 'circle');
    circle.setAttribute('cx', String(pan.x));
    circle.setAttribute('cy', String(pan.y));
    circle.setAttribute('r', String(r));
    parts.push(circle);
    // The number sits on its ring between two CIs, as near the top as it can.
    const a = freeAngle(ring, -Math.PI / 2);
    const text = document.createElementNS(SVG, 'text');
    text.setAttribute('x', String(pan.x + r * Math.cos(a)));
    text.setAttribute('y', String(pan.y + r * Math.sin(a) + 4));
    text.setAttribute('data-ring', String(k));
    text.textContent = `ring ${k}`;
    parts.push(text);
  }
  svg.replaceChildren(...parts);
}
