// Owns CI lists: the Relay connection with keyset cursors, the filter and order inputs, and reading one page.
import type { ArgBuilder } from '@pothos/core';
import type { ClassModel } from '../../domain/class-model/types';
import { ValidationError } from '../../errors';
import { listCis, MAX_PAGE, type CiFilter, type CiOrderField, type CiPage } from '../../neo4j/repositories/ci-repository';
import type { CiRow } from '../../neo4j/repositories/rows';
import type { Builder, BuilderTypes } from '../builder';
import type { Common } from '../common';
import type { Context } from '../context';
import type { CiRef } from './refs';
import { pageRowsCost } from '../cost';

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

export function addConnectionTypes(builder: Builder, model: ClassModel, common: Common, CI: CiRef) {
  const { Environment, Lifecycle, SortDirection, PageInfo } = common;
  // Connections (Relay): keyset cursors over (order key, id), so pages stay stable under concurrent writes.
  const CiEdge = builder.objectRef<{ cursor: string; node: CiRow }>('CiEdge').implement({
    fields: (t) => ({ cursor: t.exposeString('cursor'), node: t.field({ type: CI, resolve: (e) => e.node }) }),
  });
  const CiConnection = builder.objectRef<CiPage>('CiConnection').implement({
    fields: (t) => ({
      edges: t.field({ type: [CiEdge], complexity: pageRowsCost, resolve: (p) => p.rows.map((node, i) => ({ node, cursor: p.cursors[i]! })) }),
      nodes: t.field({ type: [CI], complexity: pageRowsCost, resolve: (p) => p.rows }),
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

  return { CiConnection, CiFilterInput, CiOrderInput, toFilter, connectionArgs, page };
}
