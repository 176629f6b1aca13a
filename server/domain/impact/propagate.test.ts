import { describe, it, expect } from 'vitest';
import { propagateImpact } from './propagate.js';
import { ci, entry, members, needs, service, stateOf, RULES } from './test-graph.js';
import type { ImpactEdge, ImpactGraph, ImpactNode } from './types.js';

/** checkout -> orders-db -> db-cluster (atLeast:2 of db-1..db-3) */
function databaseCluster(): ImpactGraph {
  return {
    rules: RULES,
    nodes: [
      service('checkout', { criticality: 1, serviceKind: 'business', ownerTeams: ['payments'] }),
      ci('orders-db', { className: 'Database' }),
      ci('db-cluster', { className: 'DatabaseCluster', redundancy: { kind: 'atLeast', k: 2 } }),
      ci('db-1'),
      ci('db-2'),
      ci('db-3'),
    ],
    edges: [needs('checkout', 'orders-db'), needs('orders-db', 'db-cluster', 'RUNS_ON'), ...members('db-cluster', ['db-1', 'db-2', 'db-3'])],
  };
}

describe('propagateImpact: redundancy', () => {
  it('keeps the service DEGRADED, not DOWN, when 1 of 3 nodes of an atLeast:2 cluster fails', () => {
    const report = propagateImpact(databaseCluster(), [{ id: 'db-1', state: 'DOWN' }]);
    expect(stateOf(report, 'db-cluster')).toBe('DEGRADED');
    expect(stateOf(report, 'orders-db')).toBe('DEGRADED');
    expect(stateOf(report, 'checkout')).toBe('DEGRADED');
    expect(entry(report, 'checkout').redundancyNotes).toEqual(['db-cluster lost 1 of 3 members (atLeast:2 still holds)']);
    expect(report.groups).toEqual([
      { id: 'db-cluster', name: 'db-cluster', rule: { kind: 'atLeast', k: 2 }, total: 3, lost: 1, degraded: 0, holds: true, state: 'DEGRADED' },
    ]);
  });

  it('takes the service DOWN when 2 of 3 nodes of an atLeast:2 cluster fail', () => {
    const report = propagateImpact(databaseCluster(), [
      { id: 'db-1', state: 'DOWN' },
      { id: 'db-2', state: 'DOWN' },
    ]);
    expect(stateOf(report, 'db-cluster')).toBe('DOWN');
    expect(stateOf(report, 'checkout')).toBe('DOWN');
    expect(entry(report, 'checkout').redundancyNotes).toEqual(['db-cluster lost 2 of 3 members (atLeast:2 not met)']);
    expect(entry(report, 'checkout').paths).toEqual([
      ['checkout', 'orders-db', 'db-cluster', 'db-1'],
      ['checkout', 'orders-db', 'db-cluster', 'db-2'],
    ]);
    expect(report.groups[0]).toMatchObject({ lost: 2, holds: false, state: 'DOWN' });
  });

  it('keeps an any-member web pool serving until its last member fails', () => {
    const graph: ImpactGraph = {
      rules: RULES,
      nodes: [service('shop'), ci('web-pool', { redundancy: { kind: 'any' } }), ci('w1'), ci('w2'), ci('w3')],
      edges: [needs('shop', 'web-pool'), ...members('web-pool', ['w1', 'w2', 'w3'])],
    };
    expect(stateOf(propagateImpact(graph, ['w1', 'w2']), 'shop')).toBe('DEGRADED');
    expect(stateOf(propagateImpact(graph, ['w1', 'w2', 'w3']), 'shop')).toBe('DOWN');
  });

  it('keeps a percent:50 pool serving with half its members and drops it below half', () => {
    const graph: ImpactGraph = {
      rules: RULES,
      nodes: [service('api'), ci('pool', { redundancy: { kind: 'percent', p: 50 } }), ci('p1'), ci('p2'), ci('p3'), ci('p4')],
      edges: [needs('api', 'pool'), ...members('pool', ['p1', 'p2', 'p3', 'p4'])],
    };
    expect(stateOf(propagateImpact(graph, ['p1', 'p2']), 'api')).toBe('DEGRADED');
    expect(stateOf(propagateImpact(graph, ['p1', 'p2', 'p3']), 'api')).toBe('DOWN');
  });

  it('treats a group without a rule as needing all members', () => {
    const graph: ImpactGraph = {
      rules: RULES,
      nodes: [service('app'), ci('pair'), ci('a'), ci('b')],
      edges: [needs('app', 'pair'), ...members('pair', ['a', 'b'])],
    };
    const report = propagateImpact(graph, ['a']);
    expect(stateOf(report, 'app')).toBe('DOWN');
    expect(entry(report, 'app').redundancyNotes).toEqual(['pair lost 1 of 2 members (all not met)']);
  });

  it('counts a DEGRADED member as up, so a strict cluster only degrades', () => {
    const graph: ImpactGraph = {
      rules: RULES,
      nodes: [service('app'), ci('cluster', { redundancy: { kind: 'atLeast', k: 3 } }), ci('n1'), ci('n2'), ci('n3')],
      edges: [needs('app', 'cluster'), ...members('cluster', ['n1', 'n2', 'n3'])],
    };
    const report = propagateImpact(graph, [{ id: 'n1', state: 'DEGRADED' }]);
    expect(stateOf(report, 'cluster')).toBe('DEGRADED');
    expect(stateOf(report, 'app')).toBe('DEGRADED');
    expect(entry(report, 'app').redundancyNotes).toEqual(['cluster has 1 of 3 members degraded (atLeast:3 still holds)']);
  });

  it('applies the rules of a cluster of pools level by level', () => {
    // region (any of two pools) -> pool-a / pool-b (atLeast:2 of three nodes each)
    const graph: ImpactGraph = {
      rules: RULES,
      nodes: [
        service('search', { serviceKind: 'technical' }),
        ci('region', { redundancy: { kind: 'any' } }),
        ci('pool-a', { redundancy: { kind: 'atLeast', k: 2 } }),
        ci('pool-b', { redundancy: { kind: 'atLeast', k: 2 } }),
        ...['a1', 'a2', 'a3', 'b1', 'b2', 'b3'].map((id) => ci(id)),
      ],
      edges: [
        needs('search', 'region'),
        ...members('region', ['pool-a', 'pool-b']),
        ...members('pool-a', ['a1', 'a2', 'a3']),
        ...members('pool-b', ['b1', 'b2', 'b3']),
      ],
    };
    const oneNode = propagateImpact(graph, ['a1']);
    expect([stateOf(oneNode, 'pool-a'), stateOf(oneNode, 'region'), stateOf(oneNode, 'search')]).toEqual(['DEGRADED', 'DEGRADED', 'DEGRADED']);

    const onePool = propagateImpact(graph, ['a1', 'a2', 'b1']);
    expect(stateOf(onePool, 'pool-a')).toBe('DOWN');
    expect(stateOf(onePool, 'pool-b')).toBe('DEGRADED');
    expect(stateOf(onePool, 'region')).toBe('DEGRADED');
    expect(stateOf(onePool, 'search')).toBe('DEGRADED');
    expect(entry(onePool, 'search').redundancyNotes).toContain('region lost 1 of 2 members, 1 degraded (any still holds)');

    const bothPools = propagateImpact(graph, ['a1', 'a2', 'b1', 'b2']);
    expect(stateOf(bothPools, 'region')).toBe('DOWN');
    expect(stateOf(bothPools, 'search')).toBe('DOWN');
    expect(entry(bothPools, 'search').distance).toBe(3);
  });

  it('lets an ordinary need of a group take it down even when its members hold', () => {
    const graph: ImpactGraph = {
      rules: RULES,
      nodes: [service('app'), ci('cluster', { redundancy: { kind: 'any' } }), ci('n1'), ci('n2'), ci('san')],
      edges: [needs('app', 'cluster'), ...members('cluster', ['n1', 'n2']), needs('cluster', 'san', 'CONNECTS_TO')],
    };
    expect(stateOf(propagateImpact(graph, ['san']), 'app')).toBe('DOWN');
    expect(stateOf(propagateImpact(graph, ['n1']), 'app')).toBe('DEGRADED');
  });
});

