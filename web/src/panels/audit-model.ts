// What the audit trail view reads out, with no DOM: a change as one line naming relationships by their target's
// name, and the filter form's values as the API's AuditFilter (empty fields left out, local times as instants).
import type { ResultOf, VariablesOf } from '../api/graphql';
import type { AuditTrailQuery } from '../api/audit-queries';

export type AuditEntry = ResultOf<typeof AuditTrailQuery>['auditTrail']['entries'][number];
export type AuditFilter = NonNullable<VariablesOf<typeof AuditTrailQuery>['filter']>;

const shown = (v: unknown): string => (v === null || v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));

/** "version: 14 → 15", or "DEPENDS_ON → orders-db: related → —" for a relationship. */
export function changeLine(c: AuditEntry['changes'][number]): string {
  const field = c.relationship ? `${c.relationship.type} → ${c.relationship.targetName ?? c.relationship.targetId}` : c.field;
  return `${field}: ${shown(c.before)} → ${shown(c.after)}`;
}

export interface FilterForm {
  actor: string;
  source: string;
  className: string;
  action: string;
  /** datetime-local values, in the browser's time zone. */
  from: string;
  to: string;
}

const instant = (local: string): string | undefined => {
  const t = Date.parse(local);
  return local && !Number.isNaN(t) ? new Date(t).toISOString() : undefined;
};

export function toFilter(f: FilterForm): AuditFilter {
  const out: AuditFilter = {};
  if (f.actor.trim()) out.actor = f.actor.trim();
  if (f.source.trim()) out.source = f.source.trim();
  if (f.className.trim()) out.className = f.className.trim();
  if (f.action) out.actions = [f.action as NonNullable<AuditFilter['actions']>[number]];
  const from = instant(f.from);
  const to = instant(f.to);
  if (from) out.from = from;
  if (to) out.to = to;
  return out;
}
