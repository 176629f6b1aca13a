import { describe, expect, it } from 'vitest';
import { compareImpacted, pageOf } from './page.js';
import { propagateImpact } from './propagate.js';
import { ci, needs, RULES, service } from './test-graph.js';
import type { ImpactGraph } from './types.js';

/** A database under 40 microservices (criticality 1..4) and 12 application services, some only DEGRADED. */
function estate(): ImpactGraph {
  const nodes = [ci('db', { className: 'Database', criticality: 2 }), ci('cache', { className: 'Cache' })];
  const edges = [];
  for (let i = 0; i < 40; i++) {
    const id = `ms-${String(i).padStart(2, '0')}`;
    nodes.push(ci(id, { className: 'Microservice', criticality: (i % 4) + 1 }));
    edges.push(needs(id, i < 30 ? 'db' : 'cache'));
  }
  for (let i = 0; i < 12; i++) {
    const id = `svc-${String(i).padStart(2, '0')}`;
    nodes.push(service(id, { criticality: (i % 3) + 1 }));
    edges.push(needs(id, `ms-${String(i * 3).padStart(2, '0')}`));
  }
  return { rules: RULES, nodes, edges };
}

describe('pageOf', () => {
  const report = propagateImpact(estate(), [
    { id: 'db', state: 'DOWN' },
    { id: 'cache', state: 'DEGRADED' },
  ]);

  it('pages services in report order with totals over all of them, whatever the page', () => {
    const first = pageOf(report.services, 0, 5);
    const second = pageOf(report.services, 5, 5);
    const last = pageOf(report.services, 10, 5);
    expect([...first.items, ...second.items, ...last.items].map((s) => s.id)).toEqual(report.services.map((s) => s.id));
    expect([first.hasNextPage, second.hasNextPage, last.hasNextPage]).toEqual([true, true, false]);
    for (const p of [first, second, last]) {
      expect(p.totalCount).toBe(12);
      expect(p.byState).toEqual([
        { state: 'DOWN', count: 10 },
        { state: 'DEGRADED', count: 2 },
      ]);
    }
  });

  it('orders impacted CIs DOWN first, then by criticality and distance, and counts them per class', () => {
    const ordered = [...report.impacted].sort(compareImpacted);
    const page = pageOf(ordered, 0, 8);
    expect(page.items.every((c) => c.state === 'DOWN')).toBe(true);
    expect(page.items.map((c) => c.criticality)).toEqual([...page.items.map((c) => c.criticality)].sort());
    expect(page.items[0]!.criticality).toBe(1);
    expect(page.byClass).toEqual([
      { className: 'Microservice', count: 40 },
      { className: 'ApplicationService', count: 12 },
      { className: 'Cache', count: 1 },
      { className: 'Database', count: 1 },
    ]);
    expect(page.totalCount).toBe(report.impacted.length);
  });

  it('returns an empty last page past the end rather than failing', () => {
    const p = pageOf(report.services, 500, 10);
    expect(p.items).toEqual([]);
    expect(p.offset).toBe(12);
    expect(p.hasNextPage).toBe(false);
  });
});
