// Owns the reads that fill the impact read model (server/domain/impact/read-model.ts): every CI with the fields
// propagation reads, its owners and its outgoing impacting relationships, in pages by id (so no transaction holds
// the whole estate), and the same rows for the CIs a change log entry names.
import neo4j from 'neo4j-driver';
import type { ClassModel } from '../../domain/class-model/types';
import type { ModelRow, ModelServiceLevel } from '../../domain/impact/read-model';
import { LONGEST_PERIOD_MS, type ImpactInterval, type ServiceLevelSpec } from '../../domain/service-level';
import type { Tx } from '../db';
import { typePattern } from './graph-repository';
import { specOf } from './service-level-repository';

/** CIs per page while the whole model loads: about 10 MB of rows, well under a transaction's memory limit. */
export const LOAD_PAGE = 20_000;

type RawLevel = [target: number | null, period: string | null, timeZone: string | null, degradedWeight: number | null, days: number[] | null, start: string | null, end: string | null];
type RawInterval = [incidentId: string, state: ImpactInterval['state'], from: number, to: number | null];
type RawRow = [string, string, string, number | null, string | null, boolean | null, string | null, boolean, string[], [string, string, boolean | null][], RawLevel | null, unknown, RawInterval[]];

// A list per row rather than a map: Bolt encodes a map's keys on every row. A service's level and its impact
// intervals ride along for change assessment; the intervals are read only for a CI with a level or a target.
const rowOf = (pattern: string) => `[a.id, a.name, a.class, a.criticality, a.environment, a.stale, a.redundancy, a.lifecycle = 'retired',
  [(a)-[:OWNED_BY]->(t:Team) | t.name],
  [(a)-[r:${pattern}]->(b:CI) | [b.id, type(r), r.absent]],
  [(a)-[:HAS_SERVICE_LEVEL]->(l:ServiceLevel) | [l.targetPercent, l.period, l.timeZone, l.degradedWeight, l.days, l.hoursStart, l.hoursEnd]][0],
  coalesce(a.availabilityTarget, a.sloTarget),
  CASE WHEN coalesce(a.availabilityTarget, a.sloTarget) IS NULL AND NOT EXISTS { (a)-[:HAS_SERVICE_LEVEL]->(:ServiceLevel) } THEN []
       ELSE [(a)<-[r:IMPACTED]-(i:Incident) WHERE r.to IS NULL OR r.to > datetime($intervalsSince) | [i.id, r.state, r.from.epochMillis, r.to.epochMillis]] END] AS row`;

function toModelRow([id, name, className, criticality, environment, stale, redundancy, retired, owners, out, level, target, intervals]: RawRow): ModelRow {
  return {
    id,
    name,
    className,
    criticality,
    environment,
    stale: stale === true,
    redundancy,
    retired,
    owners,
    out: out.map(([to, type, absent]) => ({ to, type, absent: absent === true })),
    serviceLevel: levelOf(level, target, intervals),
  };
}

/** As serviceLevels reads it: a level set through the API, else a target attribute strictly between 0 and 100. */
function levelOf(level: RawLevel | null, target: unknown, intervals: RawInterval[]): ModelServiceLevel | null {
  const withIntervals = (spec: ServiceLevelSpec, origin: ModelServiceLevel['origin']): ModelServiceLevel => ({
    spec,
    origin,
    intervals: intervals.map(([incidentId, state, from, to]) => ({ incidentId, state, start: from, end: to })),
  });
  if (level) {
    const [levelTarget, period, zone, weight, days, start, end] = level;
    return withIntervals(specOf(levelTarget ?? Number(target), period, zone, weight, days, start, end), 'LEVEL');
  }
  if (typeof target === 'number' && target > 0 && target < 100) return withIntervals(specOf(target, null, null, null, null, null, null), 'ATTRIBUTE');
  return null;
}

/** Intervals the model keeps: open ones and those ending within the longest period a level measures (a year). */
function intervalsSince(): string {
  return new Date(Date.now() - LONGEST_PERIOD_MS).toISOString();
}

/** One page of the whole estate: the CIs whose id sorts after `after` (the unique index keeps them in order). */
export async function modelPage(tx: Tx, model: ClassModel, after: string, limit = LOAD_PAGE): Promise<ModelRow[]> {
  const pattern = typePattern(model, model.impactingTypes());
  const res = await tx.run(`MATCH (a:CI) WHERE a.id > $after WITH a ORDER BY a.id LIMIT $limit RETURN ${rowOf(pattern)}`, {
    after,
    limit: neo4j.int(limit),
    intervalsSince: intervalsSince(),
  });
  return res.records.map((r) => toModelRow(r.get('row') as RawRow));
}

/** The rows of these CIs, for those that exist. */
export async function modelRows(tx: Tx, model: ClassModel, ids: readonly string[]): Promise<ModelRow[]> {
  if (!ids.length) return [];
  const pattern = typePattern(model, model.impactingTypes());
  const res = await tx.run(`UNWIND $ids AS id MATCH (a:CI {id: id}) RETURN ${rowOf(pattern)}`, { ids: [...ids], intervalsSince: intervalsSince() });
  return res.records.map((r) => toModelRow(r.get('row') as RawRow));
}
