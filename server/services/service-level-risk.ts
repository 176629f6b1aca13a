// Owns what a change assessment asks of service levels: for each impacted service that has one, its budget left
// this period and whether the change window touches its service hours.
import { impactSummaries, type ImpactReport } from '../domain/impact';
import type { ImpactedServiceLevel } from '../domain/risk';
import { measureServiceLevel, overlapsServiceHours, type ServiceLevelReport, type ServiceLevelSpec } from '../domain/service-level';
import type { Tx } from '../neo4j/db';
import type { HeldServiceLevel } from './impact-read-model';
import { MAX_MEASURED_SERVICES, measureServiceLevelsIn } from './service-levels';

interface Measured {
  id: string;
  name: string;
  spec: ServiceLevelSpec;
  report: ServiceLevelReport;
}

/**
 * `held`: the levels the read model holds for the report's services (with their recent impact intervals), so
 * that thousands of impacted services cost no lookups; without it they are read from Neo4j in `tx`.
 */
export async function impactedServiceLevels(
  tx: Tx,
  report: ImpactReport,
  window: { plannedStart: string; plannedEnd: string },
  held?: readonly HeldServiceLevel[],
): Promise<ImpactedServiceLevel[]> {
  const ids = impactSummaries(report).filter((c) => c.isService).map((c) => c.id);
  if (!ids.length) return [];
  const now = Date.now();
  const measured = held ? measureHeld(held, now) : await measureStored(tx, ids, now);
  const span = { start: Date.parse(window.plannedStart), end: Date.parse(window.plannedEnd) };
  return measured.map(({ id, name, spec, report: r }) => ({
    id,
    name,
    budgetLeftPercent: r.budgetLeftPercent,
    budgetSpent: r.status === 'BREACHED',
    windowInServiceHours: spec.serviceHours ? overlapsServiceHours(spec, span) : null,
  }));
}

function measureHeld(levels: readonly HeldServiceLevel[], now: number): Measured[] {
  return levels.slice(0, MAX_MEASURED_SERVICES).map(({ id, name, level }) => ({ id, name, spec: level.spec, report: measureServiceLevel(level.spec, level.intervals, now, now) }));
}

async function measureStored(tx: Tx, ids: string[], now: number): Promise<Measured[]> {
  return (await measureServiceLevelsIn(tx, ids, now, now)).map(({ level, report }) => ({ id: level.serviceId, name: level.name, spec: level.spec, report }));
}
