// Owns the impact and incident API: impact analysis and what-if, incidents with their lifecycle and timeline,
// and root-cause suggestions. Changes live in change.ts, problems in problem.ts. Resolvers only map onto services.
import type { ImpactReport, ImpactedCi, RootCauseCandidate } from '../domain/impact';
import type { IncidentRecord } from '../neo4j/repositories/itsm-repository';
import type { CiRow } from '../neo4j/repositories/rows';
import { SEVERITIES } from '../services/impact';
import type { Builder } from './builder';
import { MUTATION_ERRORS } from './common';
import type { Context } from './context';
import type { CiTypes } from './ci';
import type { RecordTypes } from './record';

export function addImpactTypes(builder: Builder, types: CiTypes, records: RecordTypes) {
  const { CI } = types;
  const ImpactState = builder.enumType('ImpactState', { values: ['DOWN', 'DEGRADED'] as const });
  const ci = async (ctx: Context, id: string): Promise<CiRow | null> => ctx.loaders.ci.load(id);

  const ExplanationPath = builder.objectRef<string[]>('ExplanationPath').implement({
    description: 'A chain of CIs from an impacted CI down to a failed one; each needs the next.',
    fields: (t) => ({
      ciIds: t.idList({ resolve: (p) => p }),
      cis: t.field({ type: [CI], resolve: async (p, _a, ctx) => (await Promise.all(p.map((id) => ci(ctx, id)))).filter((x): x is CiRow => !!x) }),
      length: t.int({ resolve: (p) => p.length - 1 }),
    }),
  });
  const ImpactedCiType = builder.objectRef<ImpactedCi>('ImpactedCi').implement({
    fields: (t) => ({
      ci: t.field({ type: CI, nullable: true, description: 'Null when the CI was deleted since a stored report was made.', resolve: (c, _a, ctx) => ci(ctx, c.id) }),
      id: t.exposeID('id'),
      name: t.exposeString('name'),
      className: t.exposeString('className'),
      isService: t.exposeBoolean('isService'),
      state: t.field({ type: ImpactState, resolve: (c) => c.state }),
      criticality: t.exposeInt('criticality'),
      environment: t.string({ nullable: true, resolve: (c) => c.environment ?? null }),
      distance: t.exposeInt('distance', { description: 'Hops from the nearest failed CI.' }),
      failed: t.exposeBoolean('failed', { description: 'One of the CIs the analysis started from.' }),
      paths: t.field({ type: [ExplanationPath], description: 'A few shortest explanation paths (never all).', resolve: (c) => c.paths }),
      lowConfidence: t.exposeBoolean('lowConfidence', { description: 'Impacted only through stale CIs or absent relationships.' }),
      staleVia: t.exposeStringList('staleVia', { description: 'The stale CIs (ids) or absent relationships (from->to) the impact rests on.' }),
      ownerTeams: t.exposeStringList('ownerTeams'),
      redundancyNotes: t.stringList({ resolve: (c) => c.redundancyNotes ?? [] }),
    }),
  });
  const TeamImpactType = builder.objectRef<{ team: string; services: string[] }>('TeamImpact').implement({
    description: 'A team to notify, with the ids of its impacted services.',
    fields: (t) => ({ team: t.exposeString('team'), serviceIds: t.idList({ resolve: (x) => x.services }) }),
  });
  const GroupOutcomeType = builder.objectRef<ImpactReport['groups'][number]>('RedundancyGroupOutcome').implement({
    fields: (t) => ({
      id: t.exposeID('id'),
      name: t.exposeString('name'),
      total: t.exposeInt('total'),
      lost: t.exposeInt('lost'),
      holds: t.exposeBoolean('holds', { description: 'The redundancy rule is still met.' }),
      state: t.field({ type: ImpactState, resolve: (g) => g.state }),
    }),
  });
  const ImpactReportType = builder.objectRef<ImpactReport>('ImpactReport').implement({
    description: 'The state of everything upstream of failed CIs, services first by what matters most.',
    fields: (t) => ({
      services: t.field({ type: [ImpactedCiType], resolve: (r) => r.services }),
      impacted: t.field({ type: [ImpactedCiType], resolve: (r) => r.impacted }),
      teams: t.field({ type: [TeamImpactType], resolve: (r) => r.teams }),
      groups: t.field({ type: [GroupOutcomeType], resolve: (r) => r.groups }),
    }),
  });
  const FailedCiInput = builder.inputType('FailedCiInput', {
    fields: (t) => ({ id: t.id({ required: true }), state: t.field({ type: ImpactState, defaultValue: 'DOWN' }) }),
  });

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
      impact: t.field({ type: ImpactReportType, nullable: true, description: 'As computed on open or last refresh.', resolve: (i) => (i.impactJson ? (JSON.parse(i.impactJson) as ImpactReport) : null) }),
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
    impactAnalysis: t.field({
      type: ImpactReportType,
      description: 'What fails with these CIs (DOWN or DEGRADED), honouring redundancy, with explanation paths.',
      args: { failed: t.arg({ type: [FailedCiInput], required: true }), maxPaths: t.arg.int({ defaultValue: 3 }) },
      resolve: (_r, a, ctx) => ctx.impact.analyse(a.failed.map((f) => ({ id: String(f.id), state: f.state ?? 'DOWN' })), a.maxPaths ?? 3),
    }),
    whatIf: t.field({
      type: ImpactReportType,
      description: 'The blast radius if these CIs went down, for a quick look; nothing is written.',
      args: { ciIds: t.arg.idList({ required: true }) },
      resolve: (_r, a, ctx) => ctx.changes.whatIf(a.ciIds.map(String)),
    }),
    incident: t.field({ type: Incident, nullable: true, args: { id: t.arg.id({ required: true }) }, resolve: (_r, a, ctx) => ctx.impact.findIncident(String(a.id)) }),
    incidents: t.field({
      type: [Incident],
      args: { statuses: t.arg({ type: [IncidentStatus] }) },
      resolve: (_r, a, ctx) => ctx.impact.incidents((a.statuses as string[] | null) ?? []),
    }),
    rootCauseSuggestions: t.field({
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
    openIncident: t.field({
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
      type: Incident,
      errors,
      args: { id: t.arg.id({ required: true }) },
      resolve: async (_r, a, ctx) => {
        await ctx.impact.refreshImpact(String(a.id));
        return ctx.impact.incident(String(a.id));
      },
    }),
    resolveIncident: t.field({
      type: Incident,
      errors,
      description: 'Resolve an open incident, saying what resolved it.',
      args: { id: t.arg.id({ required: true }), note: t.arg.string({ description: 'Recorded on the timeline; for resolution, what resolved it.' }) },
      resolve: async (_r, a, ctx) => {
        await ctx.impact.setStatus(String(a.id), 'RESOLVED', ctx.actor, a.note ?? null);
        return ctx.impact.incident(String(a.id));
      },
    }),
    closeIncident: t.field({
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
  return { ImpactState, ImpactReportType, ImpactedCiType, TeamImpactType, Incident, RootCause, ci };
}

export type ImpactTypes = ReturnType<typeof addImpactTypes>;
