// Owns incidents and problems: incidents on failed CIs with their stored impact, problems that group them, and
// root-cause suggestions (the CIs the affected CIs of several incidents share).
import type { ImpactReport, RootCauseCandidate } from '../../domain/impact';
import { problems as listProblems, type IncidentRecord } from '../../neo4j/repositories/itsm-repository';
import { SEVERITIES } from '../../services/impact';
import type { Builder } from '../builder';
import { MUTATION_ERRORS, nullIfNotFound } from '../common';
import type { CiTypes } from '../ci';
import { ci, type addImpactReportTypes } from './report';
import { needs } from '../auth-scopes';

export function addIncidentTypes(builder: Builder, types: CiTypes, report: ReturnType<typeof addImpactReportTypes>) {
  const { CI } = types;
  const { ImpactState, ImpactReportType, FailedCiInput } = report;
  const Severity = builder.enumType('IncidentSeverity', { values: SEVERITIES });
  const IncidentStatus = builder.enumType('IncidentStatus', { values: ['OPEN', 'RESOLVED', 'CLOSED'] as const });
  const AffectedCi = builder.objectRef<{ id: string; state: string }>('AffectedCi').implement({
    fields: (t) => ({
      ci: t.field({ type: CI, nullable: true, resolve: (a, _x, ctx) => ci(ctx, a.id) }),
      state: t.field({ type: ImpactState, resolve: (a) => a.state as 'DOWN' }),
    }),
  });
  const Incident = builder.objectRef<IncidentRecord>('Incident').implement({
    fields: (t) => ({
      id: t.exposeID('id'),
      number: t.exposeString('number'),
      title: t.exposeString('title'),
      severity: t.field({ type: Severity, resolve: (i) => i.severity as 'SEV1' }),
      status: t.field({ type: IncidentStatus, resolve: (i) => i.status as 'OPEN' }),
      openedAt: t.field({ type: 'DateTime', resolve: (i) => new Date(i.openedAt).toISOString() }),
      openedBy: t.exposeString('openedBy'),
      resolvedAt: t.field({ type: 'DateTime', nullable: true, resolve: (i) => (i.resolvedAt ? new Date(i.resolvedAt).toISOString() : null) }),
      affected: t.field({ type: [AffectedCi], resolve: (i) => i.affected }),
      impact: t.field({ type: ImpactReportType, nullable: true, description: 'As computed on open or last refresh.', resolve: (i) => (i.impactJson ? (JSON.parse(i.impactJson) as ImpactReport) : null) }),
      impactComputedAt: t.field({ type: 'DateTime', nullable: true, resolve: (i) => (i.impactAt ? new Date(i.impactAt).toISOString() : null) }),
      problemId: t.exposeID('problemId', { nullable: true }),
    }),
  });
  const Problem = builder.objectRef<{ id: string; number: string; title: string; status: string; incidentIds: string[] }>('Problem').implement({
    fields: (t) => ({
      id: t.exposeID('id'),
      number: t.exposeString('number'),
      title: t.exposeString('title'),
      status: t.exposeString('status'),
      incidents: t.field({ type: [Incident], resolve: async (p, _a, ctx) => Promise.all(p.incidentIds.map((id) => ctx.impact.incident(id))) }),
      rootCauses: t.field({ type: [RootCause], resolve: (p, _a, ctx) => ctx.impact.rootCauses(p.incidentIds) }),
    }),
  });
  const RootCause = builder.objectRef<RootCauseCandidate>('RootCauseCandidate');
  RootCause.implement({
    description: 'A CI the affected CIs of several incidents have in common, ranked by how much it explains.',
    fields: (t) => ({
      ci: t.field({ type: CI, nullable: true, resolve: (r, _a, ctx) => ci(ctx, r.ciId) }),
      ciId: t.exposeID('ciId'),
      name: t.exposeString('name'),
      explainsIncidentIds: t.idList({ resolve: (r) => r.explains }),
      explainedShare: t.exposeFloat('explainedShare', { description: 'Share of the incidents this CI explains (0..1).' }),
      impactedCount: t.exposeInt('impactedCount'),
      distance: t.exposeInt('distance'),
    }),
  });
  builder.queryFields((t) => ({
    incident: t.field({ ...needs('viewer'), type: Incident, nullable: true, args: { id: t.arg.id({ required: true }) }, resolve: (_r, a, ctx) => ctx.impact.incident(String(a.id)).catch(nullIfNotFound) }),
    incidents: t.field({
      ...needs('viewer'),
      type: [Incident],
      args: { statuses: t.arg({ type: [IncidentStatus] }) },
      resolve: (_r, a, ctx) => ctx.impact.incidents((a.statuses as string[] | null) ?? []),
    }),
    problems: t.field({ ...needs('viewer'), type: [Problem], resolve: (_r, _a, ctx) => ctx.db.read((tx) => listProblems(tx)) }),
    rootCauseSuggestions: t.field({
      ...needs('viewer'),
      type: [RootCause],
      description: 'Shared dependencies of the CIs behind these incidents (default: all open ones), best explanation first.',
      args: { incidentIds: t.arg.idList(), limit: t.arg.int({ defaultValue: 10 }) },
      resolve: (_r, a, ctx) => ctx.impact.rootCauses(a.incidentIds?.map(String) ?? null, a.limit ?? 10),
    }),
  }));

  const IncidentInput = builder.inputType('OpenIncidentInput', {
    fields: (t) => ({
      title: t.string({ required: true }),
      severity: t.field({ type: Severity, required: true }),
      failed: t.field({ type: [FailedCiInput], required: true }),
    }),
  });
  const errors = { types: MUTATION_ERRORS };
  builder.mutationFields((t) => ({
    openIncident: t.field({
      ...needs('incident-responder'),
      type: Incident,
      errors,
      description: 'Open an incident on failed or degraded CIs; its impact is computed now.',
      args: { input: t.arg({ type: IncidentInput, required: true }) },
      resolve: async (_r, { input }, ctx) => {
        const id = await ctx.impact.openIncident({ title: input.title, severity: input.severity, failed: input.failed.map((f) => ({ id: String(f.id), state: f.state ?? 'DOWN' })) }, ctx.actor);
        return ctx.impact.incident(id);
      },
    }),
    refreshIncidentImpact: t.field({
      ...needs('incident-responder'),
      type: Incident,
      errors,
      args: { id: t.arg.id({ required: true }) },
      resolve: async (_r, a, ctx) => {
        await ctx.impact.refreshImpact(String(a.id));
        return ctx.impact.incident(String(a.id));
      },
    }),
    resolveIncident: t.field({
      ...needs('incident-responder'),
      type: Incident,
      errors,
      args: { id: t.arg.id({ required: true }) },
      resolve: async (_r, a, ctx) => {
        await ctx.impact.setStatus(String(a.id), 'RESOLVED');
        return ctx.impact.incident(String(a.id));
      },
    }),
    closeIncident: t.field({
      ...needs('incident-responder'),
      type: Incident,
      errors,
      args: { id: t.arg.id({ required: true }) },
      resolve: async (_r, a, ctx) => {
        await ctx.impact.setStatus(String(a.id), 'CLOSED');
        return ctx.impact.incident(String(a.id));
      },
    }),
    createProblem: t.field({
      ...needs('incident-responder'),
      type: Problem,
      errors,
      description: 'Group incidents under a problem (ITIL problem management).',
      args: { title: t.arg.string({ required: true }), incidentIds: t.arg.idList({ required: true }) },
      resolve: async (_r, a, ctx) => {
        const ids = a.incidentIds.map(String);
        const id = await ctx.impact.createProblem(a.title, ids, ctx.actor);
        return (await ctx.db.read((tx) => listProblems(tx))).find((p) => p.id === id)!;
      },
    }),
  }));
}
