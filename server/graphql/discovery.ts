// Owns the discovery-run and CMDB-health API: runs that mark what a source stopped reporting, and data-quality
// figures that each lead to the CIs behind them.
import type { RunRecord } from '../neo4j/repositories/discovery-repository';
import type { HealthFigure } from '../neo4j/repositories/health-repository';
import type { CiRow } from '../neo4j/repositories/rows';
import type { DiscoveryService } from '../services/discovery';
import type { Builder } from './builder';
import { MUTATION_ERRORS, nullIfNotFound } from './common';
import type { CiTypes } from './ci';
import { needs, needsSource } from './auth-scopes';
import type { Context } from './context';

type Health = Awaited<ReturnType<DiscoveryService['health']>>;

export function addDiscoveryTypes(builder: Builder, types: CiTypes) {
  const { CI } = types;
  const RunStatus = builder.enumType('DiscoveryRunStatus', { values: ['RUNNING', 'COMPLETED', 'ABANDONED'] as const });
  const Run = builder.objectRef<RunRecord>('DiscoveryRun').implement({
    description: 'One pass of a discovery source. Completing it marks what the source did not report as stale/absent.',
    fields: (t) => ({
      id: t.exposeID('id'),
      source: t.exposeString('source'),
      scope: t.exposeString('scope', { description: 'The part of the source the run covers (a cluster, a host); empty: what the source reports unscoped.' }),
      status: t.field({ type: RunStatus, resolve: (r) => r.status }),
      startedAt: t.field({ type: 'DateTime', resolve: (r) => r.startedAt }),
      completedAt: t.field({ type: 'DateTime', nullable: true, resolve: (r) => r.completedAt }),
      markedStale: t.exposeInt('markedStale', { description: 'CIs this run found missing.' }),
      markedAbsent: t.exposeInt('markedAbsent', { description: 'Relationships this run found missing.' }),
    }),
  });
  const cisOf = async (ids: string[], load: (id: string) => Promise<CiRow | null>) =>
    (await Promise.all(ids.map(load))).filter((x): x is CiRow => !!x);
  const Figure = builder.objectRef<HealthFigure>('HealthFigure').implement({
    fields: (t) => ({
      key: t.exposeString('key', { description: 'What is counted: a source, a class.attribute, ...' }),
      count: t.exposeInt('count'),
      ciIds: t.idList({ description: 'Up to 50 of the CIs behind the figure.', resolve: (f) => f.ciIds }),
      cis: t.field({ type: [CI], resolve: (f, _a, ctx) => cisOf(f.ciIds, (id) => ctx.loaders.ci.load(id)) }),
    }),
  });
  const Completeness = builder.objectRef<Health['completeness'][number]>('CompletenessFigure').implement({
    fields: (t) => ({
      className: t.exposeString('className'),
      attribute: t.exposeString('attribute', { description: 'A required attribute, or owner / environment / criticality.' }),
      missing: t.exposeInt('count'),
      total: t.exposeInt('total'),
      ciIds: t.idList({ resolve: (f) => f.ciIds }),
    }),
  });
  const Dup = builder.objectRef<Health['duplicateConflicts'][number]>('DuplicateConflict').implement({
    description: 'An incoming item matched several CIs on one identification rule; nothing was merged.',
    fields: (t) => ({
      key: t.exposeString('key'),
      source: t.exposeString('source'),
      ciIds: t.idList({ resolve: (d) => d.ciIds }),
      cis: t.field({ type: [CI], resolve: (d, _a, ctx) => cisOf(d.ciIds, (id) => ctx.loaders.ci.load(id)) }),
      lastSeen: t.field({ type: 'DateTime', resolve: (d) => new Date(d.lastSeen).toISOString() }),
    }),
  });
  const HealthType = builder.objectRef<Health>('CmdbHealth').implement({
    description: 'CMDB data quality: completeness, staleness, orphans, ownership, duplicates.',
    fields: (t) => ({
      totalCis: t.exposeInt('totalCis'),
      completenessScore: t.exposeFloat('completenessScore', { description: 'Share of expected attributes present (0..1).' }),
      completeness: t.field({ type: [Completeness], resolve: (h) => h.completeness }),
      staleBySource: t.field({ type: [Figure], resolve: (h) => h.staleBySource }),
      absentRelationshipsBySource: t.field({ type: [Figure], resolve: (h) => h.absentBySource }),
      orphans: t.field({ type: Figure, description: 'CIs with no relationship to any other CI.', resolve: (h) => h.orphans }),
      unownedServices: t.field({ type: Figure, resolve: (h) => h.unownedServices }),
      duplicateConflicts: t.field({ type: [Dup], resolve: (h) => h.duplicateConflicts }),
    }),
  });

  // A run's writer is whoever may write its source; an unknown run names no source, so only '*' holders pass
  // to the resolver, which reports it not found.
  const runSource = (a: { id: string | number }, ctx: Context) => ctx.discovery.get(String(a.id)).then((r) => r.source, () => '');
  builder.queryFields((t) => ({
    discoveryRun: t.field({ ...needs('viewer'), type: Run, nullable: true, args: { id: t.arg.id({ required: true }) }, resolve: (_r, a, ctx) => ctx.discovery.get(String(a.id)).catch(nullIfNotFound) }),
    cmdbHealth: t.field({ ...needs('viewer'), type: HealthType, resolve: (_r, _a, ctx) => ctx.discovery.health() }),
  }));
  builder.mutationFields((t) => ({
    startDiscoveryRun: t.field({
      ...needsSource((a: { source: string }) => a.source),
      type: Run,
      errors: { types: MUTATION_ERRORS },
      description:
        'Start a run for a source; send its batches with `runId`, then complete it. With a `scope` (a cluster, a host) completing it marks only what runs of that scope reported before.',
      args: { source: t.arg.string({ required: true }), scope: t.arg.string({ required: false }) },
      resolve: (_r, a, ctx) => ctx.discovery.start(a.source, ctx.actor, a.scope ?? ''),
    }),
    completeDiscoveryRun: t.field({
      ...needsSource(runSource),
      type: Run,
      errors: { types: MUTATION_ERRORS },
      description: 'Finish a run: what the source reported before but not in this run becomes stale (CIs) or absent (relationships).',
      args: { id: t.arg.id({ required: true }) },
      resolve: (_r, a, ctx) => ctx.discovery.complete(String(a.id)),
    }),
    abandonDiscoveryRun: t.field({
      ...needsSource(runSource),
      type: Run,
      errors: { types: MUTATION_ERRORS },
      description: 'Give up on a run: nothing is marked.',
      args: { id: t.arg.id({ required: true }) },
      resolve: (_r, a, ctx) => ctx.discovery.abandon(String(a.id)),
    }),
  }));
}
