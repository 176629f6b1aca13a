// Owns schema assembly: every type family registers itself on one builder built from the class model; the
// result is printed to schema/schema.graphql, and a test fails when that file drifts from this code.
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import type { ClassModel } from '../domain/class-model/types';
import { documentRoles } from './auth-scopes';
import { createBuilder } from './builder';
import { addCiTypes } from './ci';
import { addCommon } from './common';
import { addDiscoveryTypes } from './discovery';
import { addIdentityTypes } from './identity';
import { addImpactTypes } from './impact';
import { addAuditTypes } from './audit';
import { addMutations } from './mutations';
import { addServiceLevelTypes } from './service-level';
import { addSystemTypes } from './system';

export function buildSchema(model: ClassModel): GraphQLSchema {
  const builder = createBuilder();
  builder.queryType({ description: 'Read the configuration graph.' });
  builder.mutationType({ description: 'Change the configuration graph.' });
  const common = addCommon(builder, model);
  const ci = addCiTypes(builder, model, common);
  addMutations(builder, model, common, ci);
  addImpactTypes(builder, ci, common);
  addDiscoveryTypes(builder, ci);
  addServiceLevelTypes(builder, ci);
  addAuditTypes(builder, ci);
  addSystemTypes(builder);
  addIdentityTypes(builder);
  return documentRoles(builder.toSchema({ sortSchema: true }));
}

export function printedSchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
