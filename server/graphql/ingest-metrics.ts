// Owns counting what upsertCis did per source and outcome for /metrics; the source label is one the caller was
// allowed to write, so a discovery token cannot grow the series with made-up names.
import { metrics } from '../metrics';
import type { UpsertBatchResult } from '../services/upsert-batch';

export function countIngested(source: string, result: UpsertBatchResult): UpsertBatchResult {
  for (const list of [result.items, result.relationships]) {
    const counts = new Map<string, number>();
    for (const x of list) counts.set(x.status, (counts.get(x.status) ?? 0) + 1);
    for (const [outcome, n] of counts) metrics.ingested.inc({ source, outcome }, n);
  }
  return result;
}
