// Owns how a CI's provenance (which source set each field, and when) is stored: grouped by (source, instant),
// since a discovery write sets most fields of a CI from one source at one instant, so each pair is stored once
// instead of once per field. Reads both this form and the older one object per field.
export type Provenance = Record<string, { source: string; at: string }>;

/** Stored form: [[source, at, [field, ...]], ...], groups and fields sorted so equal provenance is equal text. */
type Grouped = [source: string, at: string, fields: string[]][];

export function encodeProvenance(p: Provenance): string {
  const groups = new Map<string, Grouped[number]>();
  for (const field of Object.keys(p).sort()) {
    const { source, at } = p[field]!;
    const k = JSON.stringify([source, at]);
    const g = groups.get(k);
    if (g) g[2].push(field);
    else groups.set(k, [source, at, [field]]);
  }
  return JSON.stringify([...groups.values()].sort((a, b) => (a[0] + a[1] < b[0] + b[1] ? -1 : 1)));
}

/** The provenance stored as `text`, in either form; what cannot be read counts as no provenance. */
export function decodeProvenance(text: unknown): Provenance {
  if (typeof text !== 'string') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return {};
  }
  return Array.isArray(parsed) ? fromGroups(parsed) : fromFields(parsed);
}

function fromGroups(groups: unknown[]): Provenance {
  const out: Provenance = {};
  for (const g of groups) {
    if (!Array.isArray(g) || typeof g[0] !== 'string' || typeof g[1] !== 'string' || !Array.isArray(g[2])) continue;
    for (const f of g[2]) if (typeof f === 'string') out[f] = { source: g[0], at: g[1] };
  }
  return out;
}

/** The older form, { field: { source, at } }, as CIs written before grouping still hold it. */
function fromFields(parsed: unknown): Provenance {
  const out: Provenance = {};
  if (!parsed || typeof parsed !== 'object') return out;
  for (const [f, v] of Object.entries(parsed as Record<string, unknown>)) {
    const e = v as { source?: unknown; at?: unknown } | null;
    if (e && typeof e.source === 'string' && typeof e.at === 'string') out[f] = { source: e.source, at: e.at };
  }
  return out;
}
