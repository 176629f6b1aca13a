// Owns the one shape impact callers propagate over, whichever walk reached it: a string-id graph from Neo4j (the
// plugin, plain Cypher, or history for `at`) or an index the read model built from its numeric ids.
import type { GraphIndex } from './graph-index.js';
import { propagateImpact, propagateIndexed, type PropagateOptions } from './propagate.js';
import type { FailedCi, ImpactGraph, ImpactReport } from './types.js';

/** The upstream subgraph of some CIs, ready to propagate a failure of any of them. */
export interface Upstream {
  /** Whether the walk reached this CI: every named CI that exists is reached. */
  has(id: string): boolean;
  /** The impact of `failed`, every one of which `has` said was reached. */
  propagate(failed: readonly FailedCi[], opts?: PropagateOptions): ImpactReport;
  /** The subgraph with string ids and relationship types, for a caller that draws it rather than propagates. */
  subgraph(): ImpactGraph;
}

/** A graph read with string ids (a failed CI missing from it is kept as a placeholder, as propagateImpact does). */
export function upstreamOfGraph(graph: ImpactGraph): Upstream {
  const reached = new Set(graph.nodes.map((n) => n.id));
  return { has: (id) => reached.has(id), propagate: (failed, opts) => propagateImpact(graph, failed, opts), subgraph: () => graph };
}

/**
 * An index already built, with the index of every CI the walk started from; `reached` says which of those the
 * walk found (the others are placeholders, as in a string-id graph).
 */
export function upstreamOfIndex(graph: GraphIndex, indexOf: ReadonlyMap<string, number>, reached: ReadonlySet<string>, subgraph: () => ImpactGraph): Upstream {
  return {
    subgraph,
    has: (id) => reached.has(id),
    propagate: (failed, opts) => propagateIndexed(graph, failed.map((f) => ({ index: indexOf.get(f.id)!, state: f.state })), opts),
  };
}