describe('propagateImpact: states and explanations', () => {
  it('reports the failed CIs themselves at distance 0 with their own one-step path', () => {
    const graph: ImpactGraph = { rules: RULES, nodes: [service('app'), ci('host')], edges: [needs('app', 'host', 'RUNS_ON')] };
    const report = propagateImpact(graph, [{ id: 'host', state: 'DOWN' }]);
    expect(entry(report, 'host')).toMatchObject({ failed: true, distance: 0, paths: [['host']], state: 'DOWN', lowConfidence: false });
    expect(entry(report, 'app')).toMatchObject({ failed: false, distance: 1, paths: [['app', 'host']], state: 'DOWN' });
  });

  it('makes dependents DEGRADED, not DOWN, when the failed CI is only DEGRADED', () => {
    const graph: ImpactGraph = {
      rules: RULES,
      nodes: [service('app'), ci('vm'), ci('host')],
      edges: [needs('app', 'vm', 'RUNS_ON'), needs('vm', 'host', 'HOSTED_ON')],
    };
    const report = propagateImpact(graph, [{ id: 'host', state: 'DEGRADED' }]);
    expect(report.impacted.map((c) => [c.id, c.state])).toEqual([
      ['host', 'DEGRADED'],
      ['vm', 'DEGRADED'],
      ['app', 'DEGRADED'],
    ]);
  });

  it('shows a degraded CI as DOWN when something it needs is down too', () => {
    const graph: ImpactGraph = { rules: RULES, nodes: [service('app'), ci('db')], edges: [needs('app', 'db')] };
    const report = propagateImpact(graph, [
      { id: 'app', state: 'DEGRADED' },
      { id: 'db', state: 'DOWN' },
    ]);
    expect(entry(report, 'app')).toMatchObject({ state: 'DOWN', failed: true, distance: 0 });
  });

  it('explains a DOWN service by its DOWN dependency, not by a nearer degraded one', () => {
    const graph: ImpactGraph = {
      rules: RULES,
      nodes: [service('app'), ci('cache'), ci('db'), ci('disk')],
      edges: [needs('app', 'cache'), needs('app', 'db'), needs('db', 'disk')],
    };
    const report = propagateImpact(graph, [
      { id: 'cache', state: 'DEGRADED' },
      { id: 'disk', state: 'DOWN' },
    ]);
    expect(entry(report, 'app')).toMatchObject({ state: 'DOWN', distance: 2, paths: [['app', 'db', 'disk']] });
  });

  it('terminates on a dependency cycle and takes the whole cycle down', () => {
    const graph: ImpactGraph = {
      rules: RULES,
      nodes: [ci('a'), ci('b'), ci('c'), ci('f'), ci('x'), ci('y')],
      edges: [needs('a', 'b'), needs('b', 'c'), needs('c', 'a'), needs('c', 'f'), needs('x', 'y'), needs('y', 'x')],
    };
    const report = propagateImpact(graph, ['f']);
    expect(report.impacted.map((c) => [c.id, c.state, c.distance])).toEqual([
      ['f', 'DOWN', 0],
      ['c', 'DOWN', 1],
      ['b', 'DOWN', 2],
      ['a', 'DOWN', 3],
    ]);
    expect(entry(report, 'a').paths).toEqual([['a', 'b', 'c', 'f']]);
  });

  it('keeps a member that needs its own group DEGRADED, not DOWN, in a redundancy cycle', () => {
    // m2 needs the group it belongs to: DEGRADED feeds back but never escalates on its own.
    const graph: ImpactGraph = {
      rules: RULES,
      nodes: [ci('group', { redundancy: { kind: 'any' } }), ci('m1'), ci('m2')],
      edges: [...members('group', ['m1', 'm2']), needs('m2', 'group')],
    };
    const report = propagateImpact(graph, ['m1']);
    expect(stateOf(report, 'group')).toBe('DEGRADED');
    expect(stateOf(report, 'm2')).toBe('DEGRADED');
    expect(entry(report, 'm2').paths).toEqual([['m2', 'group', 'm1']]);
  });

  it('counts a service behind a diamond once and offers both paths', () => {
    const graph: ImpactGraph = {
      rules: RULES,
      nodes: [service('app'), ci('lb-a'), ci('lb-b'), ci('db')],
      edges: [needs('app', 'lb-a'), needs('app', 'lb-b'), needs('lb-a', 'db'), needs('lb-b', 'db')],
    };
    const report = propagateImpact(graph, ['db']);
    expect(report.impacted.filter((c) => c.id === 'app')).toHaveLength(1);
    expect(report.services).toHaveLength(1);
    expect(entry(report, 'app')).toMatchObject({
      distance: 2,
      paths: [
        ['app', 'lb-a', 'db'],
        ['app', 'lb-b', 'db'],
      ],
    });
  });

  it('keeps only the requested number of shortest paths', () => {
    const mids = ['m1', 'm2', 'm3', 'm4', 'm5'];
    const graph: ImpactGraph = {
      rules: RULES,
      nodes: [service('app'), ci('far'), ci('db'), ...mids.map((m) => ci(m))],
      edges: [...mids.flatMap((m) => [needs('app', m), needs(m, 'db')]), needs('app', 'far'), needs('far', 'm1')],
    };
    expect(entry(propagateImpact(graph, ['db']), 'app').paths).toEqual([
      ['app', 'm1', 'db'],
      ['app', 'm2', 'db'],
      ['app', 'm3', 'db'],
    ]);
    expect(entry(propagateImpact(graph, ['db'], { maxPaths: 1 }), 'app').paths).toEqual([['app', 'm1', 'db']]);
    expect(entry(propagateImpact(graph, ['db'], { maxPaths: 0 }), 'app').paths).toEqual([]);
  });

  it('ignores relationships that never carry impact, such as ownership', () => {
    const graph: ImpactGraph = {
      rules: RULES,
      nodes: [service('app'), ci('team-node'), ci('db')],
      edges: [needs('app', 'team-node', 'OWNED_BY'), needs('team-node', 'db')],
    };
    const report = propagateImpact(graph, ['db']);
    expect(report.impacted.map((c) => c.id)).toEqual(['db', 'team-node']);
  });

  it('follows the rules it is given, not a list of its own: a type the class model makes impacting carries impact', () => {
    // As if classes.yaml declared FEEDS impacting and POOLS a membership type, and made RUNS_ON not impacting.
    const rules = { impacting: new Set(['FEEDS', 'POOLS', 'DEPENDS_ON']), membership: new Set(['POOLS']) };
    const graph: ImpactGraph = {
      rules,
      nodes: [service('report'), ci('etl'), ci('pool', { redundancy: { kind: 'any' } }), ci('w1'), ci('w2'), ci('app'), ci('host')],
      edges: [needs('report', 'etl', 'FEEDS'), needs('etl', 'pool'), ...['w1', 'w2'].map((w) => needs('pool', w, 'POOLS')), needs('app', 'host', 'RUNS_ON')],
    };
    const report = propagateImpact(graph, ['w1', 'host']);
    expect(stateOf(report, 'pool')).toBe('DEGRADED');
    expect(stateOf(report, 'report')).toBe('DEGRADED');
    expect(report.groups.map((g) => [g.id, g.total, g.lost, g.holds])).toEqual([['pool', 2, 1, true]]);
    expect(stateOf(report, 'app')).toBe('OK');
  });

  it('reports nothing but the failure when nothing needs it, and survives unknown ids', () => {
    const report = propagateImpact({ rules: RULES, nodes: [ci('lonely')], edges: [] }, ['ghost']);
    expect(report.impacted).toEqual([
      expect.objectContaining({ id: 'ghost', name: 'ghost', failed: true, state: 'DOWN', distance: 0 }),
    ]);
    expect(report.services).toEqual([]);
    expect(report.teams).toEqual([]);
  });
});

