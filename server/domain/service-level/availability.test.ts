import { describe, expect, it } from 'vitest';
import { compareByRisk, measureServiceLevel, segmentsOf } from './availability';
import type { ImpactInterval, ServiceLevelSpec } from './types';

const t = (iso: string) => Date.parse(iso);
const monthly: ServiceLevelSpec = { targetPercent: 99.9, period: 'MONTH', timeZone: 'UTC', serviceHours: null, degradedWeight: 0 };
const END_OF_NOVEMBER = t('2026-12-01T00:00:00Z');
const down = (incidentId: string, from: string, to: string | null): ImpactInterval => ({
  incidentId,
  state: 'DOWN',
  start: t(from),
  end: to ? t(to) : null,
});

describe('measureServiceLevel', () => {
  it('counts two overlapping incidents once: 10:00-10:30 and 10:20-11:00 are 60 minutes down, not 70', () => {
    const r = measureServiceLevel(
      monthly,
      [down('a', '2026-11-10T10:00:00Z', '2026-11-10T10:30:00Z'), down('b', '2026-11-10T10:20:00Z', '2026-11-10T11:00:00Z')],
      t('2026-11-15T00:00:00Z'),
      END_OF_NOVEMBER,
    );
    expect(r.downMinutes).toBeCloseTo(60);
    expect(r.serviceMinutes).toBe(30 * 24 * 60);
    expect(r.budgetMinutes).toBeCloseTo(43.2);
    expect(r.budgetLeftMinutes).toBe(0);
    expect(r.status).toBe('BREACHED');
    expect(r.availabilityPercent).toBeCloseTo(100 * (1 - 60 / 43200), 6);
    // The 10 shared minutes are split: a 20 + 5, b 5 + 30.
    expect(r.incidents).toEqual([
      { incidentId: 'b', consumedMinutes: 35, share: 35 / 60 },
      { incidentId: 'a', consumedMinutes: 25, share: 25 / 60 },
    ]);
  });

  it('leaves the budget untouched by an incident outside service hours', () => {
    const officeHours = { ...monthly, serviceHours: { days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' } };
    const r = measureServiceLevel(officeHours, [down('night', '2026-11-10T20:00:00Z', '2026-11-10T23:00:00Z')], t('2026-11-15T00:00:00Z'), END_OF_NOVEMBER);
    expect(r.downMinutes).toBe(0);
    expect(r.budgetLeftPercent).toBe(100);
    expect(r.status).toBe('MET');
    // 21 weekdays of 8 hours in November 2026.
    expect(r.serviceMinutes).toBe(21 * 8 * 60);
  });

  it('counts only the part of an incident inside service hours', () => {
    const officeHours = { ...monthly, serviceHours: { days: [2], start: '09:00', end: '17:00' } };
    const r = measureServiceLevel(officeHours, [down('x', '2026-11-10T16:30:00Z', '2026-11-10T18:00:00Z')], t('2026-11-15T00:00:00Z'), END_OF_NOVEMBER);
    expect(r.downMinutes).toBeCloseTo(30);
  });

  it('weights degraded time, and lets a DOWN incident win over a DEGRADED one it overlaps', () => {
    const weighted = { ...monthly, degradedWeight: 0.5 };
    const r = measureServiceLevel(
      weighted,
      [{ incidentId: 'slow', state: 'DEGRADED', start: t('2026-11-10T10:00:00Z'), end: t('2026-11-10T11:00:00Z') }, down('dead', '2026-11-10T10:30:00Z', '2026-11-10T10:40:00Z')],
      t('2026-11-15T00:00:00Z'),
      END_OF_NOVEMBER,
    );
    expect(r.downMinutes).toBeCloseTo(10);
    expect(r.degradedMinutes).toBeCloseTo(50);
    expect(r.consumedMinutes).toBeCloseTo(35);
    expect(r.incidents.map((i) => [i.incidentId, i.consumedMinutes])).toEqual([
      ['slow', 25],
      ['dead', 10],
    ]);
  });

  it('ignores degraded time when no weight is set', () => {
    const r = measureServiceLevel(monthly, [{ incidentId: 's', state: 'DEGRADED', start: t('2026-11-10T10:00:00Z'), end: t('2026-11-10T11:00:00Z') }], t('2026-11-15T00:00:00Z'), END_OF_NOVEMBER);
    expect(r.degradedMinutes).toBeCloseTo(60);
    expect(r.consumedMinutes).toBe(0);
    expect(r.incidents).toEqual([]);
  });

  it('runs an open incident up to now and measures the burn rate against the time elapsed', () => {
    const now = t('2026-11-16T00:00:00Z'); // 15 of 30 days elapsed
    const r = measureServiceLevel(monthly, [down('open', '2026-11-15T23:30:00Z', null)], now, now);
    expect(r.downMinutes).toBeCloseTo(30);
    expect(r.elapsedServiceMinutes).toBe(15 * 24 * 60);
    expect(r.budgetLeftMinutes).toBeCloseTo(13.2);
    // 30 of 43.2 minutes spent in half the month: on pace to spend 1.39 budgets.
    expect(r.burnRate).toBeCloseTo(30 / 43.2 / 0.5, 6);
    expect(r.status).toBe('AT_RISK');
  });

  it('leaves out intervals of other periods and clips those crossing the boundary', () => {
    const r = measureServiceLevel(
      monthly,
      [down('oct', '2026-10-20T10:00:00Z', '2026-10-20T12:00:00Z'), down('edge', '2026-10-31T23:50:00Z', '2026-11-01T00:10:00Z')],
      t('2026-11-15T00:00:00Z'),
      END_OF_NOVEMBER,
    );
    expect(r.downMinutes).toBeCloseTo(10);
    expect(r.incidents.map((i) => i.incidentId)).toEqual(['edge']);
  });

  it('reports a quiet service as fully available with its budget whole', () => {
    const r = measureServiceLevel(monthly, [], t('2026-11-15T00:00:00Z'), END_OF_NOVEMBER);
    expect(r).toMatchObject({ availabilityPercent: 100, budgetLeftPercent: 100, burnRate: 0, status: 'MET', incidents: [] });
  });

  it('sorts breached services before those at risk and those at risk before the rest', () => {
    const at = t('2026-11-15T00:00:00Z');
    const quiet = measureServiceLevel(monthly, [], at, END_OF_NOVEMBER);
    const breached = measureServiceLevel(monthly, [down('a', '2026-11-10T10:00:00Z', '2026-11-10T12:00:00Z')], at, END_OF_NOVEMBER);
    const atRisk = measureServiceLevel(monthly, [down('a', '2026-11-10T10:00:00Z', '2026-11-10T10:40:00Z')], at, END_OF_NOVEMBER);
    expect([quiet, atRisk, breached].sort(compareByRisk).map((r) => r.status)).toEqual(['BREACHED', 'AT_RISK', 'MET']);
  });
});

describe('segmentsOf', () => {
  it('returns nothing for gaps between incidents', () => {
    const s = segmentsOf([down('a', '2026-11-10T10:00:00Z', '2026-11-10T10:10:00Z'), down('b', '2026-11-10T11:00:00Z', '2026-11-10T11:10:00Z')], {
      start: 0,
      end: END_OF_NOVEMBER,
    });
    expect(s.map((x) => x.incidents)).toEqual([['a'], ['b']]);
  });
});
