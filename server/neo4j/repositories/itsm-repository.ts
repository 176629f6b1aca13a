// Owns the Cypher for ITSM records: incidents (and the CIs they affect), problems grouping incidents, change
// requests (their targets, lifecycle and stored assessment snapshot), freeze windows, and numbering.
import neo4j from 'neo4j-driver';
import type { FreezeWindow } from '../../domain/change/windows';
import type { Tx } from '../db';
import { fields } from './fields';

export interface IncidentRecord {
  id: string;
  number: string;
  title: string;
  severity: string;
  status: string;
  openedAt: string;
  openedBy: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolution: string | null;
  closedAt: string | null;
  closedBy: string | null;
  affected: { id: string; state: string }[];
  impactJson: string | null;
  impactAt: string | null;
  problemId: string | null;
}

export interface ChangeRecord {
  id: string;
  number: string;
  title: string;
  description: string | null;
  type: string;
  status: string;
  outcome: string | null;
  plannedStart: string;
  plannedEnd: string;
  requestedBy: string;
  approvedBy: string | null;
  decidedBy: string | null;
  decisionNote: string | null;
  createdAt: string;
  submittedAt: string | null;
  closedAt: string | null;
  targetIds: string[];
  assessmentJson: string | null;
  /** The standard-change model a STANDARD change follows, and the template fields it filled in (JSON). */
  standardModelId: string | null;
  templateJson: string | null;
  /** Submission round: approvals count only within the current one. */
  round: number;
}

/** A freeze as stored: the domain's scoped freeze window, and who declared it. */
export interface FreezeWindowRecord extends FreezeWindow {
  createdBy: string | null;
}

/** Human numbers (INC-0042) from a counter node, incremented inside the caller's transaction. */
export async function nextNumber(tx: Tx, counter: 'incident' | 'change' | 'problem', prefix: string): Promise<string> {
  const res = await tx.run(
    'MERGE (c:Counter {name: $counter}) ON CREATE SET c.value = 0 SET c.value = c.value + 1 RETURN c.value AS v',
    { counter },
  );
  return `${prefix}-${String(res.records[0]!.get('v')).padStart(4, '0')}`;
}

const INCIDENT_FIELDS = `{ id: i.id, number: i.number, title: i.title, severity: i.severity, status: i.status,
  openedAt: toString(i.openedAt), openedBy: i.openedBy, resolvedAt: toString(i.resolvedAt), resolvedBy: i.resolvedBy,
  resolution: i.resolution, closedAt: toString(i.closedAt), closedBy: i.closedBy,
  affected: [(i)-[a:AFFECTS]->(c:CI) | { id: c.id, state: a.state }], impactJson: i.impactJson, impactAt: toString(i.impactAt),
  problemId: head([(p:Problem)-[:GROUPS]->(i) | p.id]) }`;

export async function createIncident(
  tx: Tx,
  r: { id: string; number: string; title: string; severity: string; openedBy: string; affected: { id: string; state: string }[] },
): Promise<void> {
  await tx.run(
    `CREATE (i:Incident {id: $id, number: $number, title: $title, severity: $severity, status: 'OPEN',
                         openedAt: datetime(), openedBy: $openedBy})
     CREATE (i)-[:RECORDED]->(:RecordEvent {at: datetime(), actor: $openedBy, action: 'OPENED', fromStatus: null,
       toStatus: 'OPEN', note: null, warnings: [], detail: null})
     WITH i UNWIND $affected AS a
     MATCH (c:CI {id: a.id})
     CREATE (i)-[:AFFECTS {state: a.state}]->(c)`,
    r,
  );
}

export async function incidentsByIds(tx: Tx, ids: readonly string[]): Promise<Map<string, IncidentRecord>> {
  const res = await tx.run(`UNWIND $ids AS id MATCH (i:Incident {id: id}) RETURN ${INCIDENT_FIELDS} AS i`, { ids });
  return new Map(res.records.map((r) => {
    const i = toIncident(r.get('i'));
    return [i.id, i];
  }));
}

export async function listIncidents(tx: Tx, statuses: string[], limit: number): Promise<IncidentRecord[]> {
  const res = await tx.run(
    `MATCH (i:Incident) WHERE size($statuses) = 0 OR i.status IN $statuses
     WITH i ORDER BY i.openedAt DESC LIMIT $limit
     RETURN ${INCIDENT_FIELDS} AS i`,
    { statuses, limit: neo4j.int(limit) },
  );
  return res.records.map((r) => toIncident(r.get('i')));
}

