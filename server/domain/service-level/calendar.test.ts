import { describe, expect, it } from 'vitest';
import { calendarPeriod, intersectSpans, mergeSpans, serviceWindows, totalLength } from './calendar';

const t = (iso: string) => Date.parse(iso);
const HOUR = 3600_000;

describe('calendarPeriod', () => {
  it('starts a month at local midnight of its first day in the service level time zone', () => {
    const p = calendarPeriod('MONTH', t('2026-03-15T12:00:00Z'), 'Europe/Paris');
    expect(new Date(p.start).toISOString()).toBe('2026-02-28T23:00:00.000Z');
    // March in Paris loses an hour to daylight saving time.
    expect(new Date(p.end).toISOString()).toBe('2026-03-31T22:00:00.000Z');
    expect(p.end - p.start).toBe((31 * 24 - 1) * HOUR);
  });

  it('puts an instant just after UTC midnight on New Year into the old year in New York', () => {
    const p = calendarPeriod('YEAR', t('2027-01-01T02:00:00Z'), 'America/New_York');
    expect(new Date(p.start).toISOString()).toBe('2026-01-01T05:00:00.000Z');
  });

  it('starts weeks on Monday and quarters on the first of January, April, July and October', () => {
    expect(new Date(calendarPeriod('WEEK', t('2026-12-03T10:00:00Z'), 'UTC').start).toISOString()).toBe('2026-11-30T00:00:00.000Z');
    expect(new Date(calendarPeriod('QUARTER', t('2026-12-03T10:00:00Z'), 'UTC').start).toISOString()).toBe('2026-10-01T00:00:00.000Z');
  });
});

describe('serviceWindows', () => {
  const week = { start: t('2026-11-30T00:00:00Z'), end: t('2026-12-07T00:00:00Z') };

  it('gives the whole span when the service runs around the clock', () => {
    expect(serviceWindows(null, week, 'UTC')).toEqual([week]);
  });

  it('counts 5 x 8 hours for office hours on weekdays', () => {
    const w = serviceWindows({ days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' }, week, 'UTC');
    expect(w).toHaveLength(5);
    expect(totalLength(w)).toBe(40 * HOUR);
    expect(new Date(w[0]!.start).toISOString()).toBe('2026-11-30T09:00:00.000Z');
  });

  it('reads service hours on the local clock of the time zone', () => {
    const w = serviceWindows({ days: [1], start: '09:00', end: '17:00' }, week, 'Asia/Tokyo');
    expect(new Date(w[0]!.start).toISOString()).toBe('2026-11-30T00:00:00.000Z');
    expect(new Date(w[0]!.end).toISOString()).toBe('2026-11-30T08:00:00.000Z');
  });

  it('keeps a window that runs past midnight with the day it starts on, including one from the day before the span', () => {
    const w = serviceWindows({ days: [7], start: '22:00', end: '06:00' }, week, 'UTC');
    // Sunday 29 November 22:00 reaches Monday 06:00 inside the span; Sunday 6 December 22:00 is cut at the end.
    expect(w.map((s) => [new Date(s.start).toISOString(), new Date(s.end).toISOString()])).toEqual([
      ['2026-11-30T00:00:00.000Z', '2026-11-30T06:00:00.000Z'],
      ['2026-12-06T22:00:00.000Z', '2026-12-07T00:00:00.000Z'],
    ]);
  });

  it('ends a day at 24:00 and joins it to the next day that starts at 00:00', () => {
    const w = serviceWindows({ days: [1, 2], start: '00:00', end: '24:00' }, week, 'UTC');
    expect(w).toEqual([{ start: week.start, end: week.start + 48 * HOUR }]);
  });

  it('keeps 09:00 local across the switch to daylight saving time', () => {
    const span = { start: t('2026-03-27T00:00:00Z'), end: t('2026-03-31T00:00:00Z') };
    const w = serviceWindows({ days: [5, 1], start: '09:00', end: '10:00' }, span, 'Europe/Berlin');
    expect(w.map((s) => new Date(s.start).toISOString())).toEqual(['2026-03-27T08:00:00.000Z', '2026-03-30T07:00:00.000Z']);
  });
});

describe('span helpers', () => {
  it('merges overlapping and touching spans and intersects two lists', () => {
    expect(mergeSpans([{ start: 5, end: 8 }, { start: 0, end: 3 }, { start: 3, end: 4 }, { start: 6, end: 10 }])).toEqual([
      { start: 0, end: 4 },
      { start: 5, end: 10 },
    ]);
    expect(intersectSpans([{ start: 0, end: 10 }, { start: 20, end: 30 }], [{ start: 5, end: 25 }])).toEqual([
      { start: 5, end: 10 },
      { start: 20, end: 25 },
    ]);
  });
});
