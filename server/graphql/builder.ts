// Owns the Pothos builder type: the GraphQL context and the plugins every type family uses.
import SchemaBuilder from '@pothos/core';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import ComplexityPlugin from '@pothos/plugin-complexity';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin from '@pothos/plugin-relay';
import { RippleError } from '../errors';
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
    plugins: [ScopeAuthPlugin, ErrorsPlugin, RelayPlugin, DataloaderPlugin, ComplexityPlugin],
    scopeAuth: {
      authScopes: authScopesOf,
      unauthorizedError: (_parent, ctx, info, result) => refuse(ctx, info, result.failure),
    },
    defaultFieldNullability: false,
    // Each field costs 1 and a list multiplies what is selected under it by 10; fields that page, traverse or
    // compute declare what their arguments multiply (server/graphql/cost.ts). Checked before any resolver runs.
    complexity: {
      defaultComplexity: 1,
      defaultListMultiplier: 10,
      limit: (ctx) => ({ complexity: ctx.limits.maxQueryCost }),
      complexityError: (_kind, { complexity, maxComplexity }) =>
        new RippleError(
          'QUERY_TOO_COSTLY',
          `this query would cost about ${complexity} and at most ${maxComplexity} is accepted (RIPPLE_MAX_QUERY_COST): ask for smaller pages, shallower traversals or fewer aliases`,
        ),
    },
    relay: {
      clientMutationId: 'omit',
      cursorType: 'String',
      nodeQueryOptions: { nullable: true },
      nodesQueryOptions: false,
    },
    errors: { defaultTypes: [] },
  });
}