describe('propagateImpact: confidence', () => {
  it('flags a service reached only through a stale VM as low-confidence and names the VM', () => {
    const graph: ImpactGraph = {
      rules: RULES,
      nodes: [service('billing'), ci('vm-7', { stale: true }), ci('host')],
      edges: [needs('billing', 'vm-7', 'RUNS_ON'), needs('vm-7', 'host', 'HOSTED_ON')],
    };
    const report = propagateImpact(graph, ['host']);
    expect(entry(report, 'billing')).toMatchObject({ state: 'DOWN', lowConfidence: true, staleVia: ['vm-7'] });
    expect(entry(report, 'host')).toMatchObject({ lowConfidence: false, staleVia: [] });
  });

  it('trusts a service with at least one fresh path, even a longer one', () => {
    const graph: ImpactGraph = {
      rules: RULES,
      nodes: [service('billing'), ci('vm-old', { stale: true }), ci('vm-new'), ci('lb'), ci('host')],
      edges: [
        needs('billing', 'vm-old', 'RUNS_ON'),
        needs('billing', 'lb'),
        needs('lb', 'vm-new'),
        needs('vm-old', 'host', 'HOSTED_ON'),
        needs('vm-new', 'host', 'HOSTED_ON'),
      ],
    };
    const report = propagateImpact(graph, ['host']);
    expect(entry(report, 'billing')).toMatchObject({ lowConfidence: false, staleVia: [], paths: [['billing', 'vm-old', 'host']] });
  });

  it('still propagates over a relationship the source stopped reporting, and names it', () => {
    const graph: ImpactGraph = {
      rules: RULES,
      nodes: [service('reports'), ci('warehouse')],
      edges: [needs('reports', 'warehouse', 'DEPENDS_ON', { absent: true })],
    };
    const report = propagateImpact(graph, ['warehouse']);
    expect(entry(report, 'reports')).toMatchObject({ state: 'DOWN', lowConfidence: true, staleVia: ['reports->warehouse'] });
  });

  it('trusts a link that one source still reports even if another dropped it', () => {
    const graph: ImpactGraph = {
      rules: RULES,
      nodes: [service('reports'), ci('warehouse')],
      edges: [needs('reports', 'warehouse', 'DEPENDS_ON', { absent: true }), needs('reports', 'warehouse', 'CONNECTS_TO')],
    };
    expect(entry(propagateImpact(graph, ['warehouse']), 'reports').lowConfidence).toBe(false);
  });

  it('carries low confidence up the chain above a stale CI', () => {
    const graph: ImpactGraph = {
      rules: RULES,
      nodes: [service('portal', { serviceKind: 'business' }), service('api'), ci('pod', { stale: true }), ci('node')],
      edges: [needs('portal', 'api'), needs('api', 'pod', 'RUNS_ON'), needs('pod', 'node', 'HOSTED_ON')],
    };
    const report = propagateImpact(graph, ['node']);
    expect(entry(report, 'portal')).toMatchObject({ lowConfidence: true, staleVia: ['pod'] });
  });
});

