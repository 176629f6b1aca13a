// Owns the estate audit trail use case: checks the filters, pages History newest first with an opaque cursor,
// and names the CIs that relationship changes point at (History keeps them by id).
import type { ClassModel } from '../domain/class-model/types';
import { ValidationError } from '../errors';
import type { Db } from '../neo4j/db';
import { auditEntries, namesOf, type AuditCursor, type AuditFilter, type AuditRow } from '../neo4j/repositories/audit-repository';
import type { FieldChange } from '../neo4j/repositories/ci-writes';

export const AUDIT_ACTIONS = ['create', 'update', 'retire', 'setOwner', 'relate', 'unrelate', 'stale', 'fresh', 'absent', 'present'] as const;
export const MAX_AUDIT_PAGE = 200;

export interface AuditChange extends FieldChange {
  /** Set when the change is to a relationship: its type and the CI at its other end, by name. */
  relationship: { type: string; targetId: string; targetName: string | null; targetClass: string | null } | null;
}

export interface AuditEntry extends Omit<AuditRow, 'changes'> {
  changes: AuditChange[];
}

export interface AuditPage {
  entries: AuditEntry[];
  /** Pass as `after` for the next (older) page; null when there is none. */
  nextCursor: string | null;
}

export interface AuditQuery extends Partial<Omit<AuditFilter, 'actions'>> {
  actions?: string[] | null;
  after?: string | null;
  first?: number | null;
}

const REL_FIELD = /^([A-Z][A-Z0-9_]*)->(.+)$/;

function encodeCursor(c: AuditCursor): string {
  return Buffer.from(JSON.stringify([c.at, c.id])).toString('base64url');
}

function decodeCursor(s: string): AuditCursor {
  try {
    const [at, id] = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as unknown[];
    if (typeof at === 'string' && typeof id === 'string' && !Number.isNaN(Date.parse(at))) return { at, id };
  } catch {
    // falls through to the typed error
  }
  throw new ValidationError('after', 'is not a cursor this trail handed out');
}

function instant(field: string, v: string | null | undefined): string | null {
  if (v == null) return null;
  if (Number.isNaN(Date.parse(v))) throw new ValidationError(field, 'is not a date-time');
  return new Date(v).toISOString();
}

export class AuditService {
  constructor(
    private readonly db: Db,
    private readonly model: ClassModel,
  ) {}

  async trail(q: AuditQuery): Promise<AuditPage> {
    const first = q.first ?? 50;
    if (!Number.isInteger(first) || first < 1 || first > MAX_AUDIT_PAGE) throw new ValidationError('first', `must be between 1 and ${MAX_AUDIT_PAGE}`);
    const actions = q.actions ?? [];
    const bad = actions.find((a) => !(AUDIT_ACTIONS as readonly string[]).includes(a));
    if (bad) throw new ValidationError('actions', `unknown kind of change "${bad}"`);
    if (q.className && !this.model.has(q.className)) throw new ValidationError('className', `unknown class "${q.className}"`);
    const filter: AuditFilter = {
      actor: q.actor ?? null,
      source: q.source ?? null,
      className: q.className ?? null,
      ciId: q.ciId ?? null,
      from: instant('from', q.from),
      to: instant('to', q.to),
      actions,
    };
    const after = q.after ? decodeCursor(q.after) : null;
    return this.db.read(async (tx) => {
      const rows = await auditEntries(tx, filter, after, first + 1);
      const page = rows.slice(0, first);
      const targets = [...new Set(page.flatMap((r) => r.changes.map((c) => REL_FIELD.exec(c.field)?.[2]).filter((x): x is string => !!x)))];
      const names = await namesOf(tx, targets);
      const last = page[page.length - 1];
      return {
        entries: page.map((r) => ({ ...r, changes: r.changes.map((c) => withRelationship(c, names)) })),
        nextCursor: rows.length > first && last ? encodeCursor({ at: last.at, id: last.id }) : null,
      };
    });
  }
}

function withRelationship(c: FieldChange, names: Map<string, { name: string; className: string }>): AuditChange {
  const m = REL_FIELD.exec(c.field);
  if (!m) return { ...c, relationship: null };
  const target = names.get(m[2]!);
  return { ...c, relationship: { type: m[1]!, targetId: m[2]!, targetName: target?.name ?? null, targetClass: target?.className ?? null } };
}
