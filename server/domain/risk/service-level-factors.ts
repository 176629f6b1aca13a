// Owns the change risk that comes from service levels: a blast radius reaching a service whose error budget is
// nearly or wholly spent, and whether the window falls inside or outside impacted services' service hours.
import { levelOf, type ChangeRisk, type RiskFactor } from './risk-score.js';

export interface ImpactedServiceLevel {
  id: string;
  name: string;
  /** Error budget left in the current period, in percent (0 when spent). */
  budgetLeftPercent: number;
  /** Spent: the period's downtime already reached the budget. */
  budgetSpent: boolean;
  /** Null when the service is promised around the clock; else whether the change window touches its hours. */
  windowInServiceHours: boolean | null;
}

/*
 * Weights: error budget 20 (a service with no budget left cannot afford any more downtime this period: as much
 * as a freeze; nearly spent, at or below `nearlySpentPercent` left, counts half), service hours 5 (the window
 * falls in hours the service is promised; outside them its users are not expecting it and its budget is not
 * charged).
 */
export const SERVICE_LEVEL_WEIGHTS = { errorBudget: 20, serviceHours: 5 } as const;

function names(services: readonly ImpactedServiceLevel[]): string {
  return services.map((s) => `${s.name} (${s.id})`).sort().join(', ');
}

export function errorBudgetFactor(services: readonly ImpactedServiceLevel[], nearlySpentPercent: number): RiskFactor {
  const weight = SERVICE_LEVEL_WEIGHTS.errorBudget;
  const name = 'Error budget of impacted services';
  const spent = services.filter((s) => s.budgetSpent);
  const nearly = services.filter((s) => !s.budgetSpent && s.budgetLeftPercent <= nearlySpentPercent);
  if (spent.length) {
    const more = nearly.length ? `; nearly spent on ${names(nearly)}` : '';
    return { name, weight, points: weight, detail: `No error budget left this period on ${names(spent)}${more}: any downtime breaches the service level.` };
  }
  if (nearly.length) {
    return { name, weight, points: weight / 2, detail: `At most ${nearlySpentPercent}% of the error budget left on ${names(nearly)}.` };
  }
  return {
    name,
    weight,
    points: 0,
    detail: services.length ? `Every impacted service with a service level has more than ${nearlySpentPercent}% of its budget left.` : 'No impacted service has a service level.',
  };
}

export function serviceHoursFactor(services: readonly ImpactedServiceLevel[]): RiskFactor {
  const weight = SERVICE_LEVEL_WEIGHTS.serviceHours;
  const name = 'Service hours';
  const withHours = services.filter((s) => s.windowInServiceHours !== null);
  const inside = withHours.filter((s) => s.windowInServiceHours);
  const outside = withHours.filter((s) => !s.windowInServiceHours);
  if (inside.length) {
    const also = outside.length ? `; outside those of ${names(outside)}` : '';
    return { name, weight, points: weight, detail: `The window falls within the service hours of ${names(inside)}${also}.` };
  }
  if (outside.length) {
    return { name, weight, points: 0, detail: `The window falls outside the service hours of ${names(outside)}: downtime then does not count against their budget.` };
  }
  return { name, weight, points: 0, detail: 'No impacted service has service hours.' };
}

/** The risk with the service-level factors added after the others, score and level recomputed. */
export function withServiceLevelFactors(risk: ChangeRisk, services: readonly ImpactedServiceLevel[], nearlySpentPercent: number): ChangeRisk {
  const factors = [...risk.factors, errorBudgetFactor(services, nearlySpentPercent), serviceHoursFactor(services)];
  const score = Math.min(100, factors.reduce((sum, f) => sum + f.points, 0));
  return { score, level: levelOf(score), factors };
}
