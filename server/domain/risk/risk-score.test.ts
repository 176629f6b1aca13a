import { describe, it, expect } from 'vitest';
import { RISK_WEIGHTS, levelOf, scoreChangeRisk, type ChangeRiskInput, type ImpactedCiRisk } from './risk-score.js';

/** A plain CI as discovery sees it (no service class), DOWN in production unless told otherwise. */
function ci(name: string, criticality: number, extra: Partial<ImpactedCiRisk> = {}): ImpactedCiRisk {
  return { id: `ci_${name}`, name, className: 'Microservice', criticality, environment: 'production', state: 'DOWN', isService: false, ...extra };
}
function businessService(name: string, criticality: number, extra: Partial<ImpactedCiRisk> = {}): ImpactedCiRisk {
  return ci(name, criticality, { className: 'BusinessService', isService: true, serviceKind: 'business', ...extra });
}

const quiet: ChangeRiskInput = {
  changeType: 'standard',
  impacted: [],
  redundancyLost: 0,
  failedPastChanges: 0,
  outOfWindow: false,
  inFreeze: false,
  targetCount: 1,
};

const points = (input: ChangeRiskInput, name: string) => scoreChangeRisk(input).factors.find((f) => f.name === name)!.points;

describe('scoreChangeRisk', () => {
  it('rates a standard change that impacts nothing as LOW, still showing every factor', () => {
    const risk = scoreChangeRisk(quiet);
    expect(risk.score).toBe(0);
    expect(risk.level).toBe('LOW');
    expect(risk.factors.map((f) => f.name)).toEqual([
      'Impacted criticality',
      'Production impact',
      'Redundancy lost',
      'Change type',
      'Failed past changes',
      'Outside maintenance window',
      'Freeze window',
      'Breadth of change',
    ]);
    for (const f of risk.factors) expect(f.detail.length).toBeGreaterThan(0);
  });

  it('names the most critical impacted CI and counts a DOWN business service in full', () => {
    const risk = scoreChangeRisk({ ...quiet, impacted: [businessService('wiki', 4), businessService('checkout', 1)] });
    const crit = risk.factors[0]!;
    expect(crit.points).toBe(30);
    expect(crit.detail).toBe('Most critical impacted: checkout (BusinessService, criticality 1, DOWN; a business service); 1 other CI impacted.');
  });

  it('weighs business services above other services above plain CIs of the same criticality', () => {
    const crit = (x: ImpactedCiRisk) => points({ ...quiet, impacted: [x] }, 'Impacted criticality');
    const app = ci('orders', 1, { className: 'ApplicationService', isService: true, serviceKind: 'application' });
    expect([crit(businessService('shop', 1)), crit(app), crit(ci('gateway', 1, { className: 'LoadBalancer' }))]).toEqual([30, 22.5, 15]);
  });

  it('scores a criticality-1 gateway on an estate with no service classes, and names it', () => {
    const risk = scoreChangeRisk({ ...quiet, impacted: [ci('orders-db', 3, { className: 'Database' }), ci('gateway', 1, { className: 'LoadBalancer' })] });
    expect(risk.factors[0]!.points).toBe(15);
    expect(risk.factors[0]!.detail).toContain('gateway (LoadBalancer, criticality 1, DOWN');
    expect(risk.factors[1]!.points).toBeGreaterThan(0);
    expect(risk.factors[1]!.detail).toContain('Heaviest: gateway, orders-db.');
    expect(risk.factors.map((f) => f.detail).join(' ')).not.toContain('ci_');
  });

  it('counts a CI that would only be DEGRADED at half its criticality points', () => {
    expect(points({ ...quiet, impacted: [businessService('s', 1, { state: 'DEGRADED' })] }, 'Impacted criticality')).toBe(15);
  });

  it('keeps raising production impact with the count, past the old cap of 5 services, below the weight', () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => businessService(`s${String(i).padStart(2, '0')}`, 1));
    const scores = [1, 4, 5, 17, 30].map((n) => points({ ...quiet, impacted: many(n) }, 'Production impact'));
    for (let i = 1; i < scores.length; i++) expect(scores[i]!).toBeGreaterThan(scores[i - 1]!);
    expect(scores[1]).toBe(RISK_WEIGHTS.productionImpact / 2);
    expect(scores[4]!).toBeLessThanOrEqual(RISK_WEIGHTS.productionImpact);
    expect(scoreChangeRisk({ ...quiet, impacted: many(17) }).factors[1]!.detail).toContain('and 12 more.');
  });

  it('weighs production above unset environments above staging, and criticality within each', () => {
    const prod = (e: string | undefined, c = 2) => points({ ...quiet, impacted: Array.from({ length: 6 }, (_, i) => ci(`x${i}`, c, e === undefined ? { environment: undefined } : { environment: e })) }, 'Production impact');
    expect(prod('Production')).toBeGreaterThan(prod(undefined));
    expect(prod(undefined)).toBeGreaterThan(prod('staging'));
    expect(prod('production', 1)).toBeGreaterThan(prod('production', 2));
    expect(prod('production', 2)).toBeGreaterThan(prod('production', 4));
  });

  it('scores emergency changes above normal above standard', () => {
    const byType = (['standard', 'normal', 'emergency'] as const).map((changeType) => scoreChangeRisk({ ...quiet, changeType }).score);
    expect(byType).toEqual([0, 5, 15]);
  });

  it('raises the risk for lost redundancy, failed past changes, timing and freezes, and explains each', () => {
    const risk = scoreChangeRisk({ ...quiet, redundancyLost: 1, failedPastChanges: 2, outOfWindow: true, inFreeze: true, targetCount: 3 });
    expect(risk.factors.map((f) => [f.name, f.points])).toEqual([
      ['Impacted criticality', 0],
      ['Production impact', 0],
      ['Redundancy lost', 5],
      ['Change type', 0],
      ['Failed past changes', 10],
      ['Outside maintenance window', 10],
      ['Freeze window', 20],
      ['Breadth of change', 2],
    ]);
    expect(risk.score).toBe(47);
    expect(risk.level).toBe('MEDIUM');
    expect(risk.factors[4]!.detail).toBe('2 failed changes on these CIs in the last 90 days.');
    expect(risk.factors[6]!.detail).toBe('Falls into a change freeze.');
  });

  it('caps the score at 100 and calls it CRITICAL when everything goes wrong', () => {
    const risk = scoreChangeRisk({
      changeType: 'emergency',
      impacted: Array.from({ length: 6 }, (_, i) => businessService(`p${i}`, 1)),
      redundancyLost: 4,
      failedPastChanges: 9,
      outOfWindow: true,
      inFreeze: true,
      targetCount: 40,
    });
    expect(risk.score).toBe(100);
    expect(risk.level).toBe('CRITICAL');
    for (const f of risk.factors) expect(f.points).toBeLessThanOrEqual(f.weight);
  });

  it('treats nonsense counts as zero rather than lowering the score', () => {
    expect(scoreChangeRisk({ ...quiet, redundancyLost: -3, failedPastChanges: Number.NaN, targetCount: -1 }).score).toBe(0);
  });

  it('draws level boundaries at 25, 50 and 75', () => {
    expect([0, 24, 25, 49, 50, 74, 75, 100].map(levelOf)).toEqual(['LOW', 'LOW', 'MEDIUM', 'MEDIUM', 'HIGH', 'HIGH', 'CRITICAL', 'CRITICAL']);
  });
});
