// Owns the CI read queries: a node or CI by id, filtered lists of CIs and services, search, teams, dependency
// paths and the class model.
import type { ClassModel } from '../../domain/class-model/types';
import { NotFoundError, ValidationError } from '../../errors';
import { listTeams, searchCis } from '../../neo4j/repositories/ci-repository';
import { shortestPaths } from '../../neo4j/repositories/graph-repository';
import type { CiRow } from '../../neo4j/repositories/rows';
import type { Builder } from '../builder';
import type { Common } from '../common';
import type { addClassModelTypes } from './class-model';
import type { addConnectionTypes } from './connection';
import type { CiRef, TeamRef } from './refs';
import type { addSubgraphTypes } from './subgraph';
import { connectionCost, pathsCost, searchCost } from '../cost';
import { needs } from '../auth-scopes';
import { instantOf } from '../../services/time-travel';
import { AT_DESCRIPTION } from '../common';
import { ciAt } from './as-of';

const SERVICE_KINDS = { BUSINESS: 'BusinessService', APPLICATION: 'ApplicationService', TECHNICAL: 'TechnicalService' } as const;

export function addCiQueries(
  builder: Builder,
  model: ClassModel,
  common: Common,
  refs: { CI: CiRef; Team: TeamRef },
  lists: ReturnType<typeof addConnectionTypes>,
  subgraphs: ReturnType<typeof addSubgraphTypes>,
  classModel: ReturnType<typeof addClassModelTypes>,
): void {
  const { RelationshipType, NodeInterface } = common;
  const { CI, Team } = refs;
  const { CiConnection, CiFilterInput, CiOrderInput, toFilter, connectionArgs, page } = lists;
  const { DependencyPathType } = subgraphs;
  const { CiClassType } = classModel;

  const SearchHit = builder.objectRef<{ row: CiRow; score: number }>('SearchHit').implement({
    fields: (t) => ({ ci: t.field({ type: CI, resolve: (h) => h.row }), score: t.exposeFloat('score') }),
  });

  builder.queryFields((t) => ({
    node: t.field({
      ...needs('viewer'),
      type: NodeInterface,
      nullable: true,
      args: { id: t.arg.id({ required: true }) },
      resolve: async (_r, a, ctx) => {
        const id = String(a.id);
        if (id.startsWith('team_')) return ctx.loaders.team.load(id);
        return ctx.loaders.ci.load(id);
      },
    }),
    ci: t.field({
      ...needs('viewer'),
      type: CI,
      nullable: true,
      args: {
        id: t.arg.id({ required: true }),
        at: t.arg({ type: 'DateTime', required: false, description: AT_DESCRIPTION }),
      },
      resolve: (_r, a, ctx) => {
        const at = instantOf(a.at);
        return at === undefined ? ctx.loaders.ci.load(String(a.id)) : ciAt(ctx, String(a.id), at);
      },
    }),
    cis: t.field({
      ...needs('viewer'),
      type: CiConnection,
      description: 'CIs matching a filter, ordered, with cursor pagination.',
      complexity: connectionCost,
      args: { filter: t.arg({ type: CiFilterInput }), orderBy: t.arg({ type: CiOrderInput }), ...connectionArgs(t.arg) },
      resolve: (_r, a, ctx) => page(ctx, toFilter(a.filter), a.orderBy, a),
    }),
    services: t.field({
      ...needs('viewer'),
      type: CiConnection,
      description: 'Business, application and technical services.',
      complexity: connectionCost,
      args: {
        kind: t.arg({ type: builder.enumType('ServiceKind', { values: Object.keys(SERVICE_KINDS) as ['BUSINESS', 'APPLICATION', 'TECHNICAL'] }) }),
        filter: t.arg({ type: CiFilterInput }),
        orderBy: t.arg({ type: CiOrderInput }),
        ...connectionArgs(t.arg),
      },
      resolve: (_r, a, ctx) =>
        page(ctx, { ...toFilter(a.filter), classes: [a.kind ? SERVICE_KINDS[a.kind as keyof typeof SERVICE_KINDS] : 'Service'] }, a.orderBy, a),
    }),
    search: t.field({
      ...needs('viewer'),
      type: [SearchHit],
      description: 'Full-text search over names, descriptions and key attributes (plain words, at most 16); the last word matches as a prefix.',
      complexity: searchCost,
      args: { text: t.arg.string({ required: true }), first: t.arg.int({ defaultValue: 20 }), classes: t.arg.stringList() },
      resolve: (_r, a, ctx) => {
        const n = a.first ?? 20;
        if (n < 1 || n > 100) throw new ValidationError('first', 'must be between 1 and 100');
        return ctx.db.read((tx) => searchCis(tx, model, a.text, n, a.classes ? [...a.classes] : []));
      },
    }),
    teams: t.field({ ...needs('viewer'), type: [Team], resolve: (_r, _a, ctx) => ctx.db.read((tx) => listTeams(tx)) }),
    team: t.field({ ...needs('viewer'), type: Team, nullable: true, args: { id: t.arg.id({ required: true }) }, resolve: (_r, a, ctx) => ctx.loaders.team.load(String(a.id)) }),
    paths: t.field({
      ...needs('viewer'),
      type: [DependencyPathType],
      description: 'The shortest dependency paths between two CIs (either may be the one that needs the other).',
      complexity: pathsCost,
      args: {
        fromId: t.arg.id({ required: true }),
        toId: t.arg.id({ required: true }),
        types: t.arg({ type: [RelationshipType] }),
        max: t.arg.int({ defaultValue: 3 }),
      },
      resolve: async (_r, a, ctx) => {
        for (const [field, id] of [['fromId', a.fromId], ['toId', a.toId]] as const) {
          if (!(await ctx.loaders.ci.load(String(id)))) throw new NotFoundError('CI', String(id), field);
        }
        const max = a.max ?? 3;
        if (max < 1 || max > 20) throw new ValidationError('max', 'must be between 1 and 20');
        return ctx.db.read((tx) =>
          shortestPaths(tx, model, String(a.fromId), String(a.toId), a.types?.length ? [...(a.types as string[])] : model.impactingTypes(), max, ctx.limits.maxTraversalDepth),
        );
      },
    }),
    ciClasses: t.field({
      ...needs('viewer'),
      type: [CiClassType],
      description: 'The class model: hierarchy, attributes and identification rules.',
      resolve: () => [...model.classes.keys()].map((name) => ({ name })),
    }),
  }));
}
