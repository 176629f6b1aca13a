import { describe, expect, it } from 'vitest';
import { scoreChangeRisk } from './risk-score';
import { errorBudgetFactor, serviceHoursFactor, withServiceLevelFactors, type ImpactedServiceLevel } from './service-level-factors';

const svc = (id: string, budgetLeftPercent: number, windowInServiceHours: boolean | null = null): ImpactedServiceLevel => ({
  id,
  name: `Service ${id}`,
  budgetLeftPercent,
  budgetSpent: budgetLeftPercent === 0,
  windowInServiceHours,
});

describe('errorBudgetFactor', () => {
  it('gives full weight and names the service when a budget is spent', () => {
    const f = errorBudgetFactor([svc('pay', 0), svc('web', 80)], 25);
    expect(f.points).toBe(20);
    expect(f.detail).toContain('No error budget left this period on Service pay (pay)');
  });

  it('gives half weight when a budget is nearly spent', () => {
    expect(errorBudgetFactor([svc('pay', 20)], 25)).toMatchObject({ points: 10 });
  });

  it('gives nothing when budgets are healthy or no service has a level', () => {
    expect(errorBudgetFactor([svc('pay', 60)], 25).points).toBe(0);
    expect(errorBudgetFactor([], 25).detail).toBe('No impacted service has a service level.');
  });
});

describe('serviceHoursFactor', () => {
  it('says when the window falls outside every impacted service’s hours, at no cost', () => {
    const f = serviceHoursFactor([svc('shop', 90, false), svc('always', 90, null)]);
    expect(f.points).toBe(0);
    expect(f.detail).toBe('The window falls outside the service hours of Service shop (shop): downtime then does not count against their budget.');
  });

  it('costs points when the window is inside a service’s hours', () => {
    expect(serviceHoursFactor([svc('shop', 90, true), svc('b2b', 90, false)])).toMatchObject({ points: 5 });
  });
});

describe('withServiceLevelFactors', () => {
  it('adds both factors after the others and rescores', () => {
    const base = scoreChangeRisk({ changeType: 'normal', impacted: [], redundancyLost: 0, failedPastChanges: 0, outOfWindow: false, inFreeze: false, targetCount: 1 });
    const risk = withServiceLevelFactors(base, [svc('pay', 0, true)], 25);
    expect(risk.factors.slice(-2).map((f) => f.name)).toEqual(['Error budget of impacted services', 'Service hours']);
    expect(risk.score).toBe(base.score + 25);
    expect(risk.level).toBe('MEDIUM');
  });
});
