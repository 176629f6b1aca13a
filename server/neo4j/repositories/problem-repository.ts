// Owns the Cypher for problems: creating one over incidents that no other problem holds, moving an incident
// between problems only when asked, reading problems with their incidents and CIs, and searching known errors.
import neo4j from 'neo4j-driver';
import type { Tx } from '../db';
import { fields } from './fields';

export interface ProblemRecord {
  id: string;
  number: string;
  title: string;
  status: string;
  createdBy: string | null;
  createdAt: string | null;
  rootCause: string | null;
  rootCauseCiId: string | null;
  workaround: string | null;
  resolution: string | null;
  knownErrorAt: string | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
  closedAt: string | null;
  closedBy: string | null;
  incidentIds: string[];
  /** The CIs of its incidents, and its confirmed root-cause CI: what a known error is matched on. */
  ciIds: string[];
}

const PROBLEM_FIELDS = `p { .id, .number, .title, .status, .createdBy, createdAt: toString(p.createdAt), .rootCause, .rootCauseCiId,
  .workaround, .resolution, knownErrorAt: toString(p.knownErrorAt), resolvedAt: toString(p.resolvedAt), .resolvedBy,
  closedAt: toString(p.closedAt), .closedBy, incidentIds: [(p)-[:GROUPS]->(i:Incident) | i.id],
  ciIds: affected + CASE WHEN p.rootCauseCiId IS NULL OR p.rootCauseCiId IN affected THEN [] ELSE [p.rootCauseCiId] END }`;

const WITH_CIS = `CALL (p) {
    OPTIONAL MATCH (p)-[:GROUPS]->(:Incident)-[:AFFECTS]->(c:CI)
    RETURN collect(DISTINCT c.id) AS affected
  }`;

function toRecord(props: unknown): ProblemRecord {
  const p = fields(props, 'problem');
  return {
    id: p.text('id'),
    number: p.text('number'),
    title: p.text('title'),
    status: p.text('status'),
    createdBy: p.textOrNull('createdBy'),
    createdAt: p.instantOrNull('createdAt'),
    rootCause: p.textOrNull('rootCause'),
    rootCauseCiId: p.textOrNull('rootCauseCiId'),
    workaround: p.textOrNull('workaround'),
    resolution: p.textOrNull('resolution'),
    knownErrorAt: p.instantOrNull('knownErrorAt'),
    resolvedAt: p.instantOrNull('resolvedAt'),
    resolvedBy: p.textOrNull('resolvedBy'),
    closedAt: p.instantOrNull('closedAt'),
    closedBy: p.textOrNull('closedBy'),
    incidentIds: [...p.texts('incidentIds')].sort(),
    ciIds: p.texts('ciIds'),
  };
}

/** Creates the problem over incidents that belong to no problem; returns the ids it grouped. */
export async function createProblem(tx: Tx, r: { id: string; number: string; title: string; incidentIds: string[]; createdBy: string; note: string | null }): Promise<string[]> {
  const res = await tx.run(
    `CREATE (p:Problem {id: $id, number: $number, title: $title, status: 'OPEN', createdAt: datetime(), createdBy: $createdBy})
     CREATE (p)-[:RECORDED]->(:RecordEvent {at: datetime(), actor: $createdBy, action: 'CREATED', fromStatus: null,
       toStatus: 'OPEN', note: $note, warnings: [], detail: $detail})
     WITH p UNWIND $incidentIds AS iid
     MATCH (i:Incident {id: iid}) WHERE NOT EXISTS { (:Problem)-[:GROUPS]->(i) }
     CREATE (p)-[:GROUPS]->(i)
     RETURN i.id AS id`,
    { ...r, detail: JSON.stringify({ incidentIds: r.incidentIds }) },
  );
  return res.records.map((x) => fields(x.toObject(), 'grouped incident').text('id'));
}

/** The problem each of these incidents belongs to, if any. */
export async function problemsOfIncidents(tx: Tx, incidentIds: string[]): Promise<Map<string, { id: string; number: string }>> {
  const res = await tx.run(
    `UNWIND $incidentIds AS iid MATCH (p:Problem)-[:GROUPS]->(i:Incident {id: iid}) RETURN iid, p.id AS id, p.number AS number`,
    { incidentIds },
  );
  return new Map(
    res.records.map((r) => {
      const f = fields(r.toObject(), 'problem of an incident');
      return [f.text('iid'), { id: f.text('id'), number: f.text('number') }];
    }),
  );
}

/** Adds an incident no problem holds; false when it is held (or missing). */
export async function groupIncident(tx: Tx, problemId: string, incidentId: string): Promise<boolean> {
  const res = await tx.run(
    `MATCH (p:Problem {id: $problemId}), (i:Incident {id: $incidentId}) WHERE NOT EXISTS { (:Problem)-[:GROUPS]->(i) }
     CREATE (p)-[:GROUPS]->(i) RETURN i.id`,
    { problemId, incidentId },
  );
  return res.records.length > 0;
}

/** Moves an incident from the problem that holds it to another; false when `fromId` does not hold it. */
export async function moveIncident(tx: Tx, incidentId: string, fromId: string, toId: string): Promise<boolean> {
  const res = await tx.run(
    `MATCH (from:Problem {id: $fromId})-[g:GROUPS]->(i:Incident {id: $incidentId}), (to:Problem {id: $toId})
     DELETE g CREATE (to)-[:GROUPS]->(i) RETURN i.id`,
    { incidentId, fromId, toId },
  );
  return res.records.length > 0;
}

export async function problemsByIds(tx: Tx, ids: string[]): Promise<Map<string, ProblemRecord>> {
  const res = await tx.run(`UNWIND $ids AS pid MATCH (p:Problem {id: pid}) ${WITH_CIS} RETURN ${PROBLEM_FIELDS} AS p`, { ids });
  return new Map(res.records.map((r) => {
    const p = toRecord(r.get('p'));
    return [p.id, p];
  }));
}

export async function listProblems(tx: Tx, statuses: string[], limit: number): Promise<ProblemRecord[]> {
  const res = await tx.run(
    `MATCH (p:Problem) WHERE size($statuses) = 0 OR p.status IN $statuses
     WITH p ORDER BY p.createdAt DESC LIMIT $limit ${WITH_CIS} RETURN ${PROBLEM_FIELDS} AS p`,
    { statuses, limit: neo4j.int(limit) },
  );
  return res.records.map((r) => toRecord(r.get('p')));
}

/**
 * Known errors whose text mentions `text` (title, root cause, workaround; case-insensitive) and, when `ciIds`
 * is given, that touch one of those CIs (through their incidents or their root-cause CI).
 */
export async function knownErrors(tx: Tx, q: { text: string | null; ciIds: string[] | null; limit: number }): Promise<ProblemRecord[]> {
  const res = await tx.run(
    `MATCH (p:Problem {status: 'KNOWN_ERROR'})
     WHERE ($text IS NULL OR toLower(p.title + ' ' + coalesce(p.rootCause, '') + ' ' + coalesce(p.workaround, '')) CONTAINS toLower($text))
       AND ($ciIds IS NULL OR p.rootCauseCiId IN $ciIds
            OR EXISTS { (p)-[:GROUPS]->(:Incident)-[:AFFECTS]->(c:CI) WHERE c.id IN $ciIds })
     WITH p ORDER BY p.knownErrorAt DESC LIMIT $limit ${WITH_CIS} RETURN ${PROBLEM_FIELDS} AS p`,
    { text: q.text, ciIds: q.ciIds, limit: neo4j.int(q.limit) },
  );
  return res.records.map((r) => toRecord(r.get('p')));
}
