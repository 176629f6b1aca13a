// Owns the impact report: what fails with a set of CIs (DOWN or DEGRADED), why (explanation paths), whom to tell
// and which redundancy groups held, and the queries that compute one.
import { pageOfReport, type ImpactPage, type ImpactReport, type ImpactedCi } from '../../domain/impact';
import { ValidationError } from '../../errors';
import type { CiRow } from '../../neo4j/repositories/rows';
import type { Builder } from '../builder';
import type { Context } from '../context';
import type { CiTypes } from '../ci';
import { ASSESSMENT_COST } from '../cost';
import { needs } from '../auth-scopes';
import { AT_DESCRIPTION } from '../common';
import { instantOf } from '../../services/time-travel';

/** The CI behind an id in a report, or null when it was deleted since the report was made. */
export const ci = async (ctx: Context, id: string): Promise<CiRow | null> => ctx.loaders.ci.load(id);

export function addImpactReportTypes(builder: Builder, types: CiTypes) {
  const { CI, Team } = types;
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
  const StateCount = builder.objectRef<ImpactPage['byState'][number]>('ImpactedStateCount').implement({
    fields: (t) => ({ state: t.field({ type: ImpactState, resolve: (x) => x.state }), count: t.exposeInt('count') }),
  });
  const ClassCount = builder.objectRef<ImpactPage['byClass'][number]>('ImpactedClassCount').implement({
    fields: (t) => ({ className: t.exposeString('className'), count: t.exposeInt('count') }),
  });
  const PageType = builder.objectRef<ImpactPage>('ImpactedCiPage').implement({
    description: 'One page of a report, with totals over the whole list so a first screen can say how much there is.',
    fields: (t) => ({
      nodes: t.field({ type: [ImpactedCiType], resolve: (p) => p.items }),
      totalCount: t.exposeInt('totalCount'),
      totalsByState: t.field({ type: [StateCount], resolve: (p) => p.byState }),
      totalsByClass: t.field({ type: [ClassCount], description: 'Most frequent class first.', resolve: (p) => p.byClass }),
      endCursor: t.string({ nullable: true, description: 'Pass as `after` for the next page.', resolve: (p) => (p.items.length ? encodeOffset(p.offset + p.items.length) : null) }),
      hasNextPage: t.exposeBoolean('hasNextPage'),
    }),
  });
  const ImpactReportType = builder.objectRef<ImpactReport>('ImpactReport');
  ImpactReportType.implement({
    description: 'The state of everything upstream of failed CIs, services first by what matters most.',
    fields: (t) => {
      const pageArgs = () => ({
        first: t.arg.int({ defaultValue: 50, description: 'From 1 to 500.' }),
        after: t.arg.string({ required: false }),
      });
      return {
        services: t.field({ type: [ImpactedCiType], resolve: (r) => r.services }),
        impacted: t.field({ type: [ImpactedCiType], resolve: (r) => r.impacted }),
        servicePage: t.field({
          type: PageType,
          description: 'Impacted services a page at a time, in the order of `services` (DOWN, criticality, kind, distance).',
          args: pageArgs(),
          resolve: (r, a) => pageOfReport(r, 'services', decodeOffset(a.after), pageSize(a.first)),
        }),
        impactedPage: t.field({
          type: PageType,
          description: 'Every impacted CI a page at a time: DOWN first, then criticality, distance and name.',
          args: pageArgs(),
          resolve: (r, a) => pageOfReport(r, 'impacted', decodeOffset(a.after), pageSize(a.first)),
        }),
        teams: t.field({ type: [TeamImpactType], resolve: (r) => r.teams }),
        groups: t.field({ type: [GroupOutcomeType], resolve: (r) => r.groups }),
      };
    },
  });
  const FailedCiInput = builder.inputType('FailedCiInput', {
    fields: (t) => ({ id: t.id({ required: true }), state: t.field({ type: ImpactState, defaultValue: 'DOWN' }) }),
  });

  builder.queryFields((t) => ({
    impactAnalysis: t.field({
      ...needs('viewer'),
      type: ImpactReportType,
      description: 'What fails with these CIs (DOWN or DEGRADED), honouring redundancy, with explanation paths.',
      complexity: ASSESSMENT_COST,
      args: {
        failed: t.arg({ type: [FailedCiInput], required: true }),
        maxPaths: t.arg.int({ defaultValue: 3 }),
        at: t.arg({ type: 'DateTime', required: false, description: AT_DESCRIPTION }),
      },
      resolve: (_r, a, ctx) =>
        ctx.impact.analyse(a.failed.map((f) => ({ id: String(f.id), state: f.state ?? 'DOWN' })), a.maxPaths ?? 3, instantOf(a.at)),
    }),
    whatIf: t.field({
      ...needs('incident-responder', 'change-manager'),
      type: ImpactReportType,
      description: 'The blast radius if these CIs went down, for a quick look; nothing is written.',
      complexity: ASSESSMENT_COST,
      args: { ciIds: t.arg.idList({ required: true }), at: t.arg({ type: 'DateTime', required: false, description: AT_DESCRIPTION }) },
      resolve: (_r, a, ctx) => ctx.changes.whatIf(a.ciIds.map(String), instantOf(a.at)),
    }),
  }));
  return { ImpactState, ImpactedCiType, TeamImpactType, ImpactReportType, FailedCiInput };
}

const MAX_PAGE = 500;

function pageSize(first: number | null | undefined): number {
  const n = first ?? 50;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE) throw new ValidationError('first', `must be an integer from 1 to ${MAX_PAGE}`);
  return n;
}

/** Cursors are offsets into the report's fixed order: a report is computed whole, so an offset is stable in it. */
function encodeOffset(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString('base64url');
}

function decodeOffset(after: string | null | undefined): number {
  if (after === null || after === undefined) return 0;
  const m = /^offset:(\d{1,9})$/.exec(Buffer.from(after, 'base64url').toString());
  if (!m) throw new ValidationError('after', 'is not a cursor from this list');
  return Number(m[1]);
}
