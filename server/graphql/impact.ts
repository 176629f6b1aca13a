// Owns the impact and change API: impact analysis and what-if, incidents, problems and root-cause suggestions,
// change requests with their assessment, lifecycle and freeze windows. Resolvers only map onto the services.
import type { ImpactReport, ImpactedCi, RootCauseCandidate } from '../domain/impact';
import { problems as listProblems, type ChangeRecord, type FreezeWindowRecord, type IncidentRecord } from '../neo4j/repositories/itsm-repository';
import type { CiRow } from '../neo4j/repositories/rows';
import type { AssessmentDiff, BlastRing, ChangeAssessment, ChangeConflict } from '../services/changes';
import { CHANGE_TYPES } from '../services/changes';
import { SEVERITIES } from '../services/impact';
import type { Builder } from './builder';
import { MUTATION_ERRORS } from './common';
import type { Context } from './context';
import type { CiTypes } from './ci';

export function addImpactTypes(builder: Builder, types: CiTypes) {
  const { CI, Team } = types;
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
  // `cis` is optional: change snapshots stored before plain CIs were listed lack it.
  const TeamImpactType = builder.objectRef<{ team: string; services: string[]; cis?: string[] }>('TeamImpact').implement({
    description: 'A team to notify: it owns impacted CIs. Its impacted services, then its other impacted CIs.',
    fields: (t) => ({
      team: t.exposeString('team'),
      contact: t.field({ type: Team, nullable: true, description: 'The team itself, for its email, on-call and channel; null if it was deleted since.', resolve: (x, _a, ctx) => ctx.loaders.teamByName.load(x.team) }),
      serviceIds: t.idList({ description: 'Its impacted services, most important first.', resolve: (x) => x.services }),
      otherCiIds: t.idList({ description: 'Its impacted CIs that are not services, most important first (DOWN, criticality, distance).', resolve: (x) => x.cis ?? [] }),
    }),
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

  const ChangeTypeEnum = builder.enumType('ChangeType', { values: CHANGE_TYPES });
  const ChangeStatusEnum = builder.enumType('ChangeStatus', {
    values: ['DRAFT', 'ASSESSED', 'AWAITING_APPROVAL', 'APPROVED', 'REJECTED', 'SCHEDULED', 'IMPLEMENTED', 'CLOSED', 'CANCELLED'] as const,
  });
  const ChangeOutcome = builder.enumType('ChangeOutcome', { values: ['SUCCESSFUL', 'FAILED', 'BACKED_OUT'] as const });
  const RiskLevel = builder.enumType('RiskLevel', { values: ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const });
  const RiskFactor = builder.objectRef<ChangeAssessment['risk']['factors'][number]>('RiskFactor').implement({
    fields: (t) => ({ name: t.exposeString('name'), points: t.exposeFloat('points'), weight: t.exposeFloat('weight'), detail: t.exposeString('detail') }),
  });
  const Risk = builder.objectRef<ChangeAssessment['risk']>('ChangeRisk').implement({
    description: 'A score from 0 to 100 and the factors that add up to it; never a bare number.',
    fields: (t) => ({
      score: t.exposeFloat('score'),
      level: t.field({ type: RiskLevel, resolve: (r) => r.level }),
      factors: t.field({ type: [RiskFactor], resolve: (r) => r.factors }),
    }),
  });
  const RingCi = builder.objectRef<BlastRing['cis'][number]>('BlastRadiusCi').implement({
    fields: (t) => ({
      id: t.exposeID('id'),
      name: t.exposeString('name'),
      className: t.exposeString('className'),
      isService: t.exposeBoolean('isService'),
      state: t.field({ type: ImpactState, resolve: (c) => c.state as 'DOWN' }),
    }),
  });
  const Ring = builder.objectRef<BlastRing>('BlastRadiusRing').implement({
    fields: (t) => ({ distance: t.exposeInt('distance'), cis: t.field({ type: [RingCi], resolve: (r) => r.cis }) }),
  });
  const Conflict = builder.objectRef<ChangeConflict>('ChangeConflict').implement({
    description: 'Another change whose window overlaps and whose blast radius shares CIs or services.',
    fields: (t) => ({
      changeId: t.exposeID('changeId'),
      number: t.exposeString('number'),
      title: t.exposeString('title'),
      status: t.exposeString('status'),
      plannedStart: t.field({ type: 'DateTime', resolve: (c) => c.plannedStart }),
      plannedEnd: t.field({ type: 'DateTime', resolve: (c) => c.plannedEnd }),
      sharedServiceIds: t.idList({ resolve: (c) => c.sharedServiceIds }),
      sharedCiIds: t.idList({ resolve: (c) => c.sharedCiIds }),
    }),
  });
  const FreezeWindow = builder.objectRef<FreezeWindowRecord>('FreezeWindow').implement({
    fields: (t) => ({
      id: t.exposeID('id'),
      name: t.exposeString('name'),
      start: t.field({ type: 'DateTime', resolve: (f) => f.start }),
      end: t.field({ type: 'DateTime', resolve: (f) => f.end }),
    }),
  });
  const Assessment = builder.objectRef<ChangeAssessment>('ChangeAssessment').implement({
    fields: (t) => ({
      assessedAt: t.field({ type: 'DateTime', resolve: (a) => a.assessedAt }),
      blastRadius: t.field({ type: [Ring], description: 'Impacted CIs grouped by distance from the targets.', resolve: (a) => a.rings }),
      services: t.field({ type: [ImpactedCiType], resolve: (a) => a.services }),
      impactedCount: t.exposeInt('impactedCount'),
      ownersToNotify: t.field({ type: [TeamImpactType], resolve: (a) => a.owners }),
      redundancyLost: t.field({
        type: [builder.objectRef<ChangeAssessment['redundancyLost'][number]>('RedundancyLost').implement({
          fields: (f) => ({ id: f.exposeID('id'), name: f.exposeString('name'), total: f.exposeInt('total'), lost: f.exposeInt('lost') }),
        })],
        resolve: (a) => a.redundancyLost,
      }),
      risk: t.field({ type: Risk, resolve: (a) => a.risk }),
      conflicts: t.field({ type: [Conflict], resolve: (a) => a.conflicts }),
      freezeWindows: t.field({ type: [FreezeWindow], resolve: (a) => a.freezeWindows }),
    }),
  });
  const Diff = builder.objectRef<AssessmentDiff>('AssessmentDiff').implement({
    description: 'What moved between the submitted snapshot and an assessment now.',
    fields: (t) => ({
      servicesAdded: t.idList({ resolve: (d) => d.servicesAdded }),
      servicesRemoved: t.idList({ resolve: (d) => d.servicesRemoved }),
      servicesChangedState: t.idList({ resolve: (d) => d.servicesChangedState }),
      riskBefore: t.exposeFloat('riskBefore'),
      riskAfter: t.exposeFloat('riskAfter'),
      conflictsAdded: t.idList({ resolve: (d) => d.conflictsAdded }),
      conflictsRemoved: t.idList({ resolve: (d) => d.conflictsRemoved }),
    }),
  });
  const Change = builder.objectRef<ChangeRecord>('ChangeRequest').implement({
    fields: (t) => ({
      id: t.exposeID('id'),
      number: t.exposeString('number'),
      title: t.exposeString('title'),
      description: t.exposeString('description', { nullable: true }),
      type: t.field({ type: ChangeTypeEnum, resolve: (c) => c.type as 'NORMAL' }),
      status: t.field({ type: ChangeStatusEnum, resolve: (c) => c.status as 'DRAFT' }),
      outcome: t.field({ type: ChangeOutcome, nullable: true, resolve: (c) => (c.outcome as 'FAILED' | null) ?? null }),
      plannedStart: t.field({ type: 'DateTime', resolve: (c) => c.plannedStart }),
      plannedEnd: t.field({ type: 'DateTime', resolve: (c) => c.plannedEnd }),
      requestedBy: t.exposeString('requestedBy'),
      approvedBy: t.exposeString('approvedBy', { nullable: true }),
      decisionNote: t.exposeString('decisionNote', { nullable: true }),
      targets: t.field({ type: [CI], resolve: async (c, _a, ctx) => (await Promise.all(c.targetIds.map((id) => ci(ctx, id)))).filter((x): x is CiRow => !!x) }),
      submittedAssessment: t.field({
        type: Assessment,
        nullable: true,
        description: 'The assessment stored when the change was submitted (or last marked assessed): what approvers saw.',
        resolve: (c, _a, ctx) => ctx.changes.snapshot(c),
      }),
      currentAssessment: t.field({ type: Assessment, description: 'Assessed now, against the graph as it is.', resolve: (c, _a, ctx) => ctx.changes.assess(c) }),
      sinceSubmission: t.field({
        type: Diff,
        nullable: true,
        resolve: async (c, _a, ctx) => {
          const before = ctx.changes.snapshot(c);
          return before ? ctx.changes.diff(before, await ctx.changes.assess(c)) : null;
        },
      }),
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
    incident: t.field({ type: Incident, nullable: true, args: { id: t.arg.id({ required: true }) }, resolve: (_r, a, ctx) => ctx.impact.incident(String(a.id)).catch(() => null) }),
    incidents: t.field({
      type: [Incident],
      args: { statuses: t.arg({ type: [IncidentStatus] }) },
      resolve: (_r, a, ctx) => ctx.impact.incidents((a.statuses as string[] | null) ?? []),
    }),
    problems: t.field({ type: [Problem], resolve: (_r, _a, ctx) => ctx.db.read((tx) => listProblems(tx)) }),
    rootCauseSuggestions: t.field({
      type: [RootCause],
      description: 'Shared dependencies of the CIs behind these incidents (default: all open ones), best explanation first.',
      args: { incidentIds: t.arg.idList(), limit: t.arg.int({ defaultValue: 10 }) },
      resolve: (_r, a, ctx) => ctx.impact.rootCauses(a.incidentIds?.map(String) ?? null, a.limit ?? 10),
    }),
    change: t.field({ type: Change, nullable: true, args: { id: t.arg.id({ required: true }) }, resolve: (_r, a, ctx) => ctx.changes.get(String(a.id)).catch(() => null) }),
    changes: t.field({ type: [Change], args: { statuses: t.arg({ type: [ChangeStatusEnum] }) }, resolve: (_r, a, ctx) => ctx.changes.list((a.statuses as string[] | null) ?? []) }),
    freezeWindows: t.field({ type: [FreezeWindow], resolve: (_r, _a, ctx) => ctx.changes.listFreezeWindows() }),
  }));

  const ChangeInput = builder.inputType('CreateChangeInput', {
    fields: (t) => ({
      title: t.string({ required: true }),
      description: t.string(),
      type: t.field({ type: ChangeTypeEnum, required: true }),
      targetIds: t.idList({ required: true }),
      plannedStart: t.field({ type: 'DateTime', required: true }),
      plannedEnd: t.field({ type: 'DateTime', required: true }),
    }),
  });
  const IncidentInput = builder.inputType('OpenIncidentInput', {
    fields: (t) => ({
      title: t.string({ required: true }),
      severity: t.field({ type: Severity, required: true }),
      failed: t.field({ type: [FailedCiInput], required: true }),
    }),
  });
  const errors = { types: MUTATION_ERRORS };
  const changeStep = (name: string, description: string, run: (ctx: Context, id: string, a: Record<string, unknown>) => Promise<void>) => {
    builder.mutationField(name, (t) =>
      t.field({
        type: Change,
        description,
        errors,
        args: { id: t.arg.id({ required: true }), note: t.arg.string() },
        resolve: async (_r, a, ctx) => {
          await run(ctx, String(a.id), a as Record<string, unknown>);
          return ctx.changes.get(String(a.id));
        },
      }),
    );
  };

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
      args: { id: t.arg.id({ required: true }) },
      resolve: async (_r, a, ctx) => {
        await ctx.impact.setStatus(String(a.id), 'RESOLVED');
        return ctx.impact.incident(String(a.id));
      },
    }),
    closeIncident: t.field({
      type: Incident,
      errors,
      args: { id: t.arg.id({ required: true }) },
      resolve: async (_r, a, ctx) => {
        await ctx.impact.setStatus(String(a.id), 'CLOSED');
        return ctx.impact.incident(String(a.id));
      },
    }),
    createProblem: t.field({
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
    createChange: t.field({
      type: Change,
      errors,
      description: 'Draft a change request; whoever creates it is its requester.',
      args: { input: t.arg({ type: ChangeInput, required: true }) },
      resolve: async (_r, { input }, ctx) => {
        const id = await ctx.changes.create({ ...input, targetIds: input.targetIds.map(String), description: input.description ?? null }, ctx.actor);
        return ctx.changes.get(id);
      },
    }),
    createFreezeWindow: t.field({
      type: FreezeWindow,
      errors,
      args: { name: t.arg.string({ required: true }), start: t.arg({ type: 'DateTime', required: true }), end: t.arg({ type: 'DateTime', required: true }) },
      resolve: async (_r, a, ctx) => {
        const id = await ctx.changes.addFreezeWindow(a.name, a.start, a.end);
        return (await ctx.changes.listFreezeWindows()).find((f) => f.id === id)!;
      },
    }),
  }));

  changeStep('assessChange', 'Assess now and store the assessment (DRAFT -> ASSESSED).', (ctx, id) => ctx.changes.markAssessed(id));
  changeStep('submitChange', 'Submit for approval, storing the assessment approvers will see. Standard low-risk changes are pre-approved.', (ctx, id) => ctx.changes.submit(id, ctx.actor));
  changeStep('approveChange', 'Approve; the requester cannot approve their own change.', (ctx, id, a) => ctx.changes.decide(id, true, ctx.actor, (a.note as string | null) ?? null));
  changeStep('rejectChange', 'Reject; the requester cannot reject their own change.', (ctx, id, a) => ctx.changes.decide(id, false, ctx.actor, (a.note as string | null) ?? null));
  changeStep('scheduleChange', 'Schedule an approved change.', (ctx, id) => ctx.changes.schedule(id));
  changeStep('implementChange', 'Mark implemented (an emergency change may skip scheduling).', (ctx, id) => ctx.changes.implement(id));
  changeStep('cancelChange', 'Cancel a change that is not yet implemented.', (ctx, id) => ctx.changes.cancel(id));
  builder.mutationField('closeChange', (t) =>
    t.field({
      type: Change,
      errors,
      description: 'Review and close an implemented change with its outcome.',
      args: { id: t.arg.id({ required: true }), outcome: t.arg({ type: ChangeOutcome, required: true }) },
      resolve: async (_r, a, ctx) => {
        await ctx.changes.close(String(a.id), a.outcome);
        return ctx.changes.get(String(a.id));
      },
    }),
  );
}
