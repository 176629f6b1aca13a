// Owns Ripple's Prometheus metrics (prom-client): one registry per process, shared by every Ripple started in it
// (tests start several), served at /metrics. Labels come from the schema and the role list, never from what a
// caller names, so no request can grow the series without bound.
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'ripple_' });

const seconds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export const metrics = {
  registry,
  graphqlRequests: new Counter({
    name: 'ripple_graphql_requests_total',
    help: 'GraphQL operations by root field, outcome (ok or the first error code) and the caller roles',
    labelNames: ['operation', 'outcome', 'roles'] as const,
    registers: [registry],
  }),
  graphqlSeconds: new Histogram({
    name: 'ripple_graphql_request_duration_seconds',
    help: 'GraphQL operation latency by root field',
    labelNames: ['operation'] as const,
    buckets: seconds,
    registers: [registry],
  }),
  httpRequests: new Counter({
    name: 'ripple_http_requests_total',
    help: 'HTTP responses by route and status',
    labelNames: ['route', 'status'] as const,
    registers: [registry],
  }),
  cypherSeconds: new Histogram({
    name: 'ripple_cypher_transaction_duration_seconds',
    help: 'Time spent in Neo4j transactions (including retries) by access mode',
    labelNames: ['mode'] as const,
    buckets: seconds,
    registers: [registry],
  }),
  upsertStageSeconds: new Histogram({
    name: 'ripple_upsert_stage_seconds',
    help: 'Time each stage of a discovery batch (upsertCis) takes, Cypher included, by stage name',
    labelNames: ['stage'] as const,
    buckets: seconds,
    registers: [registry],
  }),
  ingested: new Counter({
    name: 'ripple_ingested_items_total',
    help: 'Items and relationships sent to upsertCis, by discovery source and outcome',
    labelNames: ['source', 'outcome'] as const,
    registers: [registry],
  }),
  denied: new Counter({
    name: 'ripple_denied_requests_total',
    help: 'Fields refused for a missing role, by field and the role it needs',
    labelNames: ['field', 'role'] as const,
    registers: [registry],
  }),
};

/** A stable label for a set of roles: sorted, joined, 'none' when empty. */
export function rolesLabel(roles: Iterable<string> | undefined): string {
  const list = [...(roles ?? [])].sort();
  return list.length ? list.join('+') : 'none';
}
