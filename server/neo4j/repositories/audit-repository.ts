// Owns the Cypher of the estate-wide audit trail: History entries across every CI and team, newest first, with
// filters and a keyset cursor (at, id) so a page never skips or repeats an entry while writes go on.
import neo4j from 'neo4j-driver';
import type { HistoryRow } from './ci-writes';
import type { Tx } from '../db';
import { fields } from './fields';
import { readFieldChanges } from './stored-json';

export interface AuditFilter {
  actor: string | null;
  source: string | null;
  /** A class the model knows (checked by the caller); matched against the CI's labels, so subclasses count. */
  className: string | null;
  ciId: string | null;
  from: string | null;
  to: string | null;
  actions: string[];
}

export interface AuditCursor {
  at: string;
  id: string;
}

/** A History entry, with what it was about. */
export interface AuditRow extends HistoryRow {
  subject: { id: string; name: string; kind: 'CI' | 'TEAM'; className: string | null };
}

function whereHistory(f: AuditFilter, after: AuditCursor | null): string {
  return [
    f.from ? 'h.at >= datetime($from)' : null,
    f.to ? 'h.at < datetime($to)' : null,
    f.actor ? 'h.actor = $actor' : null,
    f.source ? 'h.source = $source' : null,
    f.actions.length ? 'h.action IN $actions' : null,
    after ? '(h.at < datetime($afterAt) OR (h.at = datetime($afterAt) AND h.id < $afterId))' : null,
  ]
    .filter(Boolean)
    .join(' AND ') || 'true';
}

/** One page of the trail, newest first. A CI filter starts from that CI; otherwise the walk follows the at index. */
export async function auditEntries(tx: Tx, f: AuditFilter, after: AuditCursor | null, limit: number): Promise<AuditRow[]> {
  const ofClass = f.className ? '$className IN labels(n)' : '(n:CI OR n:Team)';
  const match = f.ciId
    ? `MATCH (n:CI {id: $ciId})<-[:ABOUT]-(h:History) WHERE ${whereHistory(f, after)} AND ${ofClass}`
    : `MATCH (h:History) WHERE ${whereHistory(f, after)} MATCH (h)-[:ABOUT]->(n) WHERE ${ofClass}`;
  const res = await tx.run(
    `${match}
     WITH h, n ORDER BY h.at DESC, h.id DESC LIMIT $limit
     RETURN { id: h.id, at: toString(h.at), actor: h.actor, source: h.source, action: h.action, changes: h.changes,
              subject: { id: n.id, name: n.name, kind: CASE WHEN n:CI THEN 'CI' ELSE 'TEAM' END, className: n.class } } AS e`,
    { ...f, afterAt: after?.at ?? null, afterId: after?.id ?? null, limit: neo4j.int(limit) },
  );
  return res.records.map((r) => {
    const e = fields(r.get('e'), 'audit entry');
    const s = fields(r.get('e').subject, 'audit entry subject');
    const id = e.text('id');
    // `at` stays Cypher's text: the keyset cursor hands it back to datetime() as it came.
    return {
      id,
      at: e.text('at'),
      actor: e.text('actor'),
      source: e.text('source'),
      action: e.text('action'),
      changes: readFieldChanges(e.text('changes'), id),
      subject: { id: s.text('id'), name: s.text('name'), kind: s.text('kind') === 'TEAM' ? 'TEAM' : 'CI', className: s.textOrNull('className') },
    };
  });
}

/** Names and classes of the CIs relationship changes point at, which History stores by id. */
export async function namesOf(tx: Tx, ids: readonly string[]): Promise<Map<string, { name: string; className: string }>> {
  if (!ids.length) return new Map();
  const res = await tx.run('UNWIND $ids AS id MATCH (n:CI {id: id}) RETURN n.id AS id, n.name AS name, n.class AS className', { ids });
  return new Map(
    res.records.map((r) => {
      const f = fields(r.toObject(), 'CI');
      return [f.text('id'), { name: f.text('name'), className: f.text('className') }];
    }),
  );
}
