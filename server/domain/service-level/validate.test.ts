import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../errors';
import { toServiceLevelSpec } from './validate';

const fieldOf = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    if (e instanceof ValidationError) return e.field;
    throw e;
  }
  return undefined;
};

describe('toServiceLevelSpec', () => {
  it('fills in a monthly, UTC, around-the-clock service level where degraded time is free', () => {
    expect(toServiceLevelSpec({ targetPercent: 99.5 })).toEqual({ targetPercent: 99.5, period: 'MONTH', timeZone: 'UTC', serviceHours: null, degradedWeight: 0 });
  });

  it('names the field of each bad input', () => {
    expect(fieldOf(() => toServiceLevelSpec({ targetPercent: 100 }))).toBe('targetPercent');
    expect(fieldOf(() => toServiceLevelSpec({ targetPercent: Number.NaN }))).toBe('targetPercent');
    expect(fieldOf(() => toServiceLevelSpec({ targetPercent: 99, period: 'DECADE' }))).toBe('period');
    expect(fieldOf(() => toServiceLevelSpec({ targetPercent: 99, timeZone: 'Mars/Olympus' }))).toBe('timeZone');
    expect(fieldOf(() => toServiceLevelSpec({ targetPercent: 99, degradedWeight: 2 }))).toBe('degradedWeight');
    expect(fieldOf(() => toServiceLevelSpec({ targetPercent: 99, serviceHours: { days: [0], start: '09:00', end: '17:00' } }))).toBe('serviceHours.days');
    expect(fieldOf(() => toServiceLevelSpec({ targetPercent: 99, serviceHours: { days: [1], start: '9am', end: '17:00' } }))).toBe('serviceHours.start');
    expect(fieldOf(() => toServiceLevelSpec({ targetPercent: 99, serviceHours: { days: [1], start: '09:00', end: '09:00' } }))).toBe('serviceHours.end');
  });

  it('accepts a day that ends at 24:00 and dedupes the weekdays', () => {
    expect(toServiceLevelSpec({ targetPercent: 99, serviceHours: { days: [3, 1, 1], start: '00:00', end: '24:00' } }).serviceHours).toEqual({ days: [1, 3], start: '00:00', end: '24:00' });
  });
});
