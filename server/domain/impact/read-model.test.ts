import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadClassModel } from '../class-model/load-class-model';
import { compareStrings } from './graph-index';
import { ImpactReadModel, type ModelRow } from './read-model';
import type { ImpactGraph } from './types';
import type { Upstream } from './upstream';

const model = loadClassModel();

function row(id: string, out: [to: string, type?: string][] = [], extra: Partial<ModelRow> = {}): ModelRow {
  return {
    id,
    name: id,
    className: 'Microservice',
    criticality: null,
    environment: null,
    stale: false,
    redundancy: null,
    retired: false,
    owners: [],
    out: out.map(([to, type]) => ({ to, type: type ?? 'DEPENDS_ON', absent: false })),
    ...extra,
  };
}

const sorted = (g: ImpactGraph) => ({
  nodes: g.nodes.map((n) => n.id).sort(compareStrings),
  edges: g.edges.map((e) => `${e.from}>${e.to}:${e.type}${e.absent ? '?' : ''}`).sort(compareStrings),
});

// gw -> api -> db-cluster -(HAS_MEMBER)-> db1, db2 (retired), db3; worker -> api.
const estate = (): ModelRow[] => [
  row('gw', [['api']], { criticality: 1, environment: 'production', owners: ['edge-team'] }),
  row('api', [['cluster']], { owners: ['orders-team', 'sre'] }),
  row('worker', [['api']], { retired: true }),
  row('batch', [['worker']]),
  row('cluster', [['db1', 'HAS_MEMBER'], ['db2', 'HAS_MEMBER'], ['db3', 'HAS_MEMBER']], { className: 'Cluster', redundancy: 'atLeast:2' }),
  row('db1', [], { className: 'Database' }),
  row('db2', [], { className: 'Database', retired: true }),
  row('db3', [], { className: 'Database' }),
];

