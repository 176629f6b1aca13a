// Owns the Pothos builder type: the GraphQL context and the plugins every type family uses.
import SchemaBuilder from '@pothos/core';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { authScopesOf, refuse, type RoleScopes } from './auth-scopes';
import type { Context } from './context';

export interface BuilderTypes {
  Context: Context;
  DefaultFieldNullability: false;
  Scalars: {
    DateTime: { Input: string; Output: string };
    JSON: { Input: unknown; Output: unknown };
  };
  AuthScopes: RoleScopes;
}

export type Builder = PothosSchemaTypes.SchemaBuilder<PothosSchemaTypes.ExtendDefaultTypes<BuilderTypes>>;

export function createBuilder(): Builder {
  return new SchemaBuilder<BuilderTypes>({
    // scope-auth first, so no other plugin's wrapper runs before a field's role is checked.
    plugins: [ScopeAuthPlugin, ErrorsPlugin, RelayPlugin, DataloaderPlugin],
    scopeAuth: {
      authScopes: authScopesOf,
      unauthorizedError: (_parent, ctx, info, result) => refuse(ctx, info, result.failure),
    },
    defaultFieldNullability: false,
    relay: {
      clientMutationId: 'omit',
      cursorType: 'String',
      nodeQueryOptions: { nullable: true },
      nodesQueryOptions: false,
    },
    errors: { defaultTypes: [] },
  });
}
