// Owns the estate audit trail API: every recorded change to CIs and teams (people, discovery, imports) and every
// state a discovery run changed, newest first, filtered, with before/after and relationships by name.
import { AUDIT_ACTIONS, MAX_AUDIT_PAGE, type AuditChange, type AuditEntry, type AuditPage } from '../services/audit';
import { needs } from './auth-scopes';
import type { Builder } from './builder';
import type { CiTypes } from './ci';

export function addAuditTypes(builder: Builder, types: CiTypes) {
  const { CI } = types;
  const Action = builder.enumType('AuditAction', {
    description: 'The kind of change. STALE / FRESH and ABSENT / PRESENT are a discovery run marking a CI or relationship.',
    values: Object.fromEntries(AUDIT_ACTIONS.map((a) => [a.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase(), { value: a }])),
  });
  const Subject = builder.objectRef<AuditEntry['subject']>('AuditSubject').implement({
    description: 'What the change was made to: a CI or a team.',
    fields: (t) => ({
      id: t.exposeID('id'),
      name: t.exposeString('name'),
      kind: t.exposeString('kind', { description: 'CI or TEAM.' }),
      className: t.exposeString('className', { nullable: true }),
      ci: t.field({ type: CI, nullable: true, description: 'The CI as it is now (null for a team or a deleted CI).', resolve: (s, _a, ctx) => (s.kind === 'CI' ? ctx.loaders.ci.load(s.id) : null) }),
    }),
  });
  const RelRef = builder.objectRef<NonNullable<AuditChange['relationship']>>('AuditRelationship').implement({
    fields: (t) => ({
      type: t.exposeString('type'),
      targetId: t.exposeID('targetId'),
      targetName: t.exposeString('targetName', { nullable: true }),
      targetClass: t.exposeString('targetClass', { nullable: true }),
    }),
  });
  const Change = builder.objectRef<AuditChange>('AuditChange').implement({
    fields: (t) => ({
      field: t.exposeString('field', { description: 'An attribute, owner, stale, or TYPE->targetId for a relationship.' }),
      before: t.field({ type: 'JSON', nullable: true, resolve: (c) => c.before ?? null }),
      after: t.field({ type: 'JSON', nullable: true, resolve: (c) => c.after ?? null }),
      relationship: t.field({ type: RelRef, nullable: true, resolve: (c) => c.relationship }),
    }),
  });
  const Entry = builder.objectRef<AuditEntry>('AuditEntry').implement({
    fields: (t) => ({
      id: t.exposeID('id'),
      at: t.field({ type: 'DateTime', resolve: (e) => new Date(e.at).toISOString() }),
      actor: t.exposeString('actor'),
      source: t.exposeString('source'),
      action: t.field({ type: Action, resolve: (e) => e.action as never }),
      subject: t.field({ type: Subject, resolve: (e) => e.subject }),
      changes: t.field({ type: [Change], resolve: (e) => e.changes }),
    }),
  });
  const Page = builder.objectRef<AuditPage>('AuditPage').implement({
    fields: (t) => ({
      entries: t.field({ type: [Entry], resolve: (p) => p.entries }),
      nextCursor: t.exposeString('nextCursor', { nullable: true, description: 'Pass as `after` for older entries; null at the end.' }),
    }),
  });
  const Filter = builder.inputType('AuditFilter', {
    fields: (t) => ({
      actor: t.string(),
      source: t.string(),
      className: t.string({ description: 'A class of the model; its subclasses count.' }),
      ciId: t.id(),
      from: t.field({ type: 'DateTime', description: 'Inclusive.' }),
      to: t.field({ type: 'DateTime', description: 'Exclusive.' }),
      actions: t.field({ type: [Action] }),
    }),
  });
  builder.queryField('auditTrail', (t) =>
    t.field({
      ...needs('viewer'),
      type: Page,
      description: 'Every recorded change across the estate, newest first.',
      args: { filter: t.arg({ type: Filter }), first: t.arg.int({ defaultValue: 50, description: `1 to ${MAX_AUDIT_PAGE}.` }), after: t.arg.string() },
      resolve: (_r, a, ctx) => ctx.audit.trail({ ...(a.filter ?? {}), ciId: a.filter?.ciId ? String(a.filter.ciId) : null, first: a.first, after: a.after }),
    }),
  );
}
