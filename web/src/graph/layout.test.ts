import cytoscape, { type ElementDefinition } from 'cytoscape';
import { describe, expect, it } from 'vitest';
import { layeredLayout } from './layered';
import { runLayout, SLICED_NODES } from './layout';

describe('runLayout on a large graph', () => {
  it('moves every node, slice by slice, to its layered position and leaves no batch open', async () => {
    const n = SLICED_NODES + 150;
    const els: ElementDefinition[] = Array.from({ length: n }, (_, i) => ({ group: 'nodes', data: { id: `n${i}`, className: 'Pod', name: `pod-${i}` } }));
    for (let i = 1; i < n; i++) els.push({ group: 'edges', data: { id: `e${i}`, source: `n${Math.floor((i - 1) / 3)}`, target: `n${i}` } });
    const ranks = new Map(Array.from({ length: n }, (_, i) => [`n${i}`, Math.floor(Math.log2(i + 1))]));
    const cy = cytoscape({ headless: true, styleEnabled: true });
    cy.add(els);
    const run = await runLayout(cy, { kind: 'layered', ranks, fit: false });
    expect(run.where).toBe('page');
    const expected = layeredLayout(
      cy.nodes().map((x) => ({ id: x.id(), rank: ranks.get(x.id())!, key: `Pod\u0000${x.data('name') as string}` })),
      cy.edges().map((e) => ({ source: e.source().id(), target: e.target().id() })),
    );
    for (const [id, p] of expected) expect(cy.getElementById(id).position()).toEqual(p);
    expect((cy as unknown as { batching(): boolean }).batching()).toBe(false);
  });
});
