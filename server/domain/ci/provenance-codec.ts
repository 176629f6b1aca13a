// Owns how a CI's provenance (which source set each field, and when) is stored: grouped by (source, instant),
// since a discovery write sets most fields of a CI from one source at one instant, so each pair is stored once
// instead of once per field. The older one-object-per-field form, and the rule for text that is neither, stay
// with readProvenance (./provenance.ts); this module reads only the grouped form.
import { z } from 'zod';
import type { Provenance } from './reconcile';

/** Stored form: [[source, at, [field, ...]], ...], groups and fields sorted so equal provenance is equal text. */
const grouped = z.array(z.tuple([z.string(), z.string(), z.array(z.string())]));

export function encodeProvenance(p: Provenance): string {
  const groups = new Map<string, z.infer<typeof grouped>[number]>();
  for (const field of Object.keys(p).sort()) {
    const { source, at } = p[field]!;
    const k = JSON.stringify([source, at]);
    const g = groups.get(k);
    if (g) g[2].push(field);
    else groups.set(k, [source, at, [field]]);
  }
  return JSON.stringify([...groups.values()].sort((a, b) => (a[0] + a[1] < b[0] + b[1] ? -1 : 1)));
}

/** The provenance `text` holds in the grouped form; undefined when it is not that form (old, absent or unreadable). */
export function decodeGroupedProvenance(text: unknown): Provenance | undefined {
  if (typeof text !== 'string' || !text.startsWith('[')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  const checked = grouped.safeParse(parsed);
  if (!checked.success) return undefined;
  const out: Provenance = {};
  for (const [source, at, fields] of checked.data) for (const f of fields) out[f] = { source, at };
  return out;
}
