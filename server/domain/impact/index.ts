// Owns the public surface of impact propagation and root-cause ranking.
export * from './types.js';
export * from './redundancy.js';
export { impactSummaries, pageOfReport, propagateImpact, propagateIndexed, type FailedIndex, type ImpactSummary, type PropagateOptions } from './propagate.js';
export * from './root-cause.js';
export { compareImpacted, pageOf, type ImpactPage, type ImpactRank } from './page.js';
export type { GraphIndex } from './graph-index.js';
export { upstreamOfGraph, upstreamOfIndex, type Upstream } from './upstream.js';
