import { describe, expect, it } from 'vitest';
import { drawImpact, groupKey, type DrawingOptions } from './drawing.js';
import { propagateImpact } from './propagate.js';
import { ci, needs, RULES } from './test-graph.js';
import type { ImpactEdge, ImpactGraph } from './types.js';

const range = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(2, '0')}`);

/** As discovery sees an estate: one database, 30 microservices on it, 3 workloads, 2 gateways over the services. */
function sharedDatabase(): ImpactGraph {
  const ms = range(30, 'ms');
  const workloads = range(3, 'wl');
  const edges: ImpactEdge[] = [
    ...ms.map((m) => needs(m, 'db')),
    ...workloads.map((w) => needs(w, 'db')),
    ...ms.slice(0, 15).map((m) => needs('gw-a', m)),
    ...ms.slice(15).map((m) => needs('gw-b', m)),
    needs('gw-a', 'ms-00', 'CONNECTS_TO'),
  ];
  return {
    rules: RULES,
    nodes: [
      ci('db', { className: 'Database', ownerTeams: ['data'] }),
      ...ms.map((id) => ci(id, { className: 'Microservice', ownerTeams: ['shop'] })),
      ...workloads.map((id) => ci(id, { className: 'KubernetesWorkload' })),
      ci('gw-a', { className: 'ApiGateway' }),
      ci('gw-b', { className: 'ApiGateway' }),
      ci('unrelated', { className: 'Microservice' }),
    ],
    edges: [...edges, needs('unrelated', 'gw-a')],
  };
}

const OPTS: DrawingOptions = { budget: 50, groupOver: 25, maxEdges: 100 };

function drawn(graph: ImpactGraph, opts: Partial<DrawingOptions> = {}) {
  const report = propagateImpact(graph, [{ id: 'db', state: 'DOWN' }], { maxPaths: 0 });
  return drawImpact(report.impacted, graph.edges, { ...OPTS, ...opts });
}

describe('drawImpact', () => {
  it('draws the failed CI and small buckets one by one, and folds a bucket over the threshold into one group', () => {
    const d = drawn(sharedDatabase());
    const msGroup = groupKey(1, 'Microservice', 'DOWN');
    expect(d.nodes.filter((n) => n.kind === 'CI').map((n) => n.key).sort()).toEqual(['db', 'gw-a', 'gw-b', 'unrelated', 'wl-00', 'wl-01', 'wl-02']);
    expect(d.nodes.filter((n) => n.kind === 'GROUP')).toEqual([{ kind: 'GROUP', key: msGroup, className: 'Microservice', state: 'DOWN', distance: 1, count: 30 }]);
  });

  it('draws the edges between groups with how many relationships each stands for, and none inside a group', () => {
    const d = drawn(sharedDatabase());
    const msGroup = groupKey(1, 'Microservice', 'DOWN');
    const edge = (from: string, to: string, type = 'DEPENDS_ON') => d.edges.find((e) => e.from === from && e.to === to && e.type === type);
    expect(edge(msGroup, 'db')?.count).toBe(30);
    expect(edge('gw-a', msGroup)?.count).toBe(15);
    expect(edge('gw-b', msGroup)?.count).toBe(15);
    expect(edge('gw-a', msGroup, 'CONNECTS_TO')?.count).toBe(1);
    expect(edge('wl-01', 'db')?.count).toBe(1);
    expect(d.edges.every((e) => e.from !== e.to)).toBe(true);
    expect(d.edges.map((e) => e.count)).toEqual([...d.edges.map((e) => e.count)].sort((a, b) => b - a));
  });

  it('opens a group it is asked to, and refuses one larger than it can draw', () => {
    const msGroup = groupKey(1, 'Microservice', 'DOWN');
    const opened = drawn(sharedDatabase(), { expand: [msGroup] });
    expect(opened.nodes.some((n) => n.kind === 'GROUP')).toBe(false);
    expect(opened.edges.filter((e) => e.to === 'db' && e.from.startsWith('ms-'))).toHaveLength(30);
    const refused = drawn(sharedDatabase(), { expand: [msGroup], maxExpanded: 10 });
    expect(refused.tooLargeToExpand).toEqual([msGroup]);
    expect(refused.nodes.find((n) => n.key === msGroup)).toMatchObject({ count: 30 });
  });

  it('keeps within the budget: buckets that do not fit become groups, nearest rings first', () => {
    const d = drawn(sharedDatabase(), { budget: 3, groupOver: 25 });
    const singles = d.nodes.filter((n) => n.kind === 'CI').map((n) => n.key);
    expect(singles.sort()).toEqual(['db', 'wl-00', 'wl-01', 'wl-02']);
    expect(d.nodes.filter((n) => n.kind === 'GROUP').map((n) => n.key).sort()).toEqual(
      [groupKey(1, 'Microservice', 'DOWN'), groupKey(2, 'ApiGateway', 'DOWN'), groupKey(3, 'Microservice', 'DOWN')].sort(),
    );
  });

  it('keeps the most numerous edges within maxEdges and says how many it left out', () => {
    const d = drawn(sharedDatabase(), { maxEdges: 2 });
    expect(d.edges.map((e) => e.count)).toEqual([30, 15]);
    // 8 folded edges: group->db, gw-a->group twice (two types), gw-b->group, three workloads->db, unrelated->gw-a.
    expect(d.edgesLeftOut).toBe(6);
  });
});
