// Owns the CI read API: the CI interface, one GraphQL type per class of the class model (abstract classes as
// interfaces), teams, relationships, traversal subgraphs and dependency paths, and the queries over them.
import type { AttributeDef, ClassModel } from '../domain/class-model/types';
import { NotFoundError, ValidationError } from '../errors';
import { listCis, listTeams, searchCis, MAX_PAGE, type CiFilter, type CiOrderField, type CiPage } from '../neo4j/repositories/ci-repository';
import { shortestPaths, traverse, type DependencyPath, type Subgraph } from '../neo4j/repositories/graph-repository';
import type { HistoryRow } from '../neo4j/repositories/ci-writes';
import type { CiRow, EdgeRow, TeamRow } from '../neo4j/repositories/rows';
import type { ArgBuilder } from '@pothos/core';
import type { Builder, BuilderTypes } from './builder';
import type { Common } from './common';
import type { Context } from './context';

const SERVICE_KINDS = { BUSINESS: 'BusinessService', APPLICATION: 'ApplicationService', TECHNICAL: 'TechnicalService' } as const;

export function addCiTypes(builder: Builder, model: ClassModel, common: Common) {
  const { Environment, Lifecycle, RelationshipType, SortDirection, NodeInterface, PageInfo } = common;

  const CI = builder.interfaceRef<CiRow>('CI');
  const Team = builder.objectRef<TeamRow>('Team');
  const Relationship = builder.objectRef<EdgeRow>('Relationship');

  const AttributeProvenance = builder.objectRef<{ field: string; source: string; at: string }>('AttributeProvenance').implement({
    description: 'Which source last set an attribute, and when.',
    fields: (t) => ({ field: t.exposeString('field'), source: t.exposeString('source'), at: t.field({ type: 'DateTime', resolve: (p) => p.at }) }),
  });
  const FieldChange = builder.objectRef<{ field: string; before: unknown; after: unknown }>('FieldChange').implement({
    fields: (t) => ({
      field: t.exposeString('field'),
      before: t.field({ type: 'JSON', nullable: true, resolve: (c) => c.before ?? null }),
      after: t.field({ type: 'JSON', nullable: true, resolve: (c) => c.after ?? null }),
    }),
  });
  const HistoryEntry = builder.objectRef<HistoryRow>('HistoryEntry').implement({
    description: 'One recorded change: who, from which source, when, and the before/after of each field.',
    fields: (t) => ({
      at: t.field({ type: 'DateTime', resolve: (h) => new Date(h.at).toISOString() }),
      actor: t.exposeString('actor'),
      source: t.exposeString('source'),
      action: t.exposeString('action'),
      changes: t.field({ type: [FieldChange], resolve: (h) => h.changes }),
    }),
  });

  const SubgraphEdge = builder.objectRef<EdgeRow>('SubgraphEdge').implement({
    description: 'An edge of a subgraph by the ids of its ends, ready for a graph view.',
    fields: (t) => ({
      type: t.field({ type: RelationshipType, resolve: (e) => e.type as never }),
      fromId: t.id({ resolve: (e) => e.from }),
      toId: t.id({ resolve: (e) => e.to }),
      absent: t.exposeBoolean('absent', { description: 'The source that reported it no longer does.' }),
      sources: t.exposeStringList('sources'),
    }),
  });
  const SubgraphNode = builder.objectRef<Subgraph['nodes'][number]>('SubgraphNode').implement({
    fields: (t) => ({
      ci: t.field({ type: CI, resolve: (n) => n.row }),
      distance: t.exposeInt('distance', { description: 'Fewest hops from the root.' }),
      moreBeyondDepth: t.exposeBoolean('moreBeyond', { description: 'This CI, at the depth limit, has neighbours the limit left out.' }),
    }),
  });
  const SubgraphType = builder.objectRef<Subgraph>('Subgraph').implement({
    description: 'A bounded traversal from one CI: its nodes with their distance, and the edges among them.',
    fields: (t) => ({
      root: t.field({ type: CI, resolve: (s) => s.root! }),
      nodes: t.field({ type: [SubgraphNode], resolve: (s) => s.nodes }),
      edges: t.field({ type: [SubgraphEdge], resolve: (s) => s.edges }),
      truncated: t.exposeBoolean('truncated', { description: 'More CIs were reachable within `depth` than `limit`.' }),
      cutByDepth: t.exposeInt('cutByDepth', { description: 'CIs one hop past `depth` that the depth limit left out; 0 when the depth reached everything.' }),
    }),
  });
  const DependencyPathType = builder.objectRef<DependencyPath>('DependencyPath').implement({
    description: 'A chain of CIs where each needs the next.',
    fields: (t) => ({
      nodes: t.field({ type: [CI], resolve: (p) => p.nodes }),
      edges: t.field({ type: [SubgraphEdge], resolve: (p) => p.edges }),
      length: t.int({ resolve: (p) => p.edges.length }),
    }),
  });

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
      owner: t.field({ type: Team, nullable: true, resolve: (r, _a, ctx) => ctx.loaders.owner.load(r.id) }),
      relationships: t.field({
        type: [Relationship],
        description: 'First-level impacting relationships.',
        args: {
          direction: t.arg({ type: RelDirection, defaultValue: 'BOTH' }),
          types: t.arg({ type: [RelationshipType], required: false }),
        },
        resolve: async (r, a, ctx) => {
          const all = await ctx.loaders.relationships.load(r.id);
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
        args: {
          depth: t.arg.int({ defaultValue: 3 }),
          types: t.arg({ type: [RelationshipType], required: false }),
          classes: t.arg.stringList({ required: false, description: 'Only CIs of these classes (any level).' }),
          limit: t.arg.int({ defaultValue: 500 }),
        },
        resolve: (r, a, ctx) => subgraph(ctx, r.id, 'DEPENDENCIES', a),
      }),
      dependents: t.field({
        type: SubgraphType,
        description: 'What needs this CI (what its failure can reach), up to `depth` hops.',
        args: {
          depth: t.arg.int({ defaultValue: 3 }),
          types: t.arg({ type: [RelationshipType], required: false }),
          classes: t.arg.stringList({ required: false }),
          limit: t.arg.int({ defaultValue: 500 }),
        },
        resolve: (r, a, ctx) => subgraph(ctx, r.id, 'DEPENDENTS', a),
      }),
      history: t.field({
        type: [HistoryEntry],
        args: { first: t.arg.int({ defaultValue: 20 }) },
        resolve: async (r, a, ctx) => (await ctx.loaders.history.load(r.id)).slice(0, Math.max(0, a.first ?? 20)),
      }),
    }),
  });

  async function subgraph(
    ctx: Context,
    id: string,
    direction: 'DEPENDENCIES' | 'DEPENDENTS',
    a: { depth?: number | null; types?: readonly string[] | null; classes?: readonly string[] | null; limit?: number | null },
  ): Promise<Subgraph> {
    const limit = a.limit ?? 500;
    if (limit < 1 || limit > 5000) throw new ValidationError('limit', 'must be between 1 and 5000');
    return ctx.db.read((tx) =>
      traverse(
        tx,
        model,
        {
          rootId: id,
          direction,
          depth: a.depth ?? 3,
          types: a.types?.length ? [...a.types] : model.impactingTypes(),
          classes: a.classes ? [...a.classes] : [],
          limit,
        },
        ctx.limits.maxTraversalDepth,
      ),
    );
  }

  // Abstract classes become interfaces, so `... on Hardware { serialNumber }` or `... on Service` select a
  // whole family. Concrete classes with children (Server, Application) stay object types: select their
  // children by name, or filter with `classes: ["Server"]`, which does match every server.
  const interfaceRefs = new Map<string, ReturnType<typeof builder.interfaceRef<CiRow>>>();
  const classes = [...model.classes.values()];
  const attrField = (t: PothosSchemaTypes.FieldBuilder<PothosSchemaTypes.ExtendDefaultTypes<BuilderTypes>, CiRow, 'Object' | 'Interface'>, a: AttributeDef) => {
    const opts = { nullable: true as const, description: a.description, resolve: (r: CiRow) => (r.attributes[a.name] ?? null) as never };
    switch (a.type) {
      case 'int':
        return t.int(opts);
      case 'float':
        return t.float(opts);
      case 'boolean':
        return t.boolean(opts);
      case 'stringList':
        return t.stringList(opts);
      default:
        return t.string(opts);
    }
  };
  const ancestorInterfaces = (name: string) =>
    model
      .ancestors(name)
      .filter((a) => a !== model.root && model.get(a)?.abstract)
      .map((a) => interfaceRefs.get(a)!)
      .filter(Boolean);
  for (const c of classes) {
    if (c.name === model.root || !c.abstract) continue;
    interfaceRefs.set(c.name, builder.interfaceRef<CiRow>(c.name));
  }
  for (const c of classes) {
    if (c.name === model.root) continue;
    const own = model.classAttributesOf(c.name).filter((a) => a.declaredBy === c.name);
    const inherited = model.classAttributesOf(c.name);
    if (c.abstract) {
      interfaceRefs.get(c.name)!.implement({
        description: c.description,
        interfaces: [NodeInterface, CI, ...ancestorInterfaces(c.name)],
        fields: (t) => Object.fromEntries(own.map((a) => [a.name, attrField(t, a)])),
      });
    } else {
      // Concrete classes repeat what a concrete parent declared (GraphQL objects cannot inherit from objects).
      const fromInterfaces = new Set(
        model.ancestors(c.name).filter((a) => model.get(a)?.abstract).flatMap((a) => model.classAttributesOf(a).filter((x) => x.declaredBy === a).map((x) => x.name)),
      );
      builder.objectRef<CiRow>(c.name).implement({
        description: c.description,
        interfaces: [NodeInterface, CI, ...ancestorInterfaces(c.name)],
        isTypeOf: (r) => (r as CiRow).className === c.name,
        fields: (t) => Object.fromEntries(inherited.filter((a) => !fromInterfaces.has(a.name)).map((a) => [a.name, attrField(t, a)])),
      });
    }
  }

  Relationship.implement({
    description: 'A directed impacting relationship: `from` needs `to`.',
    fields: (t) => ({
      id: t.id({ description: 'Stable id of the relationship: from, type and to.', resolve: (e) => `${e.from}:${e.type}:${e.to}` }),
      type: t.field({ type: RelationshipType, resolve: (e) => e.type as never }),
      from: t.field({ type: CI, resolve: async (e, _a, ctx) => (await ctx.loaders.ci.load(e.from))! }),
      to: t.field({ type: CI, resolve: async (e, _a, ctx) => (await ctx.loaders.ci.load(e.to))! }),
      sources: t.exposeStringList('sources'),
      absent: t.exposeBoolean('absent'),
    }),
  });

  // Connections (Relay): keyset cursors over (order key, id), so pages stay stable under concurrent writes.
  const CiEdge = builder.objectRef<{ cursor: string; node: CiRow }>('CiEdge').implement({
    fields: (t) => ({ cursor: t.exposeString('cursor'), node: t.field({ type: CI, resolve: (e) => e.node }) }),
  });
  const CiConnection = builder.objectRef<CiPage>('CiConnection').implement({
    fields: (t) => ({
      edges: t.field({ type: [CiEdge], resolve: (p) => p.rows.map((node, i) => ({ node, cursor: p.cursors[i]! })) }),
      nodes: t.field({ type: [CI], resolve: (p) => p.rows }),
      pageInfo: t.field({
        type: PageInfo,
        resolve: (p) => ({
          hasNextPage: p.hasNextPage,
          hasPreviousPage: p.hasPreviousPage,
          startCursor: p.cursors[0] ?? null,
          endCursor: p.cursors[p.cursors.length - 1] ?? null,
        }),
      }),
      totalCount: t.exposeInt('totalCount'),
    }),
  });

  const AttributeEquals = builder.inputType('AttributeEquals', {
    description: 'A class attribute equal to a value, e.g. { name: "hostname", value: "db-01" }.',
    fields: (t) => ({ name: t.string({ required: true }), value: t.field({ type: 'JSON', required: true }) }),
  });
  const CiFilterInput = builder.inputType('CiFilter', {
    fields: (t) => ({
      ids: t.idList(),
      classes: t.stringList({ description: 'Class names at any level of the hierarchy (e.g. Server matches LinuxServer).' }),
      environments: t.field({ type: [Environment] }),
      lifecycles: t.field({ type: [Lifecycle] }),
      criticalities: t.intList(),
      ownerTeamIds: t.idList(),
      ownerTeamNames: t.stringList(),
      stale: t.boolean(),
      nameContains: t.string(),
      attributes: t.field({ type: [AttributeEquals] }),
    }),
  });
  const CiOrderFieldEnum = builder.enumType('CiOrderField', { values: ['NAME', 'CRITICALITY', 'UPDATED_AT', 'CREATED_AT', 'CLASS'] as const });
  const CiOrderInput = builder.inputType('CiOrder', {
    fields: (t) => ({
      field: t.field({ type: CiOrderFieldEnum, required: true }),
      direction: t.field({ type: SortDirection, defaultValue: 'ASC' }),
    }),
  });

  type FilterArg = {
    ids?: readonly (string | number)[] | null;
    classes?: readonly string[] | null;
    environments?: readonly string[] | null;
    lifecycles?: readonly string[] | null;
    criticalities?: readonly number[] | null;
    ownerTeamIds?: readonly (string | number)[] | null;
    ownerTeamNames?: readonly string[] | null;
    stale?: boolean | null;
    nameContains?: string | null;
    attributes?: readonly { name: string; value?: unknown }[] | null;
  };
  const toFilter = (f: FilterArg | null | undefined): CiFilter => {
    const out: CiFilter = {};
    if (!f) return out;
    if (f.ids) out.ids = f.ids.map(String);
    if (f.classes) out.classes = [...f.classes];
    if (f.environments) out.environments = [...f.environments];
    if (f.lifecycles) out.lifecycles = [...f.lifecycles];
    if (f.criticalities) out.criticalities = [...f.criticalities];
    if (f.ownerTeamIds) out.ownerTeamIds = f.ownerTeamIds.map(String);
    if (f.ownerTeamNames) out.ownerTeamNames = [...f.ownerTeamNames];
    if (f.stale !== undefined && f.stale !== null) out.stale = f.stale;
    if (f.nameContains) out.nameContains = f.nameContains;
    if (f.attributes) {
      out.attributes = f.attributes.map((a, i) => {
        const known = [...model.classes.keys()].some((c) => model.attribute(c, a.name));
        if (!known) throw new ValidationError(`filter.attributes[${i}].name`, `no class has an attribute "${a.name}"`);
        if (a.value === null || typeof a.value === 'object') {
          throw new ValidationError(`filter.attributes[${i}].value`, 'must be a string, number or boolean');
        }
        return { name: a.name, value: a.value as string | number | boolean };
      });
    }
    return out;
  };

  const connectionArgs = (t: ArgBuilder<PothosSchemaTypes.ExtendDefaultTypes<BuilderTypes>>) => ({
    first: t.int({ description: `Page size going forward (default 50, at most ${MAX_PAGE}).` }),
    after: t.string(),
    last: t.int(),
    before: t.string(),
  });

  const page = (ctx: Context, filter: CiFilter, order: { field: string; direction?: string | null } | null | undefined, a: { first?: number | null; after?: string | null; last?: number | null; before?: string | null }) =>
    ctx.db.read((tx) =>
      listCis(tx, model, filter, { field: (order?.field ?? 'NAME') as CiOrderField, direction: (order?.direction ?? 'ASC') as 'ASC' | 'DESC' }, a),
    );

  Team.implement({
    description: 'A team that owns CIs and services; who to notify and who approves.',
    interfaces: [NodeInterface],
    isTypeOf: (v) => typeof (v as { id?: unknown }).id === 'string' && String((v as { id: string }).id).startsWith('team_'),
    fields: (t) => ({
      id: t.exposeID('id'),
      name: t.exposeString('name'),
      email: t.exposeString('email', { nullable: true }),
      onCall: t.exposeString('onCall', { nullable: true }),
      slackChannel: t.exposeString('slackChannel', { nullable: true }),
      owns: t.field({
        type: CiConnection,
        description: 'CIs and services this team owns.',
        args: { filter: t.arg({ type: CiFilterInput }), orderBy: t.arg({ type: CiOrderInput }), ...connectionArgs(t.arg) },
        resolve: (team, a, ctx) => page(ctx, { ...toFilter(a.filter), ownerTeamIds: [team.id] }, a.orderBy, a),
      }),
    }),
  });

  const SearchHit = builder.objectRef<{ row: CiRow; score: number }>('SearchHit').implement({
    fields: (t) => ({ ci: t.field({ type: CI, resolve: (h) => h.row }), score: t.exposeFloat('score') }),
  });

  const AttributeDefType = builder.objectRef<AttributeDef>('AttributeDefinition').implement({
    fields: (t) => ({
      name: t.exposeString('name'),
      type: t.exposeString('type'),
      required: t.exposeBoolean('required'),
      values: t.stringList({ nullable: true, resolve: (a) => (a.values ? [...a.values] : null) }),
      description: t.exposeString('description', { nullable: true }),
      declaredBy: t.exposeString('declaredBy', { nullable: true }),
    }),
  });
  const CiClassType = builder.objectRef<{ name: string }>('CiClass').implement({
    description: 'A class of the class model.',
    fields: (t) => ({
      name: t.exposeString('name'),
      parent: t.string({ nullable: true, resolve: (c) => model.get(c.name)?.parent ?? null }),
      abstract: t.boolean({ resolve: (c) => model.get(c.name)?.abstract ?? false }),
      family: t.string({ nullable: true, resolve: (c) => model.family(c.name) ?? null }),
      description: t.string({ nullable: true, resolve: (c) => model.get(c.name)?.description ?? null }),
      attributes: t.field({ type: [AttributeDefType], resolve: (c) => model.classAttributesOf(c.name) }),
      identification: t.stringList({
        description: 'Identification rules in order, each as its attributes joined by "+" (and "within <class>" when scoped).',
        resolve: (c) =>
          model.identificationRules(c.name).map((r) => r.attributes.join('+') + (r.scope ? ` within ${r.scope.parentClass}` : '')),
      }),
    }),
  });

  builder.queryFields((t) => ({
    node: t.field({
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
      type: CI,
      nullable: true,
      args: { id: t.arg.id({ required: true }) },
      resolve: (_r, a, ctx) => ctx.loaders.ci.load(String(a.id)),
    }),
    cis: t.field({
      type: CiConnection,
      description: 'CIs matching a filter, ordered, with cursor pagination.',
      args: { filter: t.arg({ type: CiFilterInput }), orderBy: t.arg({ type: CiOrderInput }), ...connectionArgs(t.arg) },
      resolve: (_r, a, ctx) => page(ctx, toFilter(a.filter), a.orderBy, a),
    }),
    services: t.field({
      type: CiConnection,
      description: 'Business, application and technical services.',
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
      type: [SearchHit],
      description: 'Full-text search over names, descriptions and key attributes; the last word matches as a prefix.',
      args: { text: t.arg.string({ required: true }), first: t.arg.int({ defaultValue: 20 }), classes: t.arg.stringList() },
      resolve: (_r, a, ctx) => {
        const n = a.first ?? 20;
        if (n < 1 || n > 100) throw new ValidationError('first', 'must be between 1 and 100');
        return ctx.db.read((tx) => searchCis(tx, model, a.text, n, a.classes ? [...a.classes] : []));
      },
    }),
    teams: t.field({ type: [Team], resolve: (_r, _a, ctx) => ctx.db.read((tx) => listTeams(tx)) }),
    team: t.field({ type: Team, nullable: true, args: { id: t.arg.id({ required: true }) }, resolve: (_r, a, ctx) => ctx.loaders.team.load(String(a.id)) }),
    paths: t.field({
      type: [DependencyPathType],
      description: 'The shortest dependency paths between two CIs (either may be the one that needs the other).',
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
      type: [CiClassType],
      description: 'The class model: hierarchy, attributes and identification rules.',
      resolve: () => [...model.classes.keys()].map((name) => ({ name })),
    }),
  }));

  return { CI, Team, Relationship, CiConnection };
}

export type CiTypes = ReturnType<typeof addCiTypes>;
