// Owns paging through a large impact report: one page of impacted services or CIs in order of importance, with
// totals per state and per class over the whole list, so a first screen of thousands of services stays small.

import { compareStrings } from './graph-index.js';
import type { ImpactState, ImpactedCi } from './types.js';

export interface ImpactPage<T = ImpactedCi> {
  items: T[];
  /** Position of the first item in the whole ordered list. */
  offset: number;
  totalCount: number;
  byState: { state: ImpactState; count: number }[];
  /** Most frequent class first, ties by name. */
  byClass: { className: string; count: number }[];
  hasNextPage: boolean;
}

/** What a page orders and counts impacted CIs by: a report entry, or the few fields of one before it is built. */
export type ImpactRank = Pick<ImpactedCi, 'id' | 'name' | 'className' | 'state' | 'criticality' | 'distance'>;

/** DOWN first, then most critical, nearest, name, id: how impacted CIs rank when they are not all services. */
export function compareImpacted(a: ImpactRank, b: ImpactRank): number {
  return (
    (a.state === b.state ? 0 : a.state === 'DOWN' ? -1 : 1) ||
    a.criticality - b.criticality ||
    a.distance - b.distance ||
    compareStrings(a.name, b.name) ||
    compareStrings(a.id, b.id)
  );
}

/**
 * `first` items from `offset` of a list already in report order (ImpactReport.services is; sort `impacted` with
 * compareImpacted first). The totals always count the whole list, whatever the page.
 */
export function pageOf<T extends ImpactRank>(ordered: readonly T[], offset: number, first: number): ImpactPage<T> {
  const states = new Map<ImpactState, number>();
  const classes = new Map<string, number>();
  for (const ci of ordered) {
    states.set(ci.state, (states.get(ci.state) ?? 0) + 1);
    classes.set(ci.className, (classes.get(ci.className) ?? 0) + 1);
  }
  const from = Math.max(0, Math.min(offset, ordered.length));
  return {
    items: ordered.slice(from, from + first),
    offset: from,
    totalCount: ordered.length,
    byState: (['DOWN', 'DEGRADED'] as const).filter((s) => states.has(s)).map((state) => ({ state, count: states.get(state)! })),
    byClass: [...classes].map(([className, count]) => ({ className, count })).sort((a, b) => b.count - a.count || compareStrings(a.className, b.className)),
    hasNextPage: from + first < ordered.length,
  };
}
