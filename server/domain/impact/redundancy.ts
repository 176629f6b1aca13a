// Owns the redundancy rules of groups (clusters, pools, load-balancer member sets): when a group still serves.

export type Redundancy =
  | { kind: 'all' }
  | { kind: 'any' }
  | { kind: 'atLeast'; k: number }
  | { kind: 'percent'; p: number };

/** The rule a group follows when none is recorded: every member is needed (domain.md: `all` is the default). */
export const DEFAULT_REDUNDANCY: Redundancy = { kind: 'all' };

/**
 * Whether a group still serves with `up` of `total` members working.
 * Monotone in `up` for every rule (more working members never breaks a rule that held): the impact fixpoint
 * relies on this to terminate and to be order-independent.
 */
export function groupHolds(r: Redundancy, up: number, total: number): boolean {
  switch (r.kind) {
    case 'all':
      return up >= total;
    case 'any':
      return up > 0;
    case 'atLeast':
      return up >= r.k;
    case 'percent':
      // An empty group serves nobody: a percentage of nothing never holds.
      return total > 0 && (100 * up) / total >= r.p;
  }
}

/** Short, stable label for notes and UIs: `all`, `any`, `atLeast:2`, `percent:50`. */
export function describeRedundancy(r: Redundancy): string {
  switch (r.kind) {
    case 'all':
    case 'any':
      return r.kind;
    case 'atLeast':
      return `atLeast:${r.k}`;
    case 'percent':
      return `percent:${r.p}`;
  }
}
