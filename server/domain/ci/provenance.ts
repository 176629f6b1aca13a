// Owns reading a CI's stored provenance (which source set each field, and when) and the rule for a CI whose
// provenance cannot be read. Precedence decides who may overwrite a field by who set it, so an unreadable record
// must not read as "nobody": that would let any source overwrite what a person set. Ripple's rule is that each
// field with a value counts as set by a person (the source `manual`) at the CI's last update; precedence then
// treats it as it treats any edit: discovery keeps a value where classes.yaml ranks `manual` above it, and
// replaces it where a source outranks people (Hardware.lifecycle, say). The next write stores readable provenance.
import { z } from 'zod';
import type { Provenance } from './reconcile';

/** The source name people's edits carry (schema/classes.yaml precedence lists it as `manual`). */
export const PERSON_SOURCE = 'manual';

const stored = z.record(z.string(), z.object({ source: z.string(), at: z.string() }));

export interface ReadProvenance {
  provenance: Provenance;
  /** The stored text was missing its shape: the provenance above was assumed by the rule, not read. */
  assumed: boolean;
}

/**
 * `text` as stored on the CI (absent for a CI that never had provenance: nothing is assumed then); `fields` gives
 * those with a value, asked only when the text is unreadable (CI reads are a hot path); `updatedAt` the CI's last
 * update.
 */
export function readProvenance(text: unknown, fields: () => readonly string[], updatedAt: string): ReadProvenance {
  if (text === undefined || text === null) return { provenance: {}, assumed: false };
  const parsed = typeof text === 'string' ? safeJson(text) : undefined;
  const checked = stored.safeParse(parsed);
  if (checked.success) return { provenance: checked.data, assumed: false };
  return { provenance: Object.fromEntries(fields().map((f) => [f, { source: PERSON_SOURCE, at: updatedAt }])), assumed: true };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
