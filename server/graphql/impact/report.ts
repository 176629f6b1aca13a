// Owns the impact report: what fails with a set of CIs (DOWN or DEGRADED), why (explanation paths), whom to tell
// and which redundancy groups held, and the queries that compute one.
import type { ImpactReport, ImpactedCi } from '../../domain/impact';
import type { CiRow } from '../../neo4j/repositories/rows';
import type { Builder } from '../builder';
import type { Context } from '../context';
import type { CiTypes } from '../ci';
import { needs } from '../auth-scopes';

/** The CI behind an id in a report, or null when it was deleted since the report was made. */
export const ci = async (ctx: Context, id: string): Promise<CiRow | null> => ctx.loaders.ci.load(id);

export function addImpactReportTypes(builder: Builder, types: CiTypes) {
  const { CI } = types;
  const ImpactState = builder.enumType('ImpactState', { values: ['DOWN', 'DEGRADED'] as const });

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

  builder.queryFields((t) => ({
    impactAnalysis: t.field({
      ...needs('viewer'),
      type: ImpactReportType,
      description: 'What fails with these CIs (DOWN or DEGRADED), honouring redundancy, with explanation paths.',
      args: { failed: t.arg({ type: [FailedCiInput], required: true }), maxPaths: t.arg.int({ defaultValue: 3 }) },
      resolve: (_r, a, ctx) => ctx.impact.analyse(a.failed.map((f) => ({ id: String(f.id), state: f.state ?? 'DOWN' })), a.maxPaths ?? 3),
    }),
    whatIf: t.field({
      ...needs('incident-responder', 'change-manager'),
      type: ImpactReportType,
      description: 'The blast radius if these CIs went down, for a quick look; nothing is written.',
      args: { ciIds: t.arg.idList({ required: true }) },
      resolve: (_r, a, ctx) => ctx.changes.whatIf(a.ciIds.map(String)),
    }),
  }));
  return { ImpactState, ImpactedCiType, TeamImpactType, ImpactReportType, FailedCiInput };
}