describe('propagateImpact: services and teams', () => {
  it('lists services DOWN first, then by criticality, kind, distance and name', () => {
    const graph: ImpactGraph = {
      rules: RULES,
      nodes: [
        ci('db'),
        ci('cache'),
        service('tech-1', { criticality: 1, serviceKind: 'technical' }),
        service('biz-1', { criticality: 1, serviceKind: 'business' }),
        service('app-1', { criticality: 1, serviceKind: 'application' }),
        service('biz-2-far', { criticality: 2, serviceKind: 'business' }),
        service('biz-2-near', { criticality: 2, serviceKind: 'business' }),
        service('z-biz-2', { name: 'Alpha', criticality: 2, serviceKind: 'business' }),
        service('degraded-1', { criticality: 1, serviceKind: 'business' }),
      ],
      edges: [
        needs('tech-1', 'db'),
        needs('biz-1', 'db'),
        needs('app-1', 'db'),
        needs('biz-2-far', 'app-1'),
        needs('biz-2-near', 'db'),
        needs('z-biz-2', 'db'),
        needs('degraded-1', 'cache'),
      ],
    };
    const report = propagateImpact(graph, [
      { id: 'db', state: 'DOWN' },
      { id: 'cache', state: 'DEGRADED' },
    ]);
    expect(report.services.map((s) => s.id)).toEqual([
      'biz-1',
      'app-1',
      'tech-1',
      'z-biz-2', // named Alpha
      'biz-2-near',
      'biz-2-far',
      'degraded-1',
    ]);
  });

  it('groups impacted services by owning team, most important service first, then teams of plain CIs', () => {
    const graph: ImpactGraph = {
      rules: RULES,
      nodes: [
        ci('db', { ownerTeams: ['dba'] }),
        service('checkout', { criticality: 1, ownerTeams: ['payments', 'web'] }),
        service('wishlist', { criticality: 3, ownerTeams: ['web'] }),
      ],
      edges: [needs('checkout', 'db'), needs('wishlist', 'db')],
    };
    const report = propagateImpact(graph, ['db']);
    expect(report.teams).toEqual([
      { team: 'payments', services: ['checkout'], cis: [] },
      { team: 'web', services: ['checkout', 'wishlist'], cis: [] },
      { team: 'dba', services: [], cis: ['db'] },
    ]);
    expect(entry(report, 'db').ownerTeams).toEqual(['dba']);
  });

  it('notifies the owners of plain CIs on an estate with no service classes, most important CI first', () => {
    // gateway (LoadBalancer, crit 1) -> orders (Microservice) -> orders-db; search (Microservice, crit 3) -> orders
    const graph: ImpactGraph = {
      rules: RULES,
      nodes: [
        ci('gateway', { className: 'LoadBalancer', criticality: 1, environment: 'production', ownerTeams: ['edge'] }),
        ci('orders', { className: 'Microservice', criticality: 2, environment: 'production', ownerTeams: ['orders'] }),
        ci('search', { className: 'Microservice', criticality: 3, environment: 'production', ownerTeams: ['edge'] }),
        ci('orders-db', { className: 'Database', criticality: 2, environment: 'production', ownerTeams: ['orders'] }),
        ci('spare', { className: 'Database', ownerTeams: ['nobody-hears'] }),
      ],
      edges: [needs('gateway', 'orders'), needs('orders', 'orders-db'), needs('search', 'orders')],
    };
    const report = propagateImpact(graph, ['orders-db']);
    expect(report.services).toEqual([]);
    expect(report.teams).toEqual([
      { team: 'edge', services: [], cis: ['gateway', 'search'] },
      // The target's own team hears of the target, nearest first on equal criticality.
      { team: 'orders', services: [], cis: ['orders-db', 'orders'] },
    ]);
  });

  it('lists a team once with its services before its other CIs, DOWN before DEGRADED', () => {
    const graph: ImpactGraph = {
      rules: RULES,
      nodes: [
        ci('cache', { criticality: 1, ownerTeams: ['platform'] }),
        ci('db', { criticality: 4, ownerTeams: ['platform'] }),
        service('sessions', { criticality: 4, ownerTeams: ['platform'] }),
        ci('worker', { criticality: 1, ownerTeams: ['platform'] }),
      ],
      edges: [needs('sessions', 'cache'), needs('worker', 'db')],
    };
    const report = propagateImpact(graph, [
      { id: 'cache', state: 'DEGRADED' },
      { id: 'db', state: 'DOWN' },
    ]);
    expect(report.teams).toEqual([{ team: 'platform', services: ['sessions'], cis: ['worker', 'db', 'cache'] }]);
  });

  it('returns the same report whatever order the graph arrives in', () => {
    const graph = databaseCluster();
    const shuffled: ImpactGraph = { rules: RULES, nodes: [...graph.nodes].reverse(), edges: [...graph.edges].reverse() };
    const failed = [
      { id: 'db-2', state: 'DOWN' as const },
      { id: 'db-1', state: 'DOWN' as const },
    ];
    expect(JSON.stringify(propagateImpact(shuffled, [...failed].reverse()))).toBe(JSON.stringify(propagateImpact(graph, failed)));
  });
});

