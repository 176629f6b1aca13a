// Owns the Cypher of service level management: the service level kept beside a service CI, and the impact
// intervals an incident leaves on each service it affects (state, from, to) that error budgets are measured from.
import type { ImpactInterval, ServiceLevelSpec } from '../../domain/service-level';
import type { Tx } from '../db';
import { appendChangeLog } from './change-log';

export interface ServiceLevelRow {
  serviceId: string;
  name: string;
  className: string;
  spec: ServiceLevelSpec;
  /** LEVEL: set through the API; ATTRIBUTE: the service's availabilityTarget (or sloTarget) attribute, read as monthly in UTC. */
  origin: 'LEVEL' | 'ATTRIBUTE';
  updatedAt: string | null;
  updatedBy: string | null;
}

export async function putServiceLevel(tx: Tx, serviceId: string, spec: ServiceLevelSpec, actor: string): Promise<void> {
  const h = spec.serviceHours;
  await tx.run(
    `MATCH (s:CI {id: $serviceId})
     MERGE (s)-[:HAS_SERVICE_LEVEL]->(l:ServiceLevel {serviceId: $serviceId})
     SET l.targetPercent = $spec.targetPercent, l.period = $spec.period, l.timeZone = $spec.timeZone,
         l.degradedWeight = $spec.degradedWeight, l.days = $days, l.hoursStart = $start, l.hoursEnd = $end,
         l.updatedAt = datetime(), l.updatedBy = $actor`,
    { serviceId, spec, actor, days: h?.days ?? null, start: h?.start ?? null, end: h?.end ?? null },
  );
  // Impact read models hold each service's level for change assessment: the log tells them to re-read it.
  await appendChangeLog(tx, [serviceId]);
}

export async function deleteServiceLevel(tx: Tx, serviceId: string): Promise<boolean> {
  const res = await tx.run('MATCH (l:ServiceLevel {serviceId: $serviceId}) DETACH DELETE l RETURN count(*) AS n', { serviceId });
  const deleted = (res.records[0]?.get('n') as number) > 0;
  if (deleted) await appendChangeLog(tx, [serviceId]);
  return deleted;
}

// A list per row rather than a map: every service with a level is read for a report, and Bolt would encode a
// map's thirteen keys on each of thousands of rows.
const LEVEL_FIELDS = `[s.id, s.name, s.class, coalesce(l.targetPercent, s.availabilityTarget, s.sloTarget),
  l.period, l.timeZone, l.degradedWeight, l.days, l.hoursStart, l.hoursEnd, l IS NOT NULL, toString(l.updatedAt), l.updatedBy]`;

type RawLevel = [
  serviceId: string,
  name: string,
  className: string,
  target: number,
  period: string | null,
  timeZone: string | null,
  degradedWeight: number | null,
  days: number[] | null,
  start: string | null,
  end: string | null,
  hasLevel: boolean,
  updatedAt: string | null,
  updatedBy: string | null,
];

/** A level's stored fields as a spec; a level read from a target attribute has only the target (monthly, UTC). */
export function specOf(target: number, period: string | null, timeZone: string | null, degradedWeight: number | null, days: number[] | null, start: string | null, end: string | null): ServiceLevelSpec {
  return {
    targetPercent: target,
    period: (period ?? 'MONTH') as ServiceLevelSpec['period'],
    timeZone: timeZone ?? 'UTC',
    serviceHours: days && start && end ? { days, start, end } : null,
    degradedWeight: degradedWeight ?? 0,
  };
}

function toRow([serviceId, name, className, target, period, timeZone, degradedWeight, days, start, end, hasLevel, updatedAt, updatedBy]: RawLevel): ServiceLevelRow {
  return {
    serviceId,
    name,
    className,
    spec: specOf(target, period, timeZone, degradedWeight, days, start, end),
    origin: hasLevel ? 'LEVEL' : 'ATTRIBUTE',
    updatedAt,
    updatedBy,
  };
}

/**
 * Service levels of the named services, or of every service that has one (set through the API, or an
 * availabilityTarget / sloTarget attribute below 100 on a business or application service) when `serviceIds` is null.
 */
