// Owns the CI interface: the fields every configuration item has, whatever its class, including its owner,
// first-level relationships, bounded traversals and history.
import type { ClassModel } from '../../domain/class-model/types';
import type { Builder } from '../builder';
import type { Common } from '../common';
import type { addHistoryTypes } from './history';
import type { CiRef, RelationshipRef, TeamRef } from './refs';
import type { addSubgraphTypes } from './subgraph';
import { traversalCost } from '../cost';
import { ciBeside, ownerBeside, relationshipsBeside } from './as-of';

export function implementCi(
  builder: Builder,
  model: ClassModel,
  common: Common,
  refs: { CI: CiRef; Team: TeamRef; Relationship: RelationshipRef },
  history: ReturnType<typeof addHistoryTypes>,
  subgraphs: ReturnType<typeof addSubgraphTypes>,
): void {
  const { Environment, Lifecycle, RelationshipType, NodeInterface } = common;
  const { CI, Team, Relationship } = refs;
  const { AttributeProvenance, HistoryEntry } = history;
  const { SubgraphType, subgraph } = subgraphs;

  const RelDirection = builder.enumType('RelationshipDirection', {
    values: { OUT: { description: 'What this CI needs.' }, IN: { description: 'What needs this CI.' }, BOTH: {} },
  });

  CI.implement({
    description: 'A configuration item. Each class of the class model is a type implementing this interface.',
    interfaces: [NodeInterface],
    resolveType: (row) => row.className,
    fields: (t) => ({
      id: t.exposeID('id'),
      name: t.exposeString('name'),
      className: t.exposeString('className', { description: 'Most specific class, e.g. LinuxServer.' }),
      classPath: t.stringList({ description: 'Classes from the root, e.g. [CI, Hardware, Server, LinuxServer].', resolve: (r) => model.labelsFor(r.className) }),
      family: t.string({ nullable: true, description: 'Family of the class (hardware, kubernetes, service, ...) for shapes in a view.', resolve: (r) => model.family(r.className) ?? null }),
      environment: t.field({ type: Environment, nullable: true, resolve: (r) => r.environment as never }),
      lifecycle: t.field({ type: Lifecycle, resolve: (r) => r.lifecycle as never }),
      criticality: t.int({ nullable: true, description: '1 = most critical ... 4 = least.', resolve: (r) => r.criticality }),
      description: t.exposeString('description', { nullable: true }),
      stale: t.exposeBoolean('stale', { description: 'Its discovery source stopped reporting it.' }),
      sources: t.exposeStringList('sources', { description: 'Sources that have reported this CI.' }),
      createdAt: t.field({ type: 'DateTime', resolve: (r) => r.createdAt }),
      updatedAt: t.field({ type: 'DateTime', resolve: (r) => r.updatedAt }),
      attributes: t.field({ type: 'JSON', description: 'Class attributes by name.', resolve: (r) => r.attributes }),
      provenance: t.field({
        type: [AttributeProvenance],
        resolve: (r) => Object.entries(r.provenance).map(([field, p]) => ({ field, ...p })).sort((a, b) => a.field.localeCompare(b.field)),
      }),
      owner: t.field({ type: Team, nullable: true, resolve: (r, _a, ctx) => ownerBeside(ctx, r) }),
      asOf: t.field({
        type: 'DateTime',
        nullable: true,
        description: 'The past instant this CI is shown as of (its values, owner, relationships and traversals then); null for now.',
        resolve: (r) => r.asOf ?? null,
      }),
      relationships: t.field({
        type: [Relationship],
        description: 'First-level impacting relationships.',
        args: {
          direction: t.arg({ type: RelDirection, defaultValue: 'BOTH' }),
          types: t.arg({ type: [RelationshipType], required: false }),
        },
        resolve: async (r, a, ctx) => {
          const all = await relationshipsBeside(ctx, r);
          return all.filter(
            (e) =>
              (a.direction === 'BOTH' || (a.direction === 'OUT' ? e.from === r.id : e.to === r.id)) &&
              (!a.types?.length || (a.types as string[]).includes(e.type)),
          );
        },
      }),
      dependencies: t.field({
        type: SubgraphType,
        description: 'What this CI needs, down to `depth` hops.',
        complexity: traversalCost,
        args: {
          depth: t.arg.int({ defaultValue: 3 }),
          types: t.arg({ type: [RelationshipType], required: false }),
          classes: t.arg.stringList({ required: false, description: 'Only CIs of these classes (any level).' }),
          limit: t.arg.int({ defaultValue: 500 }),
        },
        resolve: (r, a, ctx) => subgraph(ctx, r.id, 'DEPENDENCIES', a, r.asOf),
      }),
      dependents: t.field({
        type: SubgraphType,
        description: 'What needs this CI (what its failure can reach), up to `depth` hops.',
        complexity: traversalCost,
        args: {
          depth: t.arg.int({ defaultValue: 3 }),
          types: t.arg({ type: [RelationshipType], required: false }),
          classes: t.arg.stringList({ required: false }),
          limit: t.arg.int({ defaultValue: 500 }),
        },
        resolve: (r, a, ctx) => subgraph(ctx, r.id, 'DEPENDENTS', a, r.asOf),
      }),
      history: t.field({
        type: [HistoryEntry],
        args: { first: t.arg.int({ defaultValue: 20 }) },
        // A past CI's history ends at its instant: what came later had not happened yet.
        resolve: async (r, a, ctx) =>
          (await ctx.loaders.history.load(r.id)).filter((h) => !r.asOf || Date.parse(h.at) <= Date.parse(r.asOf)).slice(0, Math.max(0, a.first ?? 20)),
      }),
    }),
  });

  Relationship.implement({
    description: 'A directed impacting relationship: `from` needs `to`.',
    fields: (t) => ({
      id: t.id({ description: 'Stable id of the relationship: from, type and to.', resolve: (e) => `${e.from}:${e.type}:${e.to}` }),
      type: t.field({ type: RelationshipType, resolve: (e) => e.type as never }),
      from: t.field({ type: CI, resolve: async (e, _a, ctx) => (await ciBeside(ctx, e.asOf, e.from))! }),
      to: t.field({ type: CI, resolve: async (e, _a, ctx) => (await ciBeside(ctx, e.asOf, e.to))! }),
      sources: t.exposeStringList('sources'),
      absent: t.exposeBoolean('absent'),
    }),
  });
}
