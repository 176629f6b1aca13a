// Owns how a GraphQL request is classed before it runs: mutations are writes; a query the complexity plugin
// costs at most `cheapCost` is a cheap read, anything else a heavy read. The lane decides which bulkhead and
// transaction timeout its Neo4j work gets (server/neo4j/guard.ts).
import { complexityFromQuery } from '@pothos/plugin-complexity';
import { getOperationAST, Kind, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Context } from '../graphql/context';
import type { Lane } from '../neo4j/guard';

/** The chosen operation with the fragments it may use, so a cheap first operation cannot stand in for a heavy one. */
function onlyOperation(document: DocumentNode, operationName: string | null | undefined): DocumentNode | undefined {
  const op = getOperationAST(document, operationName);
  if (!op) return undefined;
  return { ...document, definitions: document.definitions.filter((d) => d.kind !== Kind.OPERATION_DEFINITION || d === op) };
}

export function laneOf(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, variables: Record<string, unknown>, ctx: object, cheapCost: number): Lane {
  const chosen = onlyOperation(document, operationName);
  if (!chosen) return 'heavy';
  if (getOperationAST(chosen)?.operation === 'mutation') return 'write';
  try {
    return complexityFromQuery(chosen, { schema, ctx, variables }).complexity <= cheapCost ? 'cheap' : 'heavy';
  } catch {
    // Bad variables fail in execution with a proper error; until then, assume the worst.
    return 'heavy';
  }
}

export function workloadPlugin(cheapCost: number): Plugin<Context> {
  return {
    onExecute: ({ args }) => {
      const ctx = args.contextValue as Context;
      ctx.scope.lane = laneOf(args.schema, args.document, args.operationName, (args.variableValues ?? {}) as Record<string, unknown>, ctx, cheapCost);
    },
  };
}
