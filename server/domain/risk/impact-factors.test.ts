import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { criticalityFactor, productionFactor, type ImpactedCiRisk } from './impact-factors';

// Names from a small alphabet, so that ties on weight and on name (broken by id) are common.
const ci = fc.record({
  id: fc.uuid(),
  name: fc.constantFrom('api', 'db', 'edge', 'ledger', 'queue'),
  className: fc.constant('Microservice'),
  criticality: fc.integer({ min: 1, max: 4 }),
  environment: fc.constantFrom('PRODUCTION', 'staging', ''),
  state: fc.constantFrom('DOWN' as const, 'DEGRADED' as const),
  isService: fc.boolean(),
}) as fc.Arbitrary<ImpactedCiRisk>;

// The order the factors promise, written out in full as the oracle: heaviest, then name, then id.
const CRIT = [0, 1, 2 / 3, 1 / 3, 2 / 15];
const ENV = (e?: string) => (!e ? 0.5 : e === 'PRODUCTION' ? 1 : 0.1);
const weightOf = (c: ImpactedCiRisk) => CRIT[c.criticality]! * (c.isService ? 0.75 : 0.5) * (c.state === 'DOWN' ? 1 : 0.5);
const order = (w: (c: ImpactedCiRisk) => number) => (a: ImpactedCiRisk, b: ImpactedCiRisk) =>
  w(b) - w(a) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) || (a.id < b.id ? -1 : 1);

describe('the CIs a risk detail names', () => {
  it('are the most critical and the five heaviest in production that a full sort ranks first', () => {
    fc.assert(
      fc.property(fc.array(ci, { minLength: 1, maxLength: 60 }), (impacted) => {
        const worst = [...impacted].sort(order(weightOf))[0]!;
        expect(criticalityFactor(impacted, 30).detail).toContain(`Most critical impacted: ${worst.name} (${worst.className}, criticality ${worst.criticality}, ${worst.state}`);
        const five = [...impacted].sort(order((c) => weightOf(c) * ENV(c.environment))).slice(0, 5).map((c) => c.name);
        expect(productionFactor(impacted, 25).detail).toContain(`Heaviest: ${five.join(', ')}`);
      }),
    );
  });
});
