// Owns the rules a service level must meet before it is stored; each failure names the input field.
import { ValidationError } from '../../errors';
import { clockMinutes, isTimeZone } from './calendar';
import { PERIODS, type ServiceLevelSpec } from './types';

export interface ServiceLevelInput {
  targetPercent: number;
  period?: string | null;
  timeZone?: string | null;
  serviceHours?: { days: number[]; start: string; end: string } | null;
  degradedWeight?: number | null;
}

/** A valid spec with defaults filled in (monthly, UTC, around the clock, degraded time free), or a ValidationError. */
export function toServiceLevelSpec(input: ServiceLevelInput): ServiceLevelSpec {
  const t = input.targetPercent;
  if (!Number.isFinite(t) || t <= 0 || t >= 100) throw new ValidationError('targetPercent', 'must be above 0 and below 100 (100 leaves no error budget)');
  const period = input.period ?? 'MONTH';
  if (!(PERIODS as readonly string[]).includes(period)) throw new ValidationError('period', `must be one of ${PERIODS.join(', ')}`);
  const timeZone = input.timeZone ?? 'UTC';
  if (timeZone.length > 64 || !isTimeZone(timeZone)) throw new ValidationError('timeZone', 'must be an IANA time zone such as Europe/Paris');
  const w = input.degradedWeight ?? 0;
  if (!Number.isFinite(w) || w < 0 || w > 1) throw new ValidationError('degradedWeight', 'must be between 0 and 1');
  return { targetPercent: t, period: period as ServiceLevelSpec['period'], timeZone, serviceHours: hoursOf(input.serviceHours ?? null), degradedWeight: w };
}

function hoursOf(h: ServiceLevelInput['serviceHours']): ServiceLevelSpec['serviceHours'] {
  if (!h) return null;
  if (!h.days.length || h.days.length > 7 || h.days.some((d) => !Number.isInteger(d) || d < 1 || d > 7)) {
    throw new ValidationError('serviceHours.days', 'list ISO weekdays, 1 (Monday) to 7 (Sunday)');
  }
  const start = clockMinutes(h.start);
  const end = clockMinutes(h.end);
  if (Number.isNaN(start) || start >= 24 * 60) throw new ValidationError('serviceHours.start', "must be a clock time 'HH:MM' before 24:00");
  if (Number.isNaN(end) || end === 0) throw new ValidationError('serviceHours.end', "must be a clock time 'HH:MM' after 00:00 (24:00 ends the day)");
  if (start === end) throw new ValidationError('serviceHours.end', 'must differ from start');
  return { days: [...new Set(h.days)].sort(), start: h.start, end: h.end };
}
