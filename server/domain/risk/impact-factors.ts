// Owns the two risk factors read from a change's blast radius: how critical the worst impacted CI is, and how much
// production is impacted in all. Every impacted CI counts (an estate with no service classes has risk too).

import type { ServiceKind } from '../class-model/types.js';

/** One impacted CI as the risk score sees it; failed targets included, since the change takes them down. */
export interface ImpactedCiRisk {
  id: string;
  name: string;
  className: string;
  /** 1 = most critical ... 4. */
  criticality: number;
  environment?: string;
  state: 'DOWN' | 'DEGRADED';
  isService: boolean;
  serviceKind?: ServiceKind;
}

export interface ImpactFactor {
  name: string;
  weight: number;
  points: number;
  detail: string;
}

/** Criticality 1 counts in full; the old service-only scale (30, 20, 10, 4 points) kept as ratios. */
const CRITICALITY_SHARE: Record<number, number> = { 1: 1, 2: 2 / 3, 3: 1 / 3, 4: 2 / 15 };

/**
 * What a CI is to the people who consume it: a business service is what customers see, any other service is a
 * deployed stack standing for several CIs, a plain CI is one part among many.
 */
const TIER_SHARE = { business: 1, service: 0.75, ci: 0.5 } as const;
const TIER_TEXT = { business: 'business service', service: 'service', ci: 'CI, counted at half a business service' } as const;

/**
 * Production counts in full. A CI with no environment (hosts, databases found by discovery) may well serve
 * production, so it counts at half; a named non-production environment at a tenth.
 */
function environmentShare(environment: string | undefined): number {
  const env = (environment ?? '').trim().toLowerCase();
  if (env === '') return 0.5;
  return env === 'production' || env === 'prod' ? 1 : 0.1;
}

/**
 * Production impact saturates towards its weight without a cap at a small count: each "unit" (a DOWN,
 * criticality-1 business service in production) closes a fixed share of the distance left, so 4 units give half
 * the weight, 8 three quarters, 17 about 95%. More impact always scores more until the rounding runs out.
 */
const HALF_WEIGHT_UNITS = 4;

function tierOf(ci: ImpactedCiRisk): keyof typeof TIER_SHARE {
  if (!ci.isService) return 'ci';
  return ci.serviceKind === 'business' ? 'business' : 'service';
}

function criticalityShare(ci: ImpactedCiRisk): number {
  return CRITICALITY_SHARE[Math.min(4, Math.max(1, Math.round(ci.criticality)))]!;
}

/** The share of a full factor one CI stands for, before its environment: criticality x tier x state. */
function severity(ci: ImpactedCiRisk): number {
  return criticalityShare(ci) * TIER_SHARE[tierOf(ci)] * (ci.state === 'DOWN' ? 1 : 0.5);
}

const round1 = (x: number) => Math.round(x * 10) / 10;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Heaviest first; ties by name then id, so the detail names the same CIs every time. */
function byWeight<T extends { ci: ImpactedCiRisk; w: number }>(a: T, b: T): number {
  return b.w - a.w || (a.ci.name < b.ci.name ? -1 : a.ci.name > b.ci.name ? 1 : 0) || (a.ci.id < b.ci.id ? -1 : 1);
}

/**
 * The `n` heaviest in `byWeight` order: one pass keeping a short sorted list, since a blast radius holds thousands
 * of CIs and a detail names a handful (sorting them all was most of an assessment's risk time).
 */
function heaviest<T extends { ci: ImpactedCiRisk; w: number }>(items: Iterable<T>, n: number): T[] {
  const top: T[] = [];
  for (const item of items) {
    if (top.length === n && byWeight(item, top[n - 1]!) >= 0) continue;
    let k = Math.min(top.length, n - 1);
    while (k > 0 && byWeight(item, top[k - 1]!) < 0) k--;
    top.splice(k, 0, item);
    if (top.length > n) top.pop();
  }
  return top;
}

export function criticalityFactor(impacted: readonly ImpactedCiRisk[], weight: number): ImpactFactor {
  const name = 'Impacted criticality';
  const worst = heaviest(impacted.map((ci) => ({ ci, w: severity(ci) })), 1)[0];
  if (!worst) return { name, weight, points: 0, detail: 'Nothing is impacted.' };
  const { ci } = worst;
  const others = impacted.length - 1;
  return {
    name,
    weight,
    points: round1(weight * worst.w),
    detail:
      `Most critical impacted: ${ci.name} (${ci.className}, criticality ${ci.criticality}, ${ci.state}` +
      `${ci.state === 'DEGRADED' ? ' so counted at half' : ''}; a ${TIER_TEXT[tierOf(ci)]})` +
      (others > 0 ? `; ${plural(others, 'other CI')} impacted.` : '.'),
  };
}

export function productionFactor(impacted: readonly ImpactedCiRisk[], weight: number): ImpactFactor {
  const name = 'Production impact';
  const weighed = impacted.map((ci) => ({ ci, w: severity(ci) * environmentShare(ci.environment) }));
  const units = weighed.reduce((sum, r) => sum + r.w, 0);
  if (weighed.length === 0) return { name, weight, points: 0, detail: 'Nothing is impacted.' };
  const prod = impacted.filter((ci) => environmentShare(ci.environment) === 1);
  const services = prod.filter((ci) => ci.isService).length;
  const unset = impacted.filter((ci) => environmentShare(ci.environment) === 0.5).length;
  const named = heaviest(weighed, 5).map((r) => r.ci.name);
  const more = weighed.length - named.length;
  return {
    name,
    weight,
    points: round1(weight * (1 - 0.5 ** (units / HALF_WEIGHT_UNITS))),
    detail:
      `${plural(prod.length, 'production CI')} impacted (${plural(services, 'service')}), ` +
      `${unset} with no environment set; they weigh ${round1(units)} criticality-1 production business ` +
      `services (${HALF_WEIGHT_UNITS} give half the points). Heaviest: ${named.join(', ')}` +
      (more > 0 ? ` and ${more} more.` : '.'),
  };
}
