// Owns incidents: incidents on failed CIs with their stored impact, their lifecycle (resolved before closed, with
// who and when) and timeline, and root-cause suggestions (what the affected CIs of several incidents share).
// Problems live in problem.ts.
import type { RootCauseCandidate } from '../../domain/impact';
import type { IncidentRecord } from '../../neo4j/repositories/itsm-repository';
import { SEVERITIES } from '../../services/impact';
import type { Builder } from '../builder';
import { needs } from '../auth-scopes';
import { MUTATION_ERRORS } from '../common';
import type { CiTypes } from '../ci';
import type { RecordTypes } from './record';
import { ci, type addImpactReportTypes } from './report';
import { readImpactReport } from '../../services/stored-documents';

export function addIncidentTypes(builder: Builder, types: CiTypes, report: ReturnType<typeof addImpactReportTypes>, records: RecordTypes) {
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
      resolvedBy: t.exposeString('resolvedBy', { nullable: true }),
      resolution: t.exposeString('resolution', { nullable: true, description: 'What resolved it, as given on resolveIncident.' }),
      closedAt: t.field({ type: 'DateTime', nullable: true, resolve: (i) => (i.closedAt ? new Date(i.closedAt).toISOString() : null) }),
      closedBy: t.exposeString('closedBy', { nullable: true }),
      timeline: t.field({ type: [records.RecordEvent], description: 'Every step, oldest first, with actor, time and note.', resolve: (i, _a, ctx) => ctx.impact.timeline(i.id) }),
      affected: t.field({ type: [AffectedCi], resolve: (i) => i.affected }),
      impact: t.field({ type: ImpactReportType, nullable: true, description: 'As computed on open or last refresh.', resolve: (i) => (i.impactJson ? readImpactReport(i.impactJson, i.number) : null) }),
      impactComputedAt: t.field({ type: 'DateTime', nullable: true, resolve: (i) => (i.impactAt ? new Date(i.impactAt).toISOString() : null) }),
      problemId: t.exposeID('problemId', { nullable: true }),
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
    incident: t.field({ ...needs('viewer'), type: Incident, nullable: true, args: { id: t.arg.id({ required: true }) }, resolve: (_r, a, ctx) => ctx.impact.findIncident(String(a.id)) }),
    incidents: t.field({ ...needs('viewer'),
      type: [Incident],
      args: { statuses: t.arg({ type: [IncidentStatus] }) },
      resolve: (_r, a, ctx) => ctx.impact.incidents((a.statuses as string[] | null) ?? []),
    }),
    rootCauseSuggestions: t.field({ ...needs('viewer'),
      type: [RootCause],
      description:
        'CIs that several of these incidents (default: all open ones) have in common, best explanation first. With one incident: its own candidates.',
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
    openIncident: t.field({ ...needs('incident-responder'),
      type: Incident,
      errors,
      description: 'Open an incident on failed or degraded CIs; its impact is computed now.',
      args: { input: t.arg({ type: IncidentInput, required: true }) },
      resolve: async (_r, { input }, ctx) => {
        const id = await ctx.impact.openIncident({ title: input.title, severity: input.severity, failed: input.failed.map((f) => ({ id: String(f.id), state: f.state ?? 'DOWN' })) }, ctx.actor);
        return ctx.impact.incident(id);
      },
    }),
    refreshIncidentImpact: t.field({ ...needs('incident-responder'),
      type: Incident,
      errors,
      args: { id: t.arg.id({ required: true }) },
      resolve: async (_r, a, ctx) => {
        await ctx.impact.refreshImpact(String(a.id));
        return ctx.impact.incident(String(a.id));
      },
    }),
    resolveIncident: t.field({ ...needs('incident-responder'),
      type: Incident,
      errors,
      description: 'Resolve an open incident, saying what resolved it.',
      args: { id: t.arg.id({ required: true }), note: t.arg.string({ description: 'Recorded on the timeline; for resolution, what resolved it.' }) },
      resolve: async (_r, a, ctx) => {
        await ctx.impact.setStatus(String(a.id), 'RESOLVED', ctx.actor, a.note ?? null);
        return ctx.impact.incident(String(a.id));
      },
    }),
    closeIncident: t.field({ ...needs('incident-responder'),
      type: Incident,
      errors,
      description: 'Close a resolved incident (an open one is resolved first).',
      args: { id: t.arg.id({ required: true }), note: t.arg.string({ description: 'Recorded on the timeline; for resolution, what resolved it.' }) },
      resolve: async (_r, a, ctx) => {
        await ctx.impact.setStatus(String(a.id), 'CLOSED', ctx.actor, a.note ?? null);
        return ctx.impact.incident(String(a.id));
      },
    }),
  }));
  return { Incident, RootCause };
}