describe('propagateImpact: scale', () => {
  it('answers a chain of 30 diamonds (2^30 paths) with at most maxPaths shortest paths per CI', () => {
    const nodes: ImpactNode[] = [ci('n0')];
    const edges: ImpactEdge[] = [];
    for (let i = 0; i < 30; i++) {
      nodes.push(ci(`a${i}`), ci(`b${i}`), ci(`n${i + 1}`));
      edges.push(needs(`a${i}`, `n${i}`), needs(`b${i}`, `n${i}`), needs(`n${i + 1}`, `a${i}`), needs(`n${i + 1}`, `b${i}`));
    }
    nodes.push(service('top'));
    edges.push(needs('top', 'n30'));

    const started = performance.now();
    const report = propagateImpact({ nodes, edges, rules: RULES }, ['n0']);
    const elapsed = performance.now() - started;

    expect(report.impacted).toHaveLength(nodes.length);
    for (const c of report.impacted) expect(c.paths.length).toBeLessThanOrEqual(3);
    const top = entry(report, 'top');
    expect(top.distance).toBe(61);
    expect(top.paths).toHaveLength(3);
    for (const p of top.paths) {
      expect(p).toHaveLength(62);
      expect(p[0]).toBe('top');
      expect(p[61]).toBe('n0');
    }
    expect(new Set(top.paths.map((p) => p.join('/'))).size).toBe(3);
    expect(elapsed).toBeLessThan(1000);
  });

  it('handles 10,000 CIs and 50,000 relationships with a 5,000-member pool', () => {
    // Deterministic pseudo-random estate: edges only go to lower ids plus a few back edges for cycles.
    let seed = 42;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const n = 10_000;
    const nodes: ImpactNode[] = [];
    for (let i = 0; i < n; i++) nodes.push(i % 50 === 0 ? service(`s${i}`) : ci(`c${i}`));
    const id = (i: number) => nodes[i]!.id;
    nodes.push(ci('pool', { redundancy: { kind: 'percent', p: 10 } }));
    const edges: ImpactEdge[] = [];
    for (let i = 1; i < n; i++) {
      for (let j = 0; j < 4; j++) edges.push(needs(id(i), id(Math.floor(rand() * i))));
    }
    for (let j = 0; j < 5000; j++) edges.push(needs(id(Math.floor(rand() * n)), id(Math.floor(rand() * n))));
    for (let i = 0; i < 5000; i++) edges.push(needs('pool', id(i), 'HAS_MEMBER'));
    edges.push(needs(id(n - 1), 'pool'));

    const failed = Array.from({ length: 20 }, (_, i) => id(i * 7));
    const report = propagateImpact({ nodes, edges, rules: RULES }, failed);
    expect(report.impacted.length).toBeGreaterThan(1000);
    expect(report.impacted.every((c) => c.paths.length > 0 && c.paths[0]!.length === c.distance + 1)).toBe(true);
    expect(report.groups.find((g) => g.id === 'pool')).toMatchObject({ total: 5000 });
  }, 20_000);
});

