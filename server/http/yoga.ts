// Owns the GraphQL endpoint: Yoga over the Pothos schema, GraphiQL, limits on depth, aliases and tokens,
// and error masking that keeps typed RippleErrors and hides everything else as INTERNAL.
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { createYoga, isAsyncIterable, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import { RippleError } from '../errors';
import type { Context } from '../graphql/context';
import type { Logger } from '../log';
import { QueryCounter, type Db } from '../neo4j/db';

export interface YogaDeps {
  schema: GraphQLSchema;
  db: Db;
  log: Logger;
  maxQueryDepth: number;
}

export type RippleYoga = YogaServerInstance<Record<string, never>, Context>;

export function createGraphqlEndpoint(deps: YogaDeps): RippleYoga {
  const log = deps.log.child({ module: 'graphql' });
  return createYoga<Record<string, never>, Context>({
    schema: deps.schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: { title: 'Ripple GraphiQL', defaultQuery: '{ system { rippleVersion neo4jVersion neo4jEdition } }' },
    logging: {
      debug: (...a) => log.debug(a.map(String).join(' ')),
      info: (...a) => log.info(a.map(String).join(' ')),
      warn: (...a) => log.warn(a.map(String).join(' ')),
      error: (...a) => log.error(a.map(String).join(' ')),
    },
    context: ({ request }): Context => {
      const queries = new QueryCounter();
      return {
        db: deps.db.counted(queries),
        queries,
        log,
        actor: request.headers.get('x-ripple-actor') ?? 'anonymous',
      };
    },
    plugins: [
      maxDepthPlugin({ n: deps.maxQueryDepth, exposeLimits: true, flattenFragments: true }),
      maxAliasesPlugin({ n: 30, exposeLimits: true }),
      maxTokensPlugin({ n: 5000, exposeLimits: true }),
      countCypherQueries,
    ],
    maskedErrors: {
      maskError: (error, message) => maskError(error, message, log),
    },
  });
}

/** Tests and benchmarks read how many Cypher statements a request cost from `extensions.cypherQueries`. */
const countCypherQueries: Plugin<Context> = {
  onExecute: ({ args }) => ({
    onExecuteDone: ({ result, setResult }) => {
      if (isAsyncIterable(result)) return;
      const ctx = args.contextValue as Context;
      setResult({ ...result, extensions: { ...result.extensions, cypherQueries: ctx.queries.count } });
    },
  }),
};

/** Keeps what the caller can act on (code, field) and logs the rest, returned as INTERNAL. */
export function maskError(error: unknown, message: string, log: Logger): Error {
  const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
  if (original instanceof RippleError) {
    return new GraphQLError(original.message, {
      ...(error instanceof GraphQLError ? { nodes: error.nodes, path: error.path } : {}),
      extensions: { code: original.code, ...(original.field ? { field: original.field } : {}) },
    });
  }
  if (error instanceof GraphQLError && !error.originalError) return error; // validation and syntax errors
  log.error({ err: original }, 'unexpected error');
  return new GraphQLError(message, {
    ...(error instanceof GraphQLError ? { nodes: error.nodes, path: error.path } : {}),
    extensions: { code: 'INTERNAL' },
  });
}
