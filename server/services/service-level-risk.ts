// Owns what a change assessment asks of service levels: for each impacted service that has one, its budget left
// this period and whether the change window touches its service hours.
import { impactSummaries, type ImpactReport } from '../domain/impact';
import type { ImpactedServiceLevel } from '../domain/risk';
import { overlapsServiceHours } from '../domain/service-level';
import type { Tx } from '../neo4j/db';
import { measureServiceLevelsIn } from './service-levels';

export async function impactedServiceLevels(tx: Tx, report: ImpactReport, window: { plannedStart: string; plannedEnd: string }): Promise<ImpactedServiceLevel[]> {
  const services = impactSummaries(report).filter((c) => c.isService);
  if (!services.length) return [];
  const now = Date.now();
  const span = { start: Date.parse(window.plannedStart), end: Date.parse(window.plannedEnd) };
  const measured = await measureServiceLevelsIn(tx, services.map((s) => s.id), now, now);
  return measured.map(({ level, report: r }) => ({
    id: level.serviceId,
    name: level.name,
    budgetLeftPercent: r.budgetLeftPercent,
    budgetSpent: r.status === 'BREACHED',
    windowInServiceHours: level.spec.serviceHours ? overlapsServiceHours(level.spec, span) : null,
  }));
}
