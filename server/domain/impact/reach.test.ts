import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadClassModel } from '../class-model/load-class-model';
import { compareImpacted, pageOf } from './page';
import { pageOfReport, propagateImpact } from './propagate';
import { ImpactReadModel, type ModelRow } from './read-model';
import type { FailedCi, ImpactReport } from './types';

const model = loadClassModel();

// Ids whose interning order (the order rows arrive in) is not their id order, so the numeric path has to sort.
const IDS = ['m', 'c', 'x', 'a', 'q', 'ba', 'b', 'z9', 'z10', 'k', 'Q', 'e', 'f', 'gg'];
const LATE = ['aa', 'zz', 'd'];

const rowArb = (id: string, pool: readonly string[]) =>
  fc.record({
    id: fc.constant(id),
    name: fc.constantFrom('alpha', 'beta', 'beta', id),
    className: fc.constantFrom('Microservice', 'Database', 'Cluster', 'ApplicationService', 'BusinessService'),
    criticality: fc.option(fc.integer({ min: 1, max: 4 })),
    environment: fc.option(fc.constantFrom('production', 'staging')),
    stale: fc.boolean(),
    redundancy: fc.option(fc.constantFrom('all', 'any', 'atLeast:2', 'percent:50')),
    retired: fc.boolean(),
    owners: fc.subarray(['dba', 'edge', 'orders']),
    // Self-loops, parallel relationships of two types, absent ones and a type that never impacts, on purpose.
    out: fc.array(fc.record({ to: fc.constantFrom(...pool), type: fc.constantFrom('DEPENDS_ON', 'RUNS_ON', 'HAS_MEMBER', 'HAS_MEMBER', 'OWNED_BY'), absent: fc.boolean() }), { maxLength: 4 }),
  }) as fc.Arbitrary<ModelRow>;

const plain = (r: ImpactReport) => JSON.parse(JSON.stringify(r)) as unknown;

describe('propagation over the read model numeric ids', () => {
  it('gives the report, and every page of it, that the string-id subgraph gives, on random estates (fast-check)', () => {
    const estate = fc.tuple(...IDS.map((id) => rowArb(id, [...IDS, ...LATE])));
    // Rows added after the build: CIs the model has not ranked yet, compared by id instead.
    const late = fc.array(fc.constantFrom(...LATE).chain((id) => rowArb(id, [...IDS, ...LATE])), { maxLength: 2 });
    const failed = fc.array(fc.record({ id: fc.constantFrom(...IDS, ...LATE, 'missing'), state: fc.constantFrom('DOWN', 'DEGRADED') }), { minLength: 1, maxLength: 3 }) as fc.Arbitrary<FailedCi[]>;
    fc.assert(
      fc.property(estate, late, failed, fc.constantFrom(0, 1, 2, 3, 50), fc.nat(3), fc.integer({ min: 1, max: 4 }), (rows, added, down, depth, maxPaths, first) => {
        const m = ImpactReadModel.build(model, rows, 1);
        m.replace(added, added.map((r) => r.id));
        const ids = down.map((f) => f.id);
        const byStrings = propagateImpact(m.upstream(ids, depth), down, { maxPaths });
        const byNumbers = m.reach(ids, depth).propagate(down, { maxPaths });
        expect(plain(byNumbers)).toEqual(plain(byStrings));
        for (const offset of [0, first]) {
          expect(plain(pageOfReport(byNumbers, 'services', offset, first) as never)).toEqual(plain(pageOf(byStrings.services, offset, first) as never));
          const everyCi = pageOf([...byStrings.impacted].sort(compareImpacted), offset, first);
          expect(plain(pageOfReport(byNumbers, 'impacted', offset, first) as never)).toEqual(plain(everyCi as never));
        }
      }),
      { numRuns: 400 },
    );
  });

  it('says which named CIs the walk reached, and propagates from a deleted one as a placeholder', () => {
    const m = ImpactReadModel.build(model, [{ id: 'db', name: 'db', className: 'Database', criticality: 2, environment: null, stale: false, redundancy: null, retired: false, owners: ['dba'], out: [] }], 1);
    const up = m.reach(['db', 'gone'], 50);
    expect([up.has('db'), up.has('gone')]).toEqual([true, false]);
    const report = up.propagate([{ id: 'db', state: 'DOWN' }, { id: 'gone', state: 'DEGRADED' }]);
    expect(report.impacted.map((c) => [c.id, c.state, c.className])).toEqual([['db', 'DOWN', 'Database'], ['gone', 'DEGRADED', 'CI']]);
    expect(report.teams).toEqual([{ team: 'dba', services: [], cis: ['db'] }]);
  });
});