export async function setIncidentImpact(tx: Tx, id: string, impactJson: string): Promise<void> {
  await tx.run('MATCH (i:Incident {id: $id}) SET i.impactJson = $impactJson, i.impactAt = datetime()', { id, impactJson });
}

const CHANGE_FIELDS = `{ id: c.id, number: c.number, title: c.title, description: c.description, type: c.type, status: c.status,
  outcome: c.outcome, plannedStart: toString(c.plannedStart), plannedEnd: toString(c.plannedEnd), requestedBy: c.requestedBy,
  approvedBy: c.approvedBy, decidedBy: c.decidedBy, decisionNote: c.decisionNote, createdAt: toString(c.createdAt),
  submittedAt: toString(c.submittedAt), closedAt: toString(c.closedAt),
  targetIds: [(c)-[:TARGETS]->(t:CI) | t.id], assessmentJson: c.assessmentJson, standardModelId: c.standardModelId,
  templateJson: c.templateJson, round: coalesce(c.round, 0) }`;

function toChange(props: unknown): ChangeRecord {
  const c = fields(props, 'change');
  return {
    id: c.text('id'),
    number: c.text('number'),
    title: c.text('title'),
    description: c.textOrNull('description'),
    type: c.text('type'),
    status: c.text('status'),
    outcome: c.textOrNull('outcome'),
    plannedStart: c.instant('plannedStart'),
    plannedEnd: c.instant('plannedEnd'),
    requestedBy: c.text('requestedBy'),
    approvedBy: c.textOrNull('approvedBy'),
    decidedBy: c.textOrNull('decidedBy'),
    decisionNote: c.textOrNull('decisionNote'),
    createdAt: c.instant('createdAt'),
    submittedAt: c.instantOrNull('submittedAt'),
    closedAt: c.instantOrNull('closedAt'),
    targetIds: [...c.texts('targetIds')].sort(),
    assessmentJson: c.textOrNull('assessmentJson'),
    standardModelId: c.textOrNull('standardModelId'),
    templateJson: c.textOrNull('templateJson'),
    round: c.numberOrNull('round') ?? 0,
  };
}

function toIncident(props: unknown): IncidentRecord {
  const i = fields(props, 'incident');
  const affected = (props as { affected?: unknown[] }).affected ?? [];
  return {
    id: i.text('id'),
    number: i.text('number'),
    title: i.text('title'),
    severity: i.text('severity'),
    status: i.text('status'),
    openedAt: i.instant('openedAt'),
    openedBy: i.text('openedBy'),
    resolvedAt: i.instantOrNull('resolvedAt'),
    resolvedBy: i.textOrNull('resolvedBy'),
    resolution: i.textOrNull('resolution'),
    closedAt: i.instantOrNull('closedAt'),
    closedBy: i.textOrNull('closedBy'),
    affected: affected.map((a) => {
      const f = fields(a, `affected CI of incident ${i.text('number')}`);
      return { id: f.text('id'), state: f.text('state') };
    }),
    impactJson: i.textOrNull('impactJson'),
    impactAt: i.instantOrNull('impactAt'),
    problemId: i.textOrNull('problemId'),
  };
}

export async function createChange(
  tx: Tx,
  r: {
    id: string;
    number: string;
    title: string;
    description: string | null;
    type: string;
    plannedStart: string;
    plannedEnd: string;
    requestedBy: string;
    targetIds: string[];
    standardModelId: string | null;
    templateJson: string | null;
  },
): Promise<void> {
  await tx.run(
    `CREATE (c:Change {id: $id, number: $number, title: $title, description: $description, type: $type, status: 'DRAFT',
                       plannedStart: datetime($plannedStart), plannedEnd: datetime($plannedEnd), requestedBy: $requestedBy,
                       createdAt: datetime(), standardModelId: $standardModelId, templateJson: $templateJson, round: 0})
     CREATE (c)-[:RECORDED]->(:RecordEvent {at: datetime(), actor: $requestedBy, action: 'CREATED', fromStatus: null,
       toStatus: 'DRAFT', note: null, warnings: [], detail: null})
     WITH c UNWIND $targetIds AS tid
     MATCH (t:CI {id: tid})
     CREATE (c)-[:TARGETS]->(t)`,
    r,
  );
}

export async function changesByIds(tx: Tx, ids: readonly string[]): Promise<Map<string, ChangeRecord>> {
  const res = await tx.run(`UNWIND $ids AS id MATCH (c:Change {id: id}) RETURN ${CHANGE_FIELDS} AS c`, { ids });
  return new Map(res.records.map((r) => {
    const c = toChange(r.get('c'));
    return [c.id, c];
  }));
}

