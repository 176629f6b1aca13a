import cytoscape, { type Core, type ElementDefinition } from 'cytoscape';
import { describe, expect, it } from 'vitest';
import { DETAIL_ZOOM, HAYSTACK_EDGES, tuneForSize } from './cy';
import { buildStylesheet } from './styles';

/** A headless view (no canvas) with the real stylesheet: a chain of nodes and `edges` RUNS_ON edges. */
function view(edges: number): Core {
  const nodes = Math.ceil(edges / 3) + 1;
  const els: ElementDefinition[] = Array.from({ length: nodes }, (_, i) => ({ group: 'nodes', data: { id: `n${i}`, family: 'software' } }));
  for (let i = 0; i < edges; i++) {
    els.push({ group: 'edges', data: { id: `e${i}`, source: `n${i % nodes}`, target: `n${(i * 7 + 1) % nodes}`, type: 'RUNS_ON' } });
  }
  const cy = cytoscape({ headless: true, styleEnabled: true, style: buildStylesheet(), minZoom: 0.05, maxZoom: 4 });
  cy.add(els);
  return cy;
}

describe('edge detail by zoom', () => {
  it('draws a large graph zoomed far out with plain lines and shows dashes again once zoomed in', () => {
    const cy = view(HAYSTACK_EDGES + 200);
    cy.zoom(DETAIL_ZOOM / 4);
    tuneForSize(cy);
    const e = cy.edges().first();
    expect(e.hasClass('haystack')).toBe(true);
    expect(e.style('line-style')).toBe('solid');
    cy.zoom(DETAIL_ZOOM * 2);
    expect(e.style('line-style')).toBe('dashed');
    cy.zoom(DETAIL_ZOOM / 2);
    expect(cy.edges('.far').length).toBe(cy.edges().length);
  });

  it('keeps every relationship style on a small graph at any zoom', () => {
    const cy = view(60);
    cy.zoom(0.06);
    tuneForSize(cy);
    expect(cy.edges().every((x) => x.style('line-style') === 'dashed')).toBe(true);
  });

  it('gives edges added after a far-out layout the plain style on the next tuning', () => {
    const cy = view(HAYSTACK_EDGES + 10);
    cy.zoom(0.1);
    tuneForSize(cy);
    const added = cy.add({ group: 'edges', data: { id: 'late', source: 'n0', target: 'n2', type: 'RUNS_ON' } });
    tuneForSize(cy);
    expect(added.style('line-style')).toBe('solid');
  });
});
