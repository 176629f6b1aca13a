// Owns the Pothos builder type: the GraphQL context and the plugins every type family uses.
import SchemaBuilder from '@pothos/core';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin from '@pothos/plugin-relay';
import type { Context } from './context';

export interface BuilderTypes {
  Context: Context;
  DefaultFieldNullability: false;
  Scalars: {
    DateTime: { Input: string; Output: string };
    JSON: { Input: unknown; Output: unknown };
  };
}

export type Builder = PothosSchemaTypes.SchemaBuilder<PothosSchemaTypes.ExtendDefaultTypes<BuilderTypes>>;

export function createBuilder(): Builder {
  return new SchemaBuilder<BuilderTypes>({
    plugins: [ErrorsPlugin, RelayPlugin, DataloaderPlugin],
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
