// Owns the error-budget arithmetic: from a service's impact intervals (several incidents may overlap) and its
// service level, the availability of a calendar period, the budget left, the burn rate and each incident's share.
import { calendarPeriod, intersectSpans, serviceWindows, totalLength } from './calendar';
import type { ImpactInterval, IncidentShare, ServiceLevelReport, ServiceLevelSpec, ServiceLevelStatus, Span } from './types';

const MINUTE = 60_000;
/** Budget left at or below this percentage puts a service at risk; the change risk factor uses it too. */
export const NEARLY_SPENT_PERCENT = 25;

/** A stretch of time during which the same incidents hold the service in the same worst state. */
interface Segment extends Span {
  state: 'DOWN' | 'DEGRADED';
  /** Incidents holding the service in `state` during the segment (ties split its cost). */
  incidents: string[];
}

/**
 * Cuts the intervals (open ones end at `until`) at every start and end, keeping for each piece the worst state
 * and which incidents cause it. Overlapping incidents therefore count once: a minute is down or not.
 */
export function segmentsOf(intervals: readonly ImpactInterval[], within: Span): Segment[] {
  const clipped = intervals
    .map((i) => ({ ...i, start: Math.max(i.start, within.start), end: Math.min(i.end ?? within.end, within.end) }))
    .filter((i) => i.end > i.start);
  const cuts = [...new Set(clipped.flatMap((i) => [i.start, i.end]))].sort((a, b) => a - b);
  const out: Segment[] = [];
  for (let k = 0; k + 1 < cuts.length; k++) {
    const start = cuts[k]!;
    const end = cuts[k + 1]!;
    const active = clipped.filter((i) => i.start <= start && i.end >= end);
    if (!active.length) continue;
    const state = active.some((i) => i.state === 'DOWN') ? 'DOWN' : 'DEGRADED';
    out.push({ start, end, state, incidents: [...new Set(active.filter((i) => i.state === state).map((i) => i.incidentId))].sort() });
  }
  return out;
}

/** How much of each (disjoint, sorted) segment lies inside the (disjoint, sorted) measured spans. */
function measuredLengths(segments: readonly Segment[], measured: readonly Span[]): number[] {
  return segments.map((s) => totalLength(intersectSpans([s], measured)));
}

function statusOf(consumed: number, budget: number, leftPercent: number, burnRate: number): ServiceLevelStatus {
  if (consumed > 0 && consumed >= budget) return 'BREACHED';
  if (consumed > 0 && (leftPercent <= NEARLY_SPENT_PERCENT || burnRate > 1)) return 'AT_RISK';
  return 'MET';
}

function sharesOf(costs: Map<string, number>, consumed: number): IncidentShare[] {
  return [...costs]
    .map(([incidentId, ms]) => ({ incidentId, consumedMinutes: ms / MINUTE, share: consumed > 0 ? ms / consumed : 0 }))
    .sort((a, b) => b.consumedMinutes - a.consumedMinutes || a.incidentId.localeCompare(b.incidentId));
}

/**
 * The service level of the calendar period holding `at`, measured up to `now`. Only service hours count, both for
 * the budget (target x service minutes of the whole period) and for what incidents consume.
 */
export function measureServiceLevel(spec: ServiceLevelSpec, intervals: readonly ImpactInterval[], at: number, now: number): ServiceLevelReport {
  const period = calendarPeriod(spec.period, at, spec.timeZone);
  const elapsed: Span = { start: period.start, end: Math.max(period.start, Math.min(now, period.end)) };
  const windows = serviceWindows(spec.serviceHours, period, spec.timeZone);
  const measured = intersectSpans(windows, [elapsed]);
  const serviceMs = totalLength(windows);
  const elapsedMs = totalLength(measured);

  const segments = segmentsOf(intervals, elapsed);
  const lengths = measuredLengths(segments, measured);
  const costs = new Map<string, number>();
  let down = 0;
  let degraded = 0;
  segments.forEach((s, k) => {
    const length = lengths[k]!;
    if (s.state === 'DOWN') down += length;
    else degraded += length;
    const cost = length * (s.state === 'DOWN' ? 1 : spec.degradedWeight);
    if (cost <= 0) return;
    for (const id of s.incidents) costs.set(id, (costs.get(id) ?? 0) + cost / s.incidents.length);
  });
  const consumed = down + degraded * spec.degradedWeight;
  const budget = serviceMs * (1 - spec.targetPercent / 100);
  const left = Math.max(0, budget - consumed);
  const leftPercent = budget > 0 ? (100 * left) / budget : consumed > 0 ? 0 : 100;
  const burnRate = budget > 0 && elapsedMs > 0 ? consumed / budget / (elapsedMs / serviceMs) : 0;
  return {
    period,
    serviceMinutes: serviceMs / MINUTE,
    elapsedServiceMinutes: elapsedMs / MINUTE,
    downMinutes: down / MINUTE,
    degradedMinutes: degraded / MINUTE,
    consumedMinutes: consumed / MINUTE,
    availabilityPercent: elapsedMs > 0 ? 100 * (1 - consumed / elapsedMs) : 100,
    budgetMinutes: budget / MINUTE,
    budgetLeftMinutes: left / MINUTE,
    budgetLeftPercent: leftPercent,
    burnRate,
    status: statusOf(consumed, budget, leftPercent, burnRate),
    incidents: sharesOf(costs, consumed),
  };
}

const STATUS_ORDER: Record<ServiceLevelStatus, number> = { BREACHED: 0, AT_RISK: 1, MET: 2 };

/** Services at risk first: breached, then at risk, then met; within each, least budget left, then fastest burn. */
export function compareByRisk(a: ServiceLevelReport, b: ServiceLevelReport): number {
  return STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || a.budgetLeftPercent - b.budgetLeftPercent || b.burnRate - a.burnRate;
}

/** Whether any part of `span` falls inside the service level's service hours (always, when it has none). */
export function overlapsServiceHours(spec: ServiceLevelSpec, span: Span): boolean {
  return serviceWindows(spec.serviceHours, span, spec.timeZone).length > 0;
}
