// Owns schema assembly: every type family registers itself on one builder; the result is printed to schema/.
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { createBuilder } from './builder';
import { addSystemTypes } from './system';

export function buildSchema(): GraphQLSchema {
  const builder = createBuilder();
  builder.queryType({ description: 'Read the configuration graph.' });
  builder.mutationType({ description: 'Change the configuration graph.' });
  builder.mutationField('ping', (t) => t.string({ description: 'Liveness of the write path.', resolve: () => 'pong' }));
  addSystemTypes(builder);
  return builder.toSchema({ sortSchema: true });
}

export function printedSchema(schema: GraphQLSchema = buildSchema()): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
