// Owns the Cypher that guards and records every step of an ITSM record (change, incident, problem): the status
// precondition inside the write itself, the timeline of steps with actor, time and note, and a change's approvals.
import type { Tx } from '../db';
import { fields } from './fields';

export type RecordKind = 'Change' | 'Incident' | 'Problem';

export interface RecordEvent {
  at: string;
  actor: string;
  action: string;
  fromStatus: string | null;
  toStatus: string | null;
  note: string | null;
  warnings: string[];
  /** JSON: what the step changed (an edit's before, after and assessment diff; an early-start reason; ...). */
  detail: string | null;
}

export interface StepWrite {
  /** The statuses the record must be in, checked after its lock is taken; empty: any. */
  from: string[];
  /** The status after the step; null keeps it. */
  to: string | null;
  /** Properties to set (null removes one). Keys are fixed by the services, never user input. */
  set?: Record<string, unknown>;
  /** Properties stamped with the transaction's time. */
  stamp?: string[];
  event: { actor: string; action: string; note: string | null; warnings?: string[]; detail?: unknown };
}

const NAME = /^[a-zA-Z]+$/;

/**
 * Applies one step if, and only if, the record is still in one of `from`, and records it on the timeline. The
 * no-op write first takes the record's write lock, so the status read after it is the last committed one: of two
 * concurrent steps from the same status, the second sees the first's result and touches no row. Returns the
 * status the step started from, or null when the record is missing or no longer in `from`.
 */
export async function applyStep(tx: Tx, kind: RecordKind, id: string, step: StepWrite): Promise<string | null> {
  const stamp = step.stamp ?? [];
  for (const k of [...Object.keys(step.set ?? {}), ...stamp]) if (!NAME.test(k)) throw new Error(`bad property name ${k}`);
  const stamps = stamp.map((k) => `, n.${k} = datetime()`).join('');
  const res = await tx.run(
    `MATCH (n:${kind} {id: $id})
     SET n.lockedAt = 0 REMOVE n.lockedAt
     WITH n WHERE size($from) = 0 OR n.status IN $from
     WITH n, n.status AS was
     SET n += $set, n.status = coalesce($to, n.status)${stamps}
     CREATE (n)-[:RECORDED]->(:RecordEvent {at: datetime(), actor: $actor, action: $action, fromStatus: was,
       toStatus: n.status, note: $note, warnings: $warnings, detail: $detail})
     RETURN was`,
    {
      id,
      from: step.from,
      to: step.to,
      set: step.set ?? {},
      actor: step.event.actor,
      action: step.event.action,
      note: step.event.note,
      warnings: step.event.warnings ?? [],
      detail: step.event.detail === undefined ? null : JSON.stringify(step.event.detail),
    },
  );
  return statusFrom(res.records, 'was', kind, id);
}

/**
 * Takes the record's write lock for the rest of the transaction and returns its status if it is in `from`
 * (null otherwise), for steps that must read more (a change's approvals) before deciding what to write.
 */
export async function lockIfIn(tx: Tx, kind: RecordKind, id: string, from: string[]): Promise<string | null> {
  const res = await tx.run(
    `MATCH (n:${kind} {id: $id}) SET n.lockedAt = 0 REMOVE n.lockedAt
     WITH n WHERE n.status IN $from RETURN n.status AS s`,
    { id, from },
  );
  return statusFrom(res.records, 's', kind, id);
}

/** The current status of a record (null when it does not exist), for naming what a refused step ran into. */
export async function statusOf(tx: Tx, kind: RecordKind, id: string): Promise<string | null> {
  const res = await tx.run(`MATCH (n:${kind} {id: $id}) RETURN n.status AS s`, { id });
  return statusFrom(res.records, 's', kind, id);
}

export async function timelineOf(tx: Tx, kind: RecordKind, id: string): Promise<RecordEvent[]> {
  const res = await tx.run(
    `MATCH (:${kind} {id: $id})-[:RECORDED]->(e:RecordEvent)
     WITH e ORDER BY e.at, elementId(e)
     RETURN properties(e) AS e`,
    { id },
  );
  return res.records.map((r) => {
    const e = fields(r.get('e'), `timeline of ${kind} ${id}`);
    return {
      at: e.instant('at'),
      actor: e.text('actor'),
      action: e.text('action'),
      fromStatus: e.textOrNull('fromStatus'),
      toStatus: e.textOrNull('toStatus'),
      note: e.textOrNull('note'),
      warnings: e.texts('warnings'),
      detail: e.textOrNull('detail'),
    };
  });
}

export interface ApprovalRow {
  actor: string;
  onBehalfOf: string | null;
  at: string;
  note: string | null;
}

/** Approvals given in the change's current submission round (an edit or resubmission starts a new round). */
export async function approvalsOf(tx: Tx, changeId: string): Promise<ApprovalRow[]> {
  return (await approvalsOfChanges(tx, [changeId])).get(changeId) ?? [];
}

/** The current round's approvals of each of these changes, oldest first: one statement for a whole list. */
export async function approvalsOfChanges(tx: Tx, changeIds: readonly string[]): Promise<Map<string, ApprovalRow[]>> {
  const res = await tx.run(
    `UNWIND $changeIds AS id MATCH (c:Change {id: id})-[:HAS_APPROVAL]->(a:Approval) WHERE a.round = coalesce(c.round, 0)
     WITH id, a ORDER BY a.at
     RETURN id, collect(a { .actor, .onBehalfOf, .at, .note }) AS approvals`,
    { changeIds: [...changeIds] },
  );
  const out = new Map<string, ApprovalRow[]>();
  for (const r of res.records) {
    const id = r.get('id') as string;
    const rows = (r.get('approvals') as object[]).map((raw) => {
      const a = fields(raw, `approval of change ${id}`);
      return { actor: a.text('actor'), onBehalfOf: a.textOrNull('onBehalfOf'), at: a.instant('at'), note: a.textOrNull('note') };
    });
    out.set(id, rows);
  }
  return out;
}

/** Adds an approval to the current round; the caller has applied its guarded step in this transaction. */
export async function addApproval(tx: Tx, changeId: string, a: { actor: string; onBehalfOf: string | null; note: string | null }): Promise<void> {
  await tx.run(
    `MATCH (c:Change {id: $changeId})
     CREATE (c)-[:HAS_APPROVAL]->(:Approval {actor: $actor, onBehalfOf: $onBehalfOf, note: $note, at: datetime(), round: coalesce(c.round, 0)})`,
    { changeId, ...a },
  );
}

/** The status a statement returned under `key`, or null when it matched nothing. */
function statusFrom(records: { toObject(): object }[], key: string, kind: RecordKind, id: string): string | null {
  return records.length ? fields(records[0]!.toObject(), `${kind} ${id}`).text(key) : null;
}
