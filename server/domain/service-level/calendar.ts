// Owns the calendar side of a service level: the calendar period an instant falls in, and the service-hour
// windows inside a span, both in the service level's own time zone (luxon does the zone and DST arithmetic).
import { DateTime, IANAZone } from 'luxon';
import type { Period, ServiceHours, Span } from './types';

const PERIOD_UNIT = { WEEK: 'week', MONTH: 'month', QUARTER: 'quarter', YEAR: 'year' } as const;
const DAY_MS = 24 * 3600_000;
/** Longer than any period a level measures: a leap year, and a day for the widest time zone offset. */
export const LONGEST_PERIOD_MS = 367 * DAY_MS;

export function isTimeZone(name: string): boolean {
  return IANAZone.isValidZone(name);
}

/** Minutes since local midnight of an 'HH:MM' clock time (24:00 allowed as the end of a day); NaN when malformed. */
export function clockMinutes(hhmm: string): number {
  const m = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(hhmm);
  if (!m) return Number.NaN;
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  return minutes > 24 * 60 ? Number.NaN : minutes;
}

// A report measures thousands of services at one instant in a handful of zones: luxon's zone arithmetic, about
// 0.1 ms a call, was a tenth of the report's time when done once per service. Bounded, so it never grows.
const periods = new Map<string, Span>();
const MAX_REMEMBERED_PERIODS = 256;

/** The calendar period (week from Monday, month, quarter, year) holding `at`, as local midnights in `zone`. */
export function calendarPeriod(period: Period, at: number, zone: string): Span {
  const key = `${period} ${zone} ${at}`;
  const known = periods.get(key);
  if (known) return { ...known };
  const start = DateTime.fromMillis(at, { zone }).startOf(PERIOD_UNIT[period]);
  const span = { start: start.toMillis(), end: start.plus({ [`${PERIOD_UNIT[period]}s`]: 1 }).toMillis() };
  if (periods.size >= MAX_REMEMBERED_PERIODS) periods.clear();
  periods.set(key, span);
  return { ...span };
}

/**
 * The service-hour windows that fall inside `span`, in order and disjoint. A window may run past midnight
 * (start after end: 22:00-06:00 belongs to the day it starts on). Local clock times are resolved per day, so a
 * DST change gives that day a 23- or 25-hour length rather than shifting the hours.
 */
export function serviceWindows(hours: ServiceHours | null, span: Span, zone: string): Span[] {
  if (!hours) return span.end > span.start ? [span] : [];
  const from = clockMinutes(hours.start);
  const to = clockMinutes(hours.end);
  const days = new Set(hours.days);
  const out: Span[] = [];
  // Start a day early: yesterday's overnight window can reach into the span.
  let day = DateTime.fromMillis(span.start - DAY_MS, { zone }).startOf('day');
  while (day.toMillis() < span.end) {
    if (days.has(day.weekday)) {
      const start = day.plus({ minutes: from }).toMillis();
      const end = (to > from ? day : day.plus({ days: 1 })).plus({ minutes: to }).toMillis();
      const clipped = { start: Math.max(start, span.start), end: Math.min(end, span.end) };
      if (clipped.end > clipped.start) out.push(clipped);
    }
    day = day.plus({ days: 1 });
  }
  return mergeSpans(out);
}

/** Sorts and joins touching or overlapping spans. */
export function mergeSpans(spans: readonly Span[]): Span[] {
  const sorted = [...spans].filter((s) => s.end > s.start).sort((a, b) => a.start - b.start);
  const out: Span[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else out.push({ ...s });
  }
  return out;
}

/** Total length in milliseconds of disjoint spans. */
export function totalLength(spans: readonly Span[]): number {
  return spans.reduce((sum, s) => sum + (s.end - s.start), 0);
}

/** The parts of disjoint sorted spans `a` that lie inside disjoint sorted spans `b`. */
export function intersectSpans(a: readonly Span[], b: readonly Span[]): Span[] {
  const out: Span[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const start = Math.max(a[i]!.start, b[j]!.start);
    const end = Math.min(a[i]!.end, b[j]!.end);
    if (end > start) out.push({ start, end });
    if (a[i]!.end < b[j]!.end) i++;
    else j++;
  }
  return out;
}
