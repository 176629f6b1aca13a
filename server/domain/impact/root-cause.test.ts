import { describe, it, expect } from 'vitest';
import { rankRootCauses } from './root-cause.js';
import { ci, needs, service, RULES } from './test-graph.js';
import type { ImpactGraph } from './types.js';

/** Three apps share orders-db on db-host; app-c also uses its own cache. */
function estate(): ImpactGraph {
  return {
    rules: RULES,
    nodes: [
      service('app-a'),
      service('app-b'),
      service('app-c'),
      ci('orders-db', { name: 'Orders DB', className: 'Database' }),
      ci('db-host'),
      ci('cache'),
      ci('cache-host'),
    ],
    edges: [
      needs('app-a', 'orders-db'),
      needs('app-b', 'orders-db'),
      needs('app-c', 'orders-db'),
      needs('app-c', 'cache'),
      needs('orders-db', 'db-host', 'RUNS_ON'),
      needs('cache', 'cache-host', 'RUNS_ON'),
    ],
  };
}

describe('rankRootCauses', () => {
  it('puts the shared database behind three incidents first', () => {
    const ranked = rankRootCauses({
      incidents: [
        { id: 'INC-1', cis: ['app-a'] },
        { id: 'INC-2', cis: ['app-b'] },
        { id: 'INC-3', cis: ['app-c'] },
      ],
      graph: estate(),
    });
    expect(ranked[0]).toEqual({
      ciId: 'orders-db',
      name: 'Orders DB',
      explains: ['INC-1', 'INC-2', 'INC-3'],
      explainedShare: 1,
      impactedCount: 3,
      distance: 1,
    });
    // Its host explains as much but is one step further from the symptoms.
    expect(ranked[1]).toMatchObject({ ciId: 'db-host', explains: ['INC-1', 'INC-2', 'INC-3'], distance: 2 });
  });

  it('keeps candidates that explain a single incident, ranked below shared ones', () => {
    const ranked = rankRootCauses({
      incidents: [
        { id: 'INC-1', cis: ['app-a'] },
        { id: 'INC-3', cis: ['app-c'] },
      ],
      graph: estate(),
    });
    const ids = ranked.map((r) => r.ciId);
    expect(ids.slice(0, 2)).toEqual(['orders-db', 'db-host']);
    expect(ids).toContain('cache');
    expect(ranked.find((r) => r.ciId === 'cache')).toMatchObject({ explains: ['INC-3'], explainedShare: 0.5, impactedCount: 1 });
  });

  it('can name an incident CI itself as the root of the others', () => {
    const ranked = rankRootCauses({
      incidents: [
        { id: 'INC-1', cis: ['app-a'] },
        { id: 'INC-2', cis: ['orders-db'] },
      ],
      graph: estate(),
    });
    expect(ranked[0]).toMatchObject({ ciId: 'orders-db', explains: ['INC-1', 'INC-2'], distance: 1 });
  });

  it('explains an incident only when all of its CIs need the candidate', () => {
    const ranked = rankRootCauses({
      incidents: [
        { id: 'INC-1', cis: ['app-a', 'cache'] },
        { id: 'INC-2', cis: ['app-b'] },
      ],
      graph: estate(),
    });
    const db = ranked.find((r) => r.ciId === 'orders-db');
    expect(db).toMatchObject({ explains: ['INC-2'], impactedCount: 2 });
  });

  it('terminates on cycles and honours the limit', () => {
    const graph: ImpactGraph = {
      rules: RULES,
      nodes: [ci('a'), ci('b'), ci('c')],
      edges: [needs('a', 'b'), needs('b', 'c'), needs('c', 'a')],
    };
    const ranked = rankRootCauses({ incidents: [{ id: 'I', cis: ['a'] }], graph }, { limit: 2 });
    expect(ranked.map((r) => r.ciId)).toEqual(['a', 'b']);
    expect(rankRootCauses({ incidents: [], graph })).toEqual([]);
  });

  it('ignores ownership links when looking for shared causes', () => {
    const graph: ImpactGraph = {
      rules: RULES,
      nodes: [service('x'), service('y'), ci('team')],
      edges: [needs('x', 'team', 'OWNED_BY'), needs('y', 'team', 'OWNED_BY')],
    };
    const ranked = rankRootCauses({ incidents: [{ id: 'I1', cis: ['x'] }, { id: 'I2', cis: ['y'] }], graph });
    expect(ranked.map((r) => r.ciId)).toEqual(['x', 'y']);
  });
});
