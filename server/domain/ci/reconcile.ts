// Owns reconciliation of one incoming item against the stored CI: which fields change, which a
// higher-precedence source holds and so are kept, and the provenance after the write. Pure.
import type { AttributeValue } from '../class-model/types';

export interface Provenance {
  [field: string]: { source: string; at: string };
}

export interface ReconcileInput {
  /** Stored values (common fields and class attributes, flat); undefined when the CI is new. */
  current: Record<string, AttributeValue> | undefined;
  currentProvenance: Provenance;
  incoming: Record<string, AttributeValue>;
  source: string;
  at: string;
  /** Sources for a field, most trusted first; sources not listed rank below all listed ones. */
  precedence: (field: string) => readonly string[];
}

export interface ReconcileResult {
  set: Record<string, AttributeValue>;
  changes: { field: string; before: AttributeValue; after: AttributeValue }[];
  /** Fields whose incoming value lost to a more trusted source. */
  kept: { field: string; heldBy: string }[];
  provenance: Provenance;
}

function rank(order: readonly string[], source: string): number {
  const i = order.indexOf(source);
  return i < 0 ? order.length : i;
}

function same(a: AttributeValue | undefined, b: AttributeValue | undefined): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => x === b[i]);
  return (a ?? null) === (b ?? null);
}

export function reconcile(input: ReconcileInput): ReconcileResult {
  const set: Record<string, AttributeValue> = {};
  const changes: ReconcileResult['changes'] = [];
  const kept: ReconcileResult['kept'] = [];
  const provenance: Provenance = { ...input.currentProvenance };
  for (const [field, value] of Object.entries(input.incoming)) {
    const before = input.current?.[field];
    const holder = input.currentProvenance[field]?.source;
    if (same(before, value)) {
      // Same value: a more trusted source confirming it takes over the provenance; no write is needed for that.
      continue;
    }
    if (holder && holder !== input.source && before !== undefined && before !== null) {
      const order = input.precedence(field);
      if (rank(order, input.source) > rank(order, holder)) {
        kept.push({ field, heldBy: holder });
        continue;
      }
    }
    set[field] = value;
    changes.push({ field, before: before ?? null, after: value });
    provenance[field] = { source: input.source, at: input.at };
  }
  return { set, changes, kept, provenance };
}
