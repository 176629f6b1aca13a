import { describe, it, expect } from 'vitest';
import { RISK_WEIGHTS, levelOf, scoreChangeRisk, type ChangeRiskInput } from './risk-score.js';

const quiet: ChangeRiskInput = {
  changeType: 'standard',
  impactedServices: [],
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
      'Impacted service criticality',
      'Production services impacted',
      'Redundancy lost',
      'Change type',
      'Failed past changes',
      'Outside maintenance window',
      'Freeze window',
      'Breadth of change',
    ]);
    for (const f of risk.factors) expect(f.detail.length).toBeGreaterThan(0);
  });

  it('names the most critical impacted service and counts a DOWN one in full', () => {
    const risk = scoreChangeRisk({
      ...quiet,
      impactedServices: [
        { id: 'wiki', criticality: 4, state: 'DOWN' },
        { id: 'checkout', criticality: 1, state: 'DOWN', environment: 'production' },
      ],
    });
    const crit = risk.factors[0]!;
    expect(crit.points).toBe(30);
    expect(crit.detail).toBe('Most critical impacted service: checkout (criticality 1, DOWN); 1 other service impacted.');
  });

  it('counts a service that would only be DEGRADED at half its criticality points', () => {
    expect(points({ ...quiet, impactedServices: [{ id: 's', criticality: 1, state: 'DEGRADED' }] }, 'Impacted service criticality')).toBe(15);
  });

  it('adds points per production service, capped at the factor weight', () => {
    const services = Array.from({ length: 8 }, (_, i) => ({ id: `s${i}`, criticality: 3, state: 'DOWN' as const, environment: i < 2 ? 'production' : 'staging' }));
    expect(points({ ...quiet, impactedServices: services }, 'Production services impacted')).toBe(8);
    const allProd = services.map((s) => ({ ...s, environment: 'Production' }));
    expect(points({ ...quiet, impactedServices: allProd }, 'Production services impacted')).toBe(RISK_WEIGHTS.productionServices);
  });

  it('scores emergency changes above normal above standard', () => {
    const byType = (['standard', 'normal', 'emergency'] as const).map((changeType) => scoreChangeRisk({ ...quiet, changeType }).score);
    expect(byType).toEqual([0, 5, 15]);
  });

  it('raises the risk for lost redundancy, failed past changes, timing and freezes, and explains each', () => {
    const risk = scoreChangeRisk({ ...quiet, redundancyLost: 1, failedPastChanges: 2, outOfWindow: true, inFreeze: true, targetCount: 3 });
    expect(risk.factors.map((f) => [f.name, f.points])).toEqual([
      ['Impacted service criticality', 0],
      ['Production services impacted', 0],
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
      impactedServices: Array.from({ length: 6 }, (_, i) => ({ id: `p${i}`, criticality: 1, state: 'DOWN' as const, environment: 'production' })),
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