export async function serviceLevels(tx: Tx, serviceIds: readonly string[] | null): Promise<ServiceLevelRow[]> {
  const res = serviceIds
    ? await tx.run(
        `UNWIND $ids AS id MATCH (s:CI {id: id}) OPTIONAL MATCH (s)-[:HAS_SERVICE_LEVEL]->(l:ServiceLevel)
         WITH s, l WHERE l IS NOT NULL OR (0 < coalesce(s.availabilityTarget, s.sloTarget) < 100)
         RETURN ${LEVEL_FIELDS} AS l`,
        { ids: serviceIds },
      )
    : await tx.run(
        `CALL { MATCH (s:CI)-[:HAS_SERVICE_LEVEL]->(l:ServiceLevel) RETURN s, l
                UNION
                MATCH (s:Service) WHERE (s:BusinessService OR s:ApplicationService)
                  AND 0 < coalesce(s.availabilityTarget, s.sloTarget) < 100 AND NOT (s)-[:HAS_SERVICE_LEVEL]->(:ServiceLevel)
                RETURN s, null AS l }
         RETURN ${LEVEL_FIELDS} AS l`,
      );
  return res.records.map((r) => toRow(r.get('l') as RawLevel));
}

/** Every impact interval on these services that overlaps [start, end), as epoch milliseconds, per service. */
export async function impactIntervals(tx: Tx, serviceIds: readonly string[], start: number, end: number): Promise<Map<string, ImpactInterval[]>> {
  // One row per service holding its intervals as lists: a year of incidents is tens of thousands of intervals,
  // and a Bolt record (or a map's keys) per interval cost more than reading them.
  const res = await tx.run(
    `UNWIND $ids AS id MATCH (s:CI {id: id})<-[r:IMPACTED]-(i:Incident)
     WHERE r.from < datetime($end) AND (r.to IS NULL OR r.to > datetime($start))
     RETURN id, collect([i.id, r.state, r.from.epochMillis, r.to.epochMillis]) AS intervals`,
    { ids: serviceIds, start: new Date(start).toISOString(), end: new Date(end).toISOString() },
  );
  const out = new Map<string, ImpactInterval[]>();
  for (const r of res.records) {
    const rows = r.get('intervals') as [string, ImpactInterval['state'], number, number | null][];
    out.set(r.get('id') as string, rows.map(([incidentId, state, from, to]) => ({ incidentId, state, start: from, end: to })));
  }
  return out;
}

/** Which of the incident's own timestamps a change of service states happens at. */
export type IncidentStamp = 'openedAt' | 'impactAt' | 'resolvedAt' | 'closedAt';

/**
 * Brings an incident's open intervals in line with the services' states at the incident's `stamp`: an interval
 * whose service changed state or recovered ends, and a new state starts one. Unchanged states keep their
 * interval, so a refresh that moves nothing writes nothing. Intervals take the incident's own timestamp (Neo4j's
 * datetime() reads the statement clock, so the interval would otherwise start a few statements after openedAt).
 */
export async function recordImpactStates(tx: Tx, incidentId: string, stamp: IncidentStamp, states: readonly { id: string; state: string }[]): Promise<void> {
  const ended = await tx.run(
    `MATCH (i:Incident {id: $incidentId})-[r:IMPACTED]->(s:CI) WHERE r.to IS NULL AND NOT {id: s.id, state: r.state} IN $states
     SET r.to = i[$stamp] RETURN collect(s.id) AS ids`,
    { incidentId, states, stamp },
  );
  const started = await tx.run(
    `MATCH (i:Incident {id: $incidentId}) UNWIND $states AS n MATCH (s:CI {id: n.id})
     WHERE NOT EXISTS { MATCH (i)-[r:IMPACTED {state: n.state}]->(s) WHERE r.to IS NULL }
     CREATE (i)-[:IMPACTED {state: n.state, from: i[$stamp]}]->(s) RETURN collect(s.id) AS ids`,
    { incidentId, states, stamp },
  );
  // Impact read models hold the intervals change assessment measures budgets from: the log names the services
  // whose intervals moved, so that every process re-reads them before its next assessment.
  const moved = new Set([...(ended.records[0]?.get('ids') as string[]), ...(started.records[0]?.get('ids') as string[])]);
  if (moved.size) await appendChangeLog(tx, [...moved]);
}
