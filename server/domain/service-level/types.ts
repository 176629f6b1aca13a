// Owns the plain data a service level is computed from and reported as (no I/O, instants as epoch milliseconds).

export const PERIODS = ['WEEK', 'MONTH', 'QUARTER', 'YEAR'] as const;
export type Period = (typeof PERIODS)[number];

export interface Span {
  start: number;
  end: number;
}

/** Hours during which the service is promised, on ISO weekdays (1 = Monday ... 7 = Sunday), local clock 'HH:MM'. */
export interface ServiceHours {
  days: number[];
  start: string;
  end: string;
}

export interface ServiceLevelSpec {
  /** Availability promised over each calendar period, in percent, below 100 (100 leaves no error budget). */
  targetPercent: number;
  period: Period;
  /** IANA zone the period boundaries and service hours are read in. */
  timeZone: string;
  /** Null: around the clock. */
  serviceHours: ServiceHours | null;
  /** How much a minute of DEGRADED counts against the budget (0..1); a DOWN minute always counts 1. */
  degradedWeight: number;
}

/** One state a service was in because of one incident, from `start` until `end` (null: still going). */
export interface ImpactInterval {
  incidentId: string;
  state: 'DOWN' | 'DEGRADED';
  start: number;
  end: number | null;
}

export type ServiceLevelStatus = 'BREACHED' | 'AT_RISK' | 'MET';

export interface IncidentShare {
  incidentId: string;
  /** Budget minutes this incident consumed; time shared with other incidents is split between them. */
  consumedMinutes: number;
  /** Share of everything consumed in the period (0..1). */
  share: number;
}

export interface ServiceLevelReport {
  period: Span;
  /** Service minutes in the whole period: the base the target applies to. */
  serviceMinutes: number;
  /** Service minutes from the period's start until `now` (the whole period once it is over). */
  elapsedServiceMinutes: number;
  downMinutes: number;
  degradedMinutes: number;
  /** Down minutes plus degraded minutes times the weight: what the budget pays. */
  consumedMinutes: number;
  /** Over the elapsed service time, in percent. */
  availabilityPercent: number;
  budgetMinutes: number;
  /** Never below zero; `status` says BREACHED when it is gone. */
  budgetLeftMinutes: number;
  budgetLeftPercent: number;
  /** Share of the budget consumed over share of the service time elapsed: above 1 spends it before the period ends. */
  burnRate: number;
  status: ServiceLevelStatus;
  incidents: IncidentShare[];
}
