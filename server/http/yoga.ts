// Owns the GraphQL endpoint: Yoga over the Pothos schema, GraphiQL, limits on depth, aliases and tokens,
// input bounds, query cost and lanes, the per-caller rate limit, and error masking that keeps typed RippleErrors
// and hides everything else as INTERNAL.
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { GraphQLError, Kind, NoSchemaIntrospectionCustomRule, type DocumentNode, type GraphQLSchema } from 'graphql';
import { createYoga, isAsyncIterable, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import type { AuthConfig } from '../config/config';
import { RippleError } from '../errors';
import type { ClassModel } from '../domain/class-model/types';
import type { Context, Limits } from '../graphql/context';
import { createLoaders } from '../graphql/loaders';
import type { ApprovalPolicy } from '../domain/change/approval-policy';
import { ChangeService } from '../services/changes';
import { CiCommands } from '../services/ci-commands';
import { DiscoveryService } from '../services/discovery';
import { ImpactService } from '../services/impact';
import type { ImpactReadModelService } from '../services/impact-read-model';
import { ServiceLevelService } from '../services/service-levels';
import { AuditService } from '../services/audit';
import { requestScope, type Logger } from '../log';
import { metrics, rolesLabel } from '../metrics';
import type { Authenticator } from '../services/authenticate';
import { TokenService } from '../services/tokens';
import { depthLimit, explainRejectedRequests } from './request-errors';
import { QueryCounter, type Db, type RequestScope } from '../neo4j/db';
import { DEFAULT_INPUT_BOUNDS, inputBoundsPlugin } from './input-bounds';
import { rateLimitPlugin, type RateLimits } from './rate-limit';
import { workloadPlugin } from './workload';

export interface YogaDeps {
  schema: GraphQLSchema;
  db: Db;
  log: Logger;
  model: ClassModel;
  maxQueryDepth: number;
  /** Production answers leave out what only helps a developer (a JSON parser's own message). */
  production: boolean;
  limits: Limits;
  /** Highest cost of a query still served as a cheap read (server/http/workload.ts). */
  cheapQueryCost: number;
  rateLimits: RateLimits;
  /** Whether responses carry `extensions.cypherQueries`; off in production unless asked for. */
  reportQueryCount: boolean;
  approvalPolicy: ApprovalPolicy;
  /** This process's impact read model; absent, impact walks Neo4j. */
  impactReadModel?: ImpactReadModelService;
  auth: Authenticator;
  authConfig: AuthConfig;
}

/** What the HTTP layer hands Yoga about the connection a request came on. */
export interface ServerContext {
  remoteAddress?: string;
}

export type RippleYoga = YogaServerInstance<ServerContext, Context>;

export function createGraphqlEndpoint(deps: YogaDeps): RippleYoga {
  const log = deps.log.child({ module: 'graphql' });
  return createYoga<ServerContext, Context>({
    schema: deps.schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: deps.authConfig.graphiql ? { title: 'Ripple GraphiQL', defaultQuery: '{ me { subject roles } system { rippleVersion neo4jVersion } }' } : false,
    // Yoga's own page loads GraphiQL from a public CDN, blank on a machine without internet; this one inlines a
    // bundle shipped in node_modules. Imported on first use: the bundle is 9 MB a server without GraphiQL never reads.
    renderGraphiQL: async (opts) => (await import('@graphql-yoga/render-graphiql')).renderGraphiQL(opts),
    // Only a configured origin gets any CORS header; credentials travel as a bearer header, never as cookies.
    cors: (request) => {
      const origin = request.headers.get('origin');
      if (!origin || !deps.authConfig.corsOrigins.includes(origin)) return false;
      return { origin: [origin], credentials: false, allowedHeaders: ['content-type', 'authorization'], methods: ['GET', 'POST'], maxAge: 600 };
    },
    logging: {
      debug: (...a) => log.debug(a.map(String).join(' ')),
      info: (...a) => log.info(a.map(String).join(' ')),
      warn: (...a) => log.warn(a.map(String).join(' ')),
      // Yoga reports every GraphQL error here, expected ones included; maskError logs the unexpected ones.
      error: (...a) => log.debug(a.map(String).join(' ')),
    },
    context: async ({ request }): Promise<Context> => {
      const identity = await deps.auth.identify(request.headers.get('authorization'));
      const queries = new QueryCounter();
      const scope: RequestScope = { queries, lane: 'heavy', signal: request.signal };
      const db = deps.db.forRequest(scope);
      // The read model's version check and catch-up count among the request's queries like any other statement.
      const impactSource = deps.impactReadModel?.forRequest(db);
      return {
        db,
        queries,
        scope,
        log,
        model: deps.model,
        loaders: createLoaders(db, deps.model),
        commands: new CiCommands(db, deps.model),
        impact: new ImpactService(db, deps.model, impactSource),
        changes: new ChangeService(db, deps.model, deps.approvalPolicy, undefined, impactSource),
        discovery: new DiscoveryService(db, deps.model),
        serviceLevels: new ServiceLevelService(db, deps.model),
        audit: new AuditService(db, deps.model),
        tokens: new TokenService(db),
        limits: deps.limits,
        identity,
        actor: identity?.subject ?? 'anonymous',
        requestId: requestScope.getStore()?.requestId ?? 'none',
      };
    },
    plugins: [
      rateLimitPlugin(deps.rateLimits),
      inputBoundsPlugin({ ...DEFAULT_INPUT_BOUNDS, maxList: Math.max(deps.limits.maxBatch, 1000) }),
      explainRejectedRequests(deps.production),
      depthLimit(deps.maxQueryDepth),
      maxAliasesPlugin({ n: 30, exposeLimits: true }),
      maxTokensPlugin({ n: 5000, exposeLimits: true }),
      workloadPlugin(deps.cheapQueryCost),
      ...(deps.reportQueryCount ? [countCypherQueries] : []),
      countOperations,
      ...(deps.authConfig.introspection ? [] : [noIntrospection]),
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

const noIntrospection: Plugin = {
  onValidate: ({ addValidationRule }) => addValidationRule(NoSchemaIntrospectionCustomRule),
};

/** Requests by root field, outcome and roles, and their latency, for /metrics. */
const countOperations: Plugin<Context> = {
  onExecute: ({ args }) => {
    const operation = rootFieldOf(args.document);
    const stop = metrics.graphqlSeconds.startTimer({ operation });
    return {
      onExecuteDone: ({ result }) => {
        stop();
        if (isAsyncIterable(result)) return;
        const ctx = args.contextValue as Context;
        metrics.graphqlRequests.inc({ operation, outcome: outcomeOf(result.errors?.[0]), roles: rolesLabel(ctx.identity?.roles) });
      },
    };
  },
};

/** The first error's code as the caller will see it (errors are masked after this point), or 'ok'. */
function outcomeOf(error: GraphQLError | undefined): string {
  if (!error) return 'ok';
  const original = error.originalError;
  if (original instanceof RippleError) return original.code;
  return original && !(original instanceof GraphQLError) ? 'INTERNAL' : String(error.extensions?.code ?? 'BAD_USER_INPUT');
}

/** "query cis" or "mutation upsertCis": the first root field, a schema name, so the label set stays bounded. */
function rootFieldOf(doc: DocumentNode): string {
  const op = doc.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  const first = op?.selectionSet.selections.find((s) => s.kind === Kind.FIELD);
  return op && first ? `${op.operation} ${first.name.value}` : 'unknown';
}

/** Keeps what the caller can act on (code, field) and logs the rest, returned as INTERNAL. */
export function maskError(error: unknown, message: string, log: Logger): Error {
  const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
  if (original instanceof RippleError) {
    return new GraphQLError(original.message, {
      ...(error instanceof GraphQLError ? { nodes: error.nodes, path: error.path } : {}),
      extensions: {
        code: original.code,
        ...(original.field ? { field: original.field } : {}),
        ...(original.code === 'UNAUTHENTICATED' ? { http: { status: 401, headers: { 'www-authenticate': 'Bearer' } } } : {}),
        ...(original.code === 'FORBIDDEN' ? { missingRoles: (original as RippleError & { missingRoles?: string[] }).missingRoles } : {}),
      },
    });
  }
  // Validation, syntax and variable-coercion errors are GraphQLErrors all the way down: they name the input at
  // fault, and keep their source and positions so the answer carries a line and column.
  if (error instanceof GraphQLError && (!error.originalError || original instanceof GraphQLError)) {
    return new GraphQLError(withoutSyntaxPrefix(error), {
      nodes: error.nodes,
      ...(error.source && error.positions ? { source: error.source, positions: error.positions } : {}),
      path: error.path,
      extensions: { code: 'BAD_USER_INPUT', ...error.extensions },
    });
  }
  log.error({ err: original }, 'unexpected error');
  return new GraphQLError(message, {
    ...(error instanceof GraphQLError ? { nodes: error.nodes, path: error.path } : {}),
    extensions: { code: 'INTERNAL' },
  });
}

// graphql-armor reports its limits (aliases, tokens) as "Syntax Error: ..." though the query parsed; only a real
// parse error keeps the prefix.
function withoutSyntaxPrefix(error: GraphQLError): string {
  return /^Syntax Error: .* limit of \d+/.test(error.message) ? error.message.slice('Syntax Error: '.length) : error.message;
}
