// Owns service level management: setting a business or application service's level, and measuring every
// service's period (availability, error budget, burn, incidents' shares) from the impact intervals incidents left.
import type { ClassModel } from '../domain/class-model/types';
import {
  calendarPeriod,
  compareByRisk,
  measureServiceLevel,
  toServiceLevelSpec,
  type ServiceLevelInput,
  type ServiceLevelReport,
} from '../domain/service-level';
import { NotFoundError, ValidationError } from '../errors';
import type { Db, Tx } from '../neo4j/db';
import { cisByIds } from '../neo4j/repositories/ci-repository';
import { deleteServiceLevel, impactIntervals, putServiceLevel, serviceLevels, type ServiceLevelRow } from '../neo4j/repositories/service-level-repository';

export interface MeasuredServiceLevel {
  level: ServiceLevelRow;
  report: ServiceLevelReport;
}

/** Most services one report measures: a bound on the work one request can ask for. */
export const MAX_MEASURED_SERVICES = 20_000;

/** Measures the period holding `at` for these services (null: every service with a level), at risk first. */
export async function measureServiceLevelsIn(tx: Tx, serviceIds: readonly string[] | null, at: number, now: number): Promise<MeasuredServiceLevel[]> {
  const levels = (await serviceLevels(tx, serviceIds)).slice(0, MAX_MEASURED_SERVICES);
  if (!levels.length) return [];
  const periods = levels.map((l) => calendarPeriod(l.spec.period, at, l.spec.timeZone));
  const start = Math.min(...periods.map((p) => p.start));
  const end = Math.max(...periods.map((p) => p.end));
  const intervals = await impactIntervals(tx, levels.map((l) => l.serviceId), start, end);
  return levels
    .map((level) => ({ level, report: measureServiceLevel(level.spec, intervals.get(level.serviceId) ?? [], at, now) }))
    .sort((a, b) => compareByRisk(a.report, b.report) || a.level.name.localeCompare(b.level.name));
}

export class ServiceLevelService {
  constructor(
    private readonly db: Db,
    private readonly model: ClassModel,
  ) {}

  /** Sets (or replaces) the service level of a business or application service. */
  async set(serviceId: string, input: ServiceLevelInput, actor: string): Promise<MeasuredServiceLevel> {
    const spec = toServiceLevelSpec(input);
    await this.db.write(async (tx) => {
      const ci = (await cisByIds(tx, [serviceId])).get(serviceId);
      if (!ci) throw new NotFoundError('CI', serviceId, 'serviceId');
      const kind = this.model.serviceKind(ci.className);
      if (kind !== 'business' && kind !== 'application') {
        throw new ValidationError('serviceId', `${ci.name} is a ${ci.className}; service levels are set on business and application services`);
      }
      await putServiceLevel(tx, serviceId, spec, actor);
    });
    return (await this.measure({ serviceIds: [serviceId] }))[0]!;
  }

  /** Removes a level set through the API (a service's availabilityTarget attribute, if any, applies again). */
  async remove(serviceId: string): Promise<boolean> {
    return this.db.write((tx) => deleteServiceLevel(tx, serviceId));
  }

  async measure(opts: { at?: string | null; serviceIds?: readonly string[] | null; atRiskOnly?: boolean; limit?: number }): Promise<MeasuredServiceLevel[]> {
    const now = Date.now();
    const at = opts.at ? Date.parse(opts.at) : now;
    if (at > now) throw new ValidationError('at', 'must not be in the future');
    const limit = opts.limit ?? 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new ValidationError('limit', 'must be between 1 and 1000');
    if (opts.serviceIds && opts.serviceIds.length > 1000) throw new ValidationError('serviceIds', 'name at most 1000 services');
    const all = await this.db.read((tx) => measureServiceLevelsIn(tx, opts.serviceIds ?? null, at, now));
    return all.filter((m) => !opts.atRiskOnly || m.report.status !== 'MET').slice(0, limit);
  }
}
