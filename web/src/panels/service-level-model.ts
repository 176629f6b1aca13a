// What the service levels view reads out, with no DOM: a measured level turned into the words and figures a row
// shows (availability against target, budget left in time and percent, burn, the incident that cost most).
import type { ResultOf } from '../api/graphql';
import type { ServiceLevelsQuery } from '../api/service-level-queries';

export type MeasuredLevel = ResultOf<typeof ServiceLevelsQuery>['serviceLevels'][number];

export interface LevelRow {
  serviceId: string;
  name: string;
  status: MeasuredLevel['status'];
  /** "99.871 % of 99.9 %". */
  availability: string;
  /** "12 min of 43 min (28 %)". */
  budgetLeft: string;
  /** Share of the budget left, 0..1, for the bar. */
  budgetShare: number;
  /** "1.4× (runs out before the period ends)". */
  burn: string;
  /** "INC-12 took 60 %", or null with no incident. */
  worstIncident: string | null;
}

const STATUS_WORDS: Record<MeasuredLevel['status'], string> = { BREACHED: 'Budget spent', AT_RISK: 'At risk', MET: 'Met' };
export const statusWords = (s: MeasuredLevel['status']): string => STATUS_WORDS[s];

/** A duration in minutes as a person reads it: "45 s", "12 min", "3 h 05 min", "2 d 4 h". */
export function duration(minutes: number): string {
  if (minutes < 1) return `${Math.round(minutes * 60)} s`;
  if (minutes < 60) return `${Math.round(minutes)} min`;
  const h = Math.floor(minutes / 60);
  if (h < 48) return `${h} h ${String(Math.round(minutes - h * 60)).padStart(2, '0')} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

/** A percentage with as many decimals as a target like 99.95 needs to be compared with it (at most 3). */
export function percent(p: number, decimals = 3): string {
  return `${Number(p.toFixed(decimals))} %`;
}

export function levelRow(l: MeasuredLevel): LevelRow {
  const worst = [...l.incidents].sort((a, b) => b.share - a.share)[0];
  return {
    serviceId: l.serviceId,
    name: l.name,
    status: l.status,
    availability: `${percent(l.availabilityPercent)} of ${percent(l.targetPercent)}`,
    budgetLeft: `${duration(l.budgetLeftMinutes)} of ${duration(l.budgetMinutes)} (${Math.round(l.budgetLeftPercent)} %)`,
    budgetShare: Math.max(0, Math.min(1, l.budgetLeftPercent / 100)),
    burn: `${Number(l.burnRate.toFixed(1))}×${l.burnRate > 1 ? ' (runs out before the period ends)' : ''}`,
    worstIncident: worst ? `${worst.number} took ${Math.round(worst.share * 100)} %` : null,
  };
}
