// Owns how a relationship is named in a discovery Sighting: one key per (from, type, to), as the write path
// merges at most one relationship of a type between two CIs.
export function relSightingKey(r: { from: string; type: string; to: string }): string {
  return `${r.from}>${r.type}>${r.to}`;
}
