import { describe, expect, it } from 'vitest';
import { duration, levelRow, percent, type MeasuredLevel } from './service-level-model';

const level = (over: Partial<MeasuredLevel> = {}): MeasuredLevel => ({
  serviceId: 'ci_1',
  name: 'checkout',
  targetPercent: 99.9,
  period: 'MONTH',
  periodStart: '2026-12-01T00:00:00.000Z',
  availabilityPercent: 99.8714,
  budgetMinutes: 43.2,
  budgetLeftMinutes: 12.1,
  budgetLeftPercent: 28.01,
  burnRate: 1.43,
  status: 'AT_RISK',
  incidents: [
    { incidentId: 'inc_1', number: 'INC-1', title: 'db down', share: 0.25 },
    { incidentId: 'inc_2', number: 'INC-2', title: 'api slow', share: 0.75 },
  ],
  ...over,
});

describe('levelRow', () => {
  it('reads availability against the target with the decimals the target needs', () => {
    expect(levelRow(level()).availability).toBe('99.871 % of 99.9 %');
  });
  it('gives the budget left in time and percent, and says a burn above 1 runs out early', () => {
    const row = levelRow(level());
    expect(row.budgetLeft).toBe('12 min of 43 min (28 %)');
    expect(row.budgetShare).toBeCloseTo(0.28, 2);
    expect(row.burn).toBe('1.4× (runs out before the period ends)');
  });
  it('names the incident that cost most', () => {
    expect(levelRow(level()).worstIncident).toBe('INC-2 took 75 %');
    expect(levelRow(level({ incidents: [] })).worstIncident).toBeNull();
  });
  it('keeps the bar within its box when the budget is overspent', () => {
    expect(levelRow(level({ budgetLeftPercent: -5 })).budgetShare).toBe(0);
  });
});

describe('duration and percent', () => {
  it('reads minutes the way a person says them', () => {
    expect(duration(0.5)).toBe('30 s');
    expect(duration(185)).toBe('3 h 05 min');
    expect(duration(60 * 24 * 3 + 60 * 4)).toBe('3 d 4 h');
  });
  it('drops trailing zeros', () => {
    expect(percent(100)).toBe('100 %');
    expect(percent(99.95)).toBe('99.95 %');
  });
});
