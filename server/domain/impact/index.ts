// Owns the public surface of impact propagation and root-cause ranking.
export * from './types.js';
export * from './redundancy.js';
export { propagateImpact, type PropagateOptions } from './propagate.js';
export * from './root-cause.js';
export { compareImpacted, pageOf, type ImpactPage } from './page.js';