describe('the impact read model', () => {
  it('walks upstream as far as the depth allows and no further', () => {
    const m = ImpactReadModel.build(model, estate(), 7);
    expect(m.version).toBe(7);
    expect([...m.upstreamIds(['db1'], 0)]).toEqual(['db1']);
    expect([...m.upstreamIds(['db1'], 2)].sort()).toEqual(['api', 'cluster', 'db1']);
    expect([...m.upstreamIds(['db1'], 50)].sort()).toEqual(['api', 'batch', 'cluster', 'db1', 'gw', 'worker']);
    expect([...m.upstreamIds(['nope'], 50)]).toEqual([]);
  });

  it('walks through a retired CI but leaves it out, and counts only the healthy members of a group it reaches', () => {
    const g = ImpactReadModel.build(model, estate(), 1).upstream(['db1'], 50);
    expect(sorted(g)).toEqual({
      nodes: ['api', 'batch', 'cluster', 'db1', 'gw'],
      edges: ['api>cluster:DEPENDS_ON', 'cluster>db1:HAS_MEMBER', 'cluster>db3:HAS_MEMBER', 'gw>api:DEPENDS_ON'],
    });
    const gw = g.nodes.find((n) => n.id === 'gw')!;
    expect(gw).toMatchObject({ criticality: 1, environment: 'production', ownerTeams: ['edge-team'], isService: false });
    expect(g.nodes.find((n) => n.id === 'cluster')!.redundancy).toEqual({ kind: 'atLeast', k: 2 });
    expect(g.nodes.find((n) => n.id === 'api')!.ownerTeams).toEqual(['orders-team', 'sre']);
  });

  it('takes in a relationship added, a CI changed and a CI deleted, as the change log names them', () => {
    const m = ImpactReadModel.build(model, estate(), 1);
    m.replace([row('report', [['db3']]), row('gw', [], { criticality: 2 })], ['report', 'gw', 'worker']);
    expect([...m.upstreamIds(['db3'], 50)].sort()).toEqual(['api', 'cluster', 'db3', 'report']);
    expect(m.upstream(['db3'], 50).nodes.find((n) => n.id === 'report')).toBeDefined();
    // worker went with both its relationships; gw lost its one; report brought one.
    expect(m.counts).toEqual({ cis: 8, relationships: 5 });
  });

  it('tells which changed CIs can alter a reach: those it walked (retired ones too), members it counted, and CIs now pointing into them', () => {
    const m = ImpactReadModel.build(model, [...estate(), row('loner', [['island']]), row('island')], 1);
    const { dependsOn } = m.reach(['db3'], 50);
    // batch -> worker (retired, walked through but not returned) -> api -> cluster -> db3; db1 counts as a member,
    // db2, a retired member, is left out of the cluster's count until it comes back.
    for (const id of ['db3', 'cluster', 'api', 'gw', 'worker', 'batch', 'db1', 'db2']) expect(m.touches(id, dependsOn), id).toBe(true);
    for (const id of ['loner', 'island', 'nowhere']) expect(m.touches(id, dependsOn), id).toBe(false);
    // The loner starts depending on the api: logged on the loner, which now points into the set.
    m.replace([row('loner', [['api']])], ['loner']);
    expect(m.touches('loner', dependsOn)).toBe(true);
    // The retired worker stops depending on the api: it points nowhere now, but batch was reached through it.
    m.replace([row('worker', [], { retired: true })], ['worker']);
    expect(m.touches('worker', dependsOn)).toBe(true);
  });

  it("holds a service's level and intervals until the change log names the service again, or its deletion", () => {
    const spec = { targetPercent: 99.9, period: 'MONTH' as const, timeZone: 'UTC', serviceHours: null, degradedWeight: 0 };
    const down = { incidentId: 'inc-1', state: 'DOWN' as const, start: 1_000, end: 2_000 };
    const m = ImpactReadModel.build(model, [...estate(), row('shop', [['gw']], { className: 'ApplicationService', serviceLevel: { spec, origin: 'LEVEL', intervals: [down] } })], 1);
    expect(m.serviceLevels(['gw', 'shop', 'nowhere'])).toEqual([{ id: 'shop', name: 'shop', className: 'ApplicationService', level: { spec, origin: 'LEVEL', intervals: [down] } }]);
    // Re-read without its level (removed through the API), then deleted.
    m.replace([row('shop', [['gw']], { className: 'ApplicationService' })], ['shop']);
    expect(m.serviceLevels(['shop'])).toEqual([]);
    m.replace([row('shop', [['gw']], { className: 'ApplicationService', serviceLevel: { spec, origin: 'ATTRIBUTE', intervals: [] } })], ['shop']);
    expect(m.serviceLevels(['shop'])).toHaveLength(1);
    m.replace([], ['shop']);
    expect(m.serviceLevels(['shop'])).toEqual([]);
  });

  it('answers as a model built afresh after any sequence of patches, compactions included', () => {
    const outcome = (u: Upstream, start: string) => {
      const r = u.propagate([{ id: start, state: 'DOWN' }]);
      return { impacted: r.impacted.map((c) => `${c.id}:${c.state}:${c.distance}`).sort(compareStrings), groups: r.groups.map((g) => `${g.id}:${g.total}:${g.lost}:${g.holds}`).sort(compareStrings) };
    };
    const ids = Array.from({ length: 12 }, (_, i) => `c${i}`);
    const types = ['DEPENDS_ON', 'RUNS_ON', 'HAS_MEMBER'];
    const rowArb = fc.record({
      id: fc.constantFrom(...ids),
      retired: fc.boolean(),
      deleted: fc.boolean(),
      redundancy: fc.constantFrom(null, 'atLeast:1', 'atLeast:2'),
      out: fc.uniqueArray(fc.tuple(fc.constantFrom(...ids), fc.constantFrom(...types)), { maxLength: 4, selector: ([to, t]) => `${to}${t}` }),
    });
    fc.assert(
      fc.property(fc.array(fc.array(rowArb, { maxLength: 6 }), { maxLength: 40 }), fc.constantFrom(...ids), fc.nat(4), (patches, start, depth) => {
        const truth = new Map<string, ModelRow>(ids.slice(0, 6).map((id) => [id, row(id)]));
        // Ripple never reuses an id: a deleted CI does not come back.
        const gone = new Set<string>();
        // A patch limit of 2 makes the model compact every few patches, so both paths are compared.
        const m = ImpactReadModel.build(model, truth.values(), 0, 2);
        for (const patch of patches) {
          for (const p of patch) {
            if (gone.has(p.id)) continue;
            if (p.deleted) {
              gone.add(p.id);
              // DETACH DELETE: the CI's relationships, both ways, go with it.
              truth.delete(p.id);
              for (const [id, r] of truth) truth.set(id, { ...r, out: r.out.filter((e) => e.to !== p.id) });
            } else {
              // Only CIs that exist can be related.
              truth.set(p.id, row(p.id, p.out.filter(([to]) => to !== p.id && truth.has(to)), { retired: p.retired, redundancy: p.redundancy }));
            }
          }
          const touched = [...new Set(patch.map((p) => p.id))];
          const before = m.reach([start], depth);
          const reported = outcome(before, start);
          m.replace(touched.flatMap((id) => (truth.has(id) ? [truth.get(id)!] : [])), touched);
          // A patch that touches nothing the reach depended on leaves its report as it was (a remembered one stays good).
          if (touched.every((id) => id !== start && !m.touches(id, before.dependsOn))) expect(outcome(m.reach([start], depth), start)).toEqual(reported);
        }
        const fresh = ImpactReadModel.build(model, truth.values(), 0);
        expect(sorted(m.upstream([start], depth))).toEqual(sorted(fresh.upstream([start], depth)));
        expect(m.counts).toEqual(fresh.counts);
      }),
      { numRuns: 300 },
    );
  });
});