describe('propagateImpact: agrees with a naive reference on random estates', () => {
  const LEVEL = { OK: 0, DEGRADED: 1, DOWN: 2 } as const;

  /** Recompute every CI from scratch until nothing changes: slow, obviously right, shares no code. */
  function naiveStates(graph: ImpactGraph, failed: Map<string, number>): Map<string, number> {
    const state = new Map(graph.nodes.map((n) => [n.id, failed.get(n.id) ?? 0]));
    const impacting = graph.edges.filter((e) => e.type !== 'OWNED_BY' && e.from !== e.to);
    for (let changed = true; changed; ) {
      changed = false;
      for (const node of graph.nodes) {
        let s = failed.get(node.id) ?? 0;
        const mine = impacting.filter((e) => e.from === node.id);
        for (const e of mine.filter((x) => x.type !== 'HAS_MEMBER')) s = Math.max(s, state.get(e.to)!);
        const mems = [...new Set(mine.filter((x) => x.type === 'HAS_MEMBER').map((x) => x.to))].map((m) => state.get(m)!);
        const lost = mems.filter((m) => m === 2).length;
        if (mems.some((m) => m > 0)) {
          const rule = node.redundancy ?? { kind: 'all' as const };
          const holds = lost === 0 || groupHoldsRef(rule, mems.length - lost, mems.length);
          s = Math.max(s, holds ? 1 : 2);
        }
        if (s !== state.get(node.id)) {
          state.set(node.id, s);
          changed = true;
        }
      }
    }
    return state;
  }

  function groupHoldsRef(r: NonNullable<ImpactNode['redundancy']>, up: number, total: number): boolean {
    if (r.kind === 'all') return up === total;
    if (r.kind === 'any') return up >= 1;
    if (r.kind === 'atLeast') return up >= r.k;
    return total > 0 && up / total >= r.p / 100;
  }

  it('computes the same states, valid shortest paths and the same confidence on 300 random estates', () => {
    let seed = 7;
    const rand = (k: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return Math.floor((seed / 2147483648) * k);
    };
    const rules: NonNullable<ImpactNode['redundancy']>[] = [{ kind: 'any' }, { kind: 'atLeast', k: 2 }, { kind: 'percent', p: 50 }, { kind: 'all' }];
    const types = ['DEPENDS_ON', 'RUNS_ON', 'HAS_MEMBER', 'HAS_MEMBER', 'CONNECTS_TO', 'OWNED_BY'];
    for (let round = 0; round < 300; round++) {
      const size = 4 + rand(14);
      const nodes = Array.from({ length: size }, (_, i) =>
        ci(`n${i}`, { stale: rand(8) === 0, ...(rand(3) === 0 ? { redundancy: rules[rand(rules.length)]! } : {}) }),
      );
      const edges = Array.from({ length: rand(size * 3) }, () =>
        needs(`n${rand(size)}`, `n${rand(size)}`, types[rand(types.length)]!, { absent: rand(8) === 0 }),
      );
      const failed = new Map<string, number>();
      for (let f = 0; f < 1 + rand(3); f++) failed.set(`n${rand(size)}`, 1 + rand(2));
      const graph: ImpactGraph = { rules: RULES, nodes, edges };

      const report = propagateImpact(
        graph,
        [...failed].map(([id, s]) => ({ id, state: s === 2 ? ('DOWN' as const) : ('DEGRADED' as const) })),
      );
      const expected = naiveStates(graph, failed);
      const got = new Map(report.impacted.map((c) => [c.id, LEVEL[c.state]]));
      for (const node of nodes) expect([round, node.id, got.get(node.id) ?? 0]).toEqual([round, node.id, expected.get(node.id)]);

      // Explaining links: impact-carrying, and the needed CI at least as bad as the one it explains.
      const explains = (from: string, to: string, fresh: boolean) =>
        edges.some(
          (e) => e.from === from && e.to === to && e.type !== 'OWNED_BY' && (!fresh || !e.absent) && (got.get(to) ?? 0) >= got.get(from)!,
        );
      // Reference distances: BFS from the failures against the needs direction, over explaining links.
      const dist = new Map([...failed.keys()].map((id) => [id, 0]));
      for (let frontier = [...failed.keys()], d = 1; frontier.length > 0; d++) {
        const next: string[] = [];
        for (const u of frontier) {
          for (const nd of nodes) {
            if (!dist.has(nd.id) && got.has(nd.id) && explains(nd.id, u, false)) {
              dist.set(nd.id, d);
              next.push(nd.id);
            }
          }
        }
        frontier = next;
      }
      for (const c of report.impacted) {
        expect([round, c.id, c.distance]).toEqual([round, c.id, dist.get(c.id)]);
        expect(c.paths.length).toBeGreaterThan(0);
        for (const p of c.paths) {
          expect(p).toHaveLength(c.distance + 1);
          expect(failed.has(p[p.length - 1]!)).toBe(true);
          for (let i = 0; i + 1 < p.length; i++) expect(explains(p[i]!, p[i + 1]!, false)).toBe(true);
        }
        // Reference confidence: a DFS for any explaining path avoiding stale CIs and absent links.
        const stale = (id: string) => nodes.find((nd) => nd.id === id)!.stale === true;
        const seen = new Set<string>();
        const fresh = (id: string): boolean => {
          if (stale(id) || seen.has(id)) return false;
          seen.add(id);
          if (failed.has(id)) return true;
          return nodes.some((nd) => got.has(nd.id) && explains(id, nd.id, true) && fresh(nd.id));
        };
        expect([round, c.id, c.lowConfidence]).toEqual([round, c.id, !c.failed && !fresh(c.id)]);
        if (c.lowConfidence) expect(c.staleVia.length).toBeGreaterThan(0);
      }
    }
  });
});