export async function listChanges(tx: Tx, statuses: string[], limit: number): Promise<ChangeRecord[]> {
  const res = await tx.run(
    `MATCH (c:Change) WHERE size($statuses) = 0 OR c.status IN $statuses
     WITH c ORDER BY c.plannedStart DESC LIMIT $limit RETURN ${CHANGE_FIELDS} AS c`,
    { statuses, limit: neo4j.int(limit) },
  );
  return res.records.map((r) => toChange(r.get('c')));
}

/** Open changes whose planned window overlaps [start, end), other than `exceptId`. */
export async function overlappingChanges(tx: Tx, start: string, end: string, exceptId: string): Promise<ChangeRecord[]> {
  const res = await tx.run(
    `MATCH (c:Change)
     WHERE c.id <> $exceptId AND NOT c.status IN ['REJECTED', 'CANCELLED', 'CLOSED']
       AND c.plannedStart < datetime($end) AND c.plannedEnd > datetime($start)
     RETURN ${CHANGE_FIELDS} AS c ORDER BY c.plannedStart`,
    { start, end, exceptId },
  );
  return res.records.map((r) => toChange(r.get('c')));
}

/** Closed changes that failed or were backed out, on any of these CIs, since `since`. */
export async function failedChangesOn(tx: Tx, ciIds: string[], since: string): Promise<number> {
  const res = await tx.run(
    `MATCH (c:Change)-[:TARGETS]->(t:CI) WHERE t.id IN $ciIds AND c.status = 'CLOSED'
       AND c.outcome IN ['FAILED', 'BACKED_OUT'] AND c.closedAt >= datetime($since)
     RETURN count(DISTINCT c) AS n`,
    { ciIds, since },
  );
  return res.records[0]!.get('n') as number;
}

/** Points a change at new targets and window; the caller has taken the change's lock with a guarded step. */
export async function replanChange(tx: Tx, id: string, r: { plannedStart: string; plannedEnd: string; targetIds: string[] }): Promise<void> {
  await tx.run(
    `MATCH (c:Change {id: $id})
     SET c.plannedStart = datetime($plannedStart), c.plannedEnd = datetime($plannedEnd)
     WITH c
     CALL (c) { MATCH (c)-[t:TARGETS]->() DELETE t }
     WITH c UNWIND $targetIds AS tid
     MATCH (t:CI {id: tid})
     CREATE (c)-[:TARGETS]->(t)`,
    { id, ...r },
  );
}

export async function updateChange(tx: Tx, id: string, set: Record<string, string | null>, datetimes: string[] = []): Promise<void> {
  const params: Record<string, unknown> = { id };
  const parts: string[] = [];
  for (const [k, v] of Object.entries(set)) {
    params[`v_${k}`] = v;
    parts.push(datetimes.includes(k) ? `c.${k} = CASE WHEN $v_${k} IS NULL THEN null ELSE datetime($v_${k}) END` : `c.${k} = $v_${k}`);
  }
  // Keys are fixed by the service (never user input), so they may form property names here.
  for (const k of Object.keys(set)) if (!/^[a-zA-Z]+$/.test(k)) throw new Error(`bad field ${k}`);
  await tx.run(`MATCH (c:Change {id: $id}) SET ${parts.join(', ')}`, params);
}

export async function createFreezeWindow(tx: Tx, r: FreezeWindowRecord): Promise<void> {
  await tx.run(
    `CREATE (:FreezeWindow {id: $id, name: $name, start: datetime($start), end: datetime($end), serviceIds: $serviceIds,
       environments: $environments, createdBy: $createdBy, createdAt: datetime()})`,
    { ...r },
  );
}

export async function freezeWindows(tx: Tx, start?: string, end?: string): Promise<FreezeWindowRecord[]> {
  const res = await tx.run(
    `MATCH (f:FreezeWindow)
     WHERE $start IS NULL OR (f.start < datetime($end) AND f.end > datetime($start))
     RETURN f.id AS id, f.name AS name, f.start AS start, f.end AS end, coalesce(f.serviceIds, []) AS serviceIds,
       coalesce(f.environments, []) AS environments, f.createdBy AS createdBy ORDER BY f.start`,
    { start: start ?? null, end: end ?? null },
  );
  return res.records.map((r) => {
    const f = fields(r.toObject(), 'freeze window');
    return {
      id: f.text('id'),
      name: f.text('name'),
      start: f.instant('start'),
      end: f.instant('end'),
      serviceIds: f.texts('serviceIds'),
      environments: f.texts('environments'),
      createdBy: f.textOrNull('createdBy'),
    };
  });
}
