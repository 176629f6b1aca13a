// Owns the change risk score: transparent additive factors a change manager can read, never a bare number.

import { criticalityFactor, productionFactor, type ImpactedCiRisk } from './impact-factors.js';

export type { ImpactedCiRisk };

export type ChangeType = 'standard' | 'normal' | 'emergency';
export type RiskLevel = 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';

export interface ChangeRiskInput {
  changeType: ChangeType;
  /** Every CI the change would take down or degrade, services or not, its targets included. */
  impacted: ImpactedCiRisk[];
  /** Redundant groups that would lose members but still hold (ImpactReport.groups with holds && lost > 0). */
  redundancyLost: number;
  /** Failed changes on the same CIs in the last 90 days. */
  failedPastChanges: number;
  /** Planned outside the approved maintenance window. */
  outOfWindow: boolean;
  /** Falls into a freeze/blackout window. */
  inFreeze: boolean;
  /** CIs the change targets. */
  targetCount: number;
}

export interface RiskFactor {
  name: string;
  /** The most points this factor can give. */
  weight: number;
  points: number;
  detail: string;
}

export interface ChangeRisk {
  /** 0..100, the clamped sum of the factors' points. */
  score: number;
  level: RiskLevel;
  /** Every factor considered, in a fixed order, including those that gave no points. */
  factors: RiskFactor[];
}

/*
 * Weights (maximum points per factor; they sum to 125 on purpose, so that several bad signals together reach the
 * 100 cap rather than averaging out):
 *   impacted criticality          30  the worst impacted CI: crit 1 -> 30, 2 -> 20, 3 -> 10, 4 -> 4 for a business
 *                                     service; 3/4 of that for another service, 1/2 for a plain CI; halved again
 *                                     when it is only DEGRADED (it still serves)   [impact-factors.ts]
 *   production impact             20  every impacted CI weighed the same way and by its environment, summed, and
 *                                     saturating without a small cap (4 crit-1 business services: half)
 *   redundancy lost               10  5 per group that would run on reduced redundancy: one more failure
 *                                     during the window would take it down
 *   change type                   15  standard 0 (pre-approved, proven), normal 5, emergency 15 (least tested)
 *   failed past changes           15  5 per failed change on the same CIs in the last 90 days
 *   outside maintenance window    10  users are not expecting disruption
 *   freeze window                 20  the business asked for no change at all
 *   breadth of change              5  1 per target beyond the first, up to 5: more moving parts
 * Levels: LOW < 25 <= MEDIUM < 50 <= HIGH < 75 <= CRITICAL.
 */
export const RISK_WEIGHTS = {
  criticality: 30,
  productionImpact: 20,
  redundancyLost: 10,
  changeType: 15,
  failedPastChanges: 15,
  outOfWindow: 10,
  freeze: 20,
  breadth: 5,
} as const;

const CHANGE_TYPE_POINTS: Record<ChangeType, number> = { standard: 0, normal: 5, emergency: 15 };

/** Counts arrive from queries and forms: treat anything negative or fractional as the whole number it means. */
function count(x: number): number {
  return Number.isFinite(x) ? Math.max(0, Math.floor(x)) : 0;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Score a change from its assessed blast radius and context. Pure: the caller gathers the inputs. */
export function scoreChangeRisk(input: ChangeRiskInput): ChangeRisk {
  const redundancy = count(input.redundancyLost);
  const failedPast = count(input.failedPastChanges);
  const targets = count(input.targetCount);
  const extraTargets = Math.max(0, targets - 1);

  const factors: RiskFactor[] = [
    criticalityFactor(input.impacted, RISK_WEIGHTS.criticality),
    productionFactor(input.impacted, RISK_WEIGHTS.productionImpact),
    {
      name: 'Redundancy lost',
      weight: RISK_WEIGHTS.redundancyLost,
      points: Math.min(RISK_WEIGHTS.redundancyLost, 5 * redundancy),
      detail:
        redundancy === 0
          ? 'No redundant group loses members.'
          : `${plural(redundancy, 'redundant group')} would run with fewer members during the change; one more ` +
            'failure could take it down.',
    },
    {
      name: 'Change type',
      weight: RISK_WEIGHTS.changeType,
      points: CHANGE_TYPE_POINTS[input.changeType],
      detail: {
        standard: 'Standard change: pre-approved and proven.',
        normal: 'Normal change: assessed case by case.',
        emergency: 'Emergency change: expedited, with less testing and review.',
      }[input.changeType],
    },
    {
      name: 'Failed past changes',
      weight: RISK_WEIGHTS.failedPastChanges,
      points: Math.min(RISK_WEIGHTS.failedPastChanges, 5 * failedPast),
      detail:
        failedPast === 0
          ? 'No failed change on these CIs in the last 90 days.'
          : `${plural(failedPast, 'failed change')} on these CIs in the last 90 days.`,
    },
    {
      name: 'Outside maintenance window',
      weight: RISK_WEIGHTS.outOfWindow,
      points: input.outOfWindow ? RISK_WEIGHTS.outOfWindow : 0,
      detail: input.outOfWindow
        ? 'Planned outside the approved maintenance window.'
        : 'Planned within the approved maintenance window.',
    },
    {
      name: 'Freeze window',
      weight: RISK_WEIGHTS.freeze,
      points: input.inFreeze ? RISK_WEIGHTS.freeze : 0,
      detail: input.inFreeze ? 'Falls into a change freeze.' : 'No change freeze applies.',
    },
    {
      name: 'Breadth of change',
      weight: RISK_WEIGHTS.breadth,
      points: Math.min(RISK_WEIGHTS.breadth, extraTargets),
      detail: `${plural(targets, 'target CI')}.`,
    },
  ];

  const score = Math.min(100, Math.round(factors.reduce((sum, f) => sum + f.points, 0) * 10) / 10);
  return { score, level: levelOf(score), factors };
}

export function levelOf(score: number): RiskLevel {
  if (score >= 75) return 'CRITICAL';
  if (score >= 50) return 'HIGH';
  if (score >= 25) return 'MEDIUM';
  return 'LOW';
}
