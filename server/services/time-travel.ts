// Owns the choice, for every use case that reads impact, between the live graph (the hot path, untouched by
// history) and the graph as of a past instant, and how a caller's `at` becomes that instant.
import type { ClassModel } from '../domain/class-model/types';
import type { ImpactGraph } from '../domain/impact/types';
import { pastInstant, type Instant } from '../domain/time-travel/as-of';
import type { Tx } from '../neo4j/db';
import { upstreamOf } from '../neo4j/repositories/impact-repository';
import { upstreamAsOf } from '../neo4j/repositories/time-travel-repository';

/** The instant a caller's `at` names, or undefined for the graph as it is now. */
export function instantOf(at: string | null | undefined, field = 'at'): Instant | undefined {
  return at === null || at === undefined ? undefined : pastInstant(at, Date.now(), field);
}

/** What needs `ids`, now or as of `at`. */
export function upstreamAt(tx: Tx, model: ClassModel, ids: string[], maxDepth: number, at?: Instant): Promise<ImpactGraph> {
  return at === undefined ? upstreamOf(tx, model, ids, maxDepth) : upstreamAsOf(tx, model, ids, maxDepth, at);
}
