// Small statistics and timing helpers shared by the benchmarks.
import { performance } from 'node:perf_hooks';

/** Middle value of xs (mean of the two middle values for an even count); NaN for an empty list. */
export function median(xs: readonly number[]): number {
  return percentile(xs, 50);
}

/** The p-th percentile (0..100) of xs, interpolating linearly between ranks; NaN for an empty list. */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return NaN;
  if (p < 0 || p > 100) throw new RangeError(`percentile must be within 0..100, got ${p}`);
  const sorted = [...xs].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo);
}

/** Milliseconds fn takes to run (or to settle, when it returns a promise). */
export async function time(fn: () => unknown): Promise<number> {
  return (await timed(fn)).ms;
}

/** Like time, but also hands back what fn returned. */
export async function timed<T>(fn: () => T | Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}
