// Owns what a field's arguments multiply in a query's cost estimate (@pothos/plugin-complexity): pages, traversal
// depth and limits, and computations such as a change assessment. The estimate bounds a request before it runs,
// and tells cheap reads from heavy ones (server/http/workload.ts).

const clamp = (n: number | null | undefined, fallback: number, max: number) => Math.min(Math.max(n ?? fallback, 1), max);

/** A page of a connection: what is selected under it is paid once per row asked for. */
export const connectionCost = (a: { first?: number | null; last?: number | null }) => ({
  field: 1,
  multiplier: clamp(a.first ?? a.last, 50, 10_000),
});

/** A connection's `nodes` and `edges`: the connection already multiplied by the page size. */
export const pageRowsCost = { field: 1, multiplier: 1 };

/** A bounded traversal: each hop is a wave of reads, and its node list (x10 by default) is paid per 20 of `limit`. */
export const traversalCost = (a: { depth?: number | null; limit?: number | null }) => ({
  field: 10 * clamp(a.depth, 3, 50),
  multiplier: Math.ceil(clamp(a.limit, 500, 100_000) / 20),
});

/** Full-text search: one index query, its hits paid per row asked for. */
export const searchCost = (a: { first?: number | null }) => ({ field: 10, multiplier: Math.ceil(clamp(a.first, 20, 10_000) / 10) });

/** Shortest paths: a bounded search whose cost grows with the longest path allowed. */
export const pathsCost = (a: { max?: number | null }) => ({ field: 20 * clamp(a.max, 3, 50), multiplier: 10 });

/** An impact walk or a change assessment: a traversal of the estate around the CIs, plus risk scoring. */
export const ASSESSMENT_COST = 200;
