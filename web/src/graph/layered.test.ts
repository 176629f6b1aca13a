import { describe, expect, it } from 'vitest';
import { generateGraph } from '../bench/generate';
import { countCrossings, layeredLayout, layeredLayoutSliced, signedRanks } from './layered';

describe('layeredLayout', () => {
  it('puts every rank below the previous one', () => {
    const nodes = [
      { id: 'a', rank: 0 }, { id: 'b', rank: 1 }, { id: 'c', rank: 1 }, { id: 'd', rank: 2 },
    ];
    const p = layeredLayout(nodes, [{ source: 'a', target: 'b' }, { source: 'a', target: 'c' }, { source: 'b', target: 'd' }]);
    expect(p.get('a')!.y).toBeLessThan(p.get('b')!.y);
    expect(p.get('b')!.y).toBe(p.get('c')!.y);
    expect(p.get('c')!.y).toBeLessThan(p.get('d')!.y);
  });

  it('untangles two crossed pairs by ordering on the barycenter of neighbours', () => {
    // Keys force the crossed initial order: a1 left of a2, but b2 (a1's child) sorted left of b1.
    const nodes = [
      { id: 'a1', rank: 0, key: '1' }, { id: 'a2', rank: 0, key: '2' },
      { id: 'b2', rank: 1, key: '1' }, { id: 'b1', rank: 1, key: '2' },
    ];
    const edges = [{ source: 'a1', target: 'b1' }, { source: 'a2', target: 'b2' }];
    expect(countCrossings(layeredLayout(nodes, edges, { sweeps: 0 }), edges)).toBe(0);
    expect(countCrossings(layeredLayout(nodes, edges), edges)).toBe(0);
  });

  it('wraps a rank wider than maxPerRow into rows that stay above the next rank', () => {
    const nodes = [...Array.from({ length: 90 }, (_, i) => ({ id: `n${i}`, rank: 0 })), { id: 'z', rank: 1 }];
    const p = layeredLayout(nodes, [], { maxPerRow: 40 });
    const ys = new Set(nodes.slice(0, 90).map((n) => p.get(n.id)!.y));
    expect(ys.size).toBe(3);
    expect(Math.max(...ys)).toBeLessThan(p.get('z')!.y);
  });
});

describe('layeredLayoutSliced', () => {
  it('pauses between slices and lands every node where the one-piece layout puts it', async () => {
    const { elements, ranks } = generateGraph(600, 1500);
    const nodes = elements.filter((e) => e.group === 'nodes').map((e) => ({ id: e.data.id!, rank: ranks.get(e.data.id!)!, key: String(e.data.className) }));
    const edges = elements.filter((e) => e.group === 'edges').map((e) => ({ source: String(e.data.source), target: String(e.data.target) }));
    let pauses = 0;
    const sliced = await layeredLayoutSliced(nodes, edges, {}, { budgetMs: 0, pause: async () => void pauses++ });
    const whole = layeredLayout(nodes, edges);
    expect(pauses).toBeGreaterThan(7 * 9);
    expect(sliced.size).toBe(600);
    for (const [id, p] of whole) expect(sliced.get(id)).toEqual(p);
  });
});

describe('signedRanks', () => {
  it('puts what a CI needs below it and what needs it above', () => {
    const r = signedRanks(['svc', 'app', 'db'], [{ source: 'svc', target: 'app' }, { source: 'app', target: 'db' }], ['app']);
    expect(Object.fromEntries(r)).toEqual({ app: 0, db: 1, svc: -1 });
  });
});

describe('wide ranks', () => {
  it('wraps a 30-node rank into several rows so a fitted view is not a thin strip', () => {
    const nodes = [{ id: 'root', rank: 0 }, ...Array.from({ length: 30 }, (_, i) => ({ id: `n${i}`, rank: 1 }))];
    const edges = nodes.slice(1).map((n) => ({ source: 'root', target: n.id }));
    const pos = layeredLayout(nodes, edges);
    const xs = [...pos.values()].map((p) => p.x);
    const ys = [...pos.values()].map((p) => p.y);
    const width = Math.max(...xs) - Math.min(...xs);
    const height = Math.max(...ys) - Math.min(...ys);
    expect(new Set(nodes.slice(1).map((n) => pos.get(n.id)!.y)).size).toBeGreaterThan(1);
    expect(width / height).toBeLessThan(6);
    // Every node of rank 1 still lies below the root.
    for (const n of nodes.slice(1)) expect(pos.get(n.id)!.y).toBeGreaterThan(pos.get('root')!.y);
  });
});
