// Owns which state of the graph held at a past instant, over plain data: relationships' validity intervals, and
// a CI's values recovered by undoing, newest first, the changes its history recorded after the instant.
import type { AttributeValue } from '../class-model/types';
import { ValidationError } from '../../errors';

/** An instant as epoch milliseconds. */
export type Instant = number;

/**
 * The instant a caller asks about. The future is refused rather than read as now: a client that sends a
 * wrong clock or a typo'd year should hear so, not get today's graph labelled as another day's.
 */
export function pastInstant(iso: string, now: Instant, field = 'at'): Instant {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new ValidationError(field, 'must be an RFC 3339 date-time');
  if (t > now) throw new ValidationError(field, 'must not be in the future; leave it out to read the graph as it is now');
  return t;
}

/** Half-open: valid from `from` up to, not including, `to`; `to` null while it still holds. */
export interface Interval {
  from: Instant;
  to: Instant | null;
}

export function holdsAt(iv: Interval, t: Instant): boolean {
  return iv.from <= t && (iv.to === null || t < iv.to);
}

interface EdgeEnds {
  type: string;
  from: string;
  to: string;
  sources: string[];
}

/**
 * A relationship in the live graph. Its current interval opened at `validFrom` (created, or reported again
 * after an absence); `absentSince` is set while discovery no longer reports it, which closes that interval.
 */
export interface LiveEdge extends EdgeEnds {
  validFrom: Instant;
  absentSince: Instant | null;
}

/** A closed interval of a relationship (deleted, or gone absent), kept apart from the live graph. */
export interface RetiredEdge extends EdgeEnds {
  validFrom: Instant;
  validTo: Instant;
}

export interface EdgeAsOf extends EdgeEnds {
  /** At the instant, discovery had stopped reporting it: it existed, marked absent, as it is shown today. */
  absent: boolean;
}

const edgeKey = (e: EdgeEnds) => `${e.from} ${e.type} ${e.to}`;

/**
 * The relationships that held at `t`, each once. A live absent edge still carries its last present interval
 * (validFrom up to absentSince), so it counts as present inside it even before its retired record exists.
 */
export function edgesAsOf(live: readonly LiveEdge[], retired: readonly RetiredEdge[], t: Instant): EdgeAsOf[] {
  const out = new Map<string, EdgeAsOf>();
  const present = (e: EdgeEnds) => out.set(edgeKey(e), { type: e.type, from: e.from, to: e.to, sources: e.sources, absent: false });
  for (const r of retired) if (holdsAt({ from: r.validFrom, to: r.validTo }, t)) present(r);
  for (const e of live) {
    if (holdsAt({ from: e.validFrom, to: e.absentSince }, t)) present(e);
    else if (e.absentSince !== null && e.absentSince <= t && !out.has(edgeKey(e))) {
      out.set(edgeKey(e), { type: e.type, from: e.from, to: e.to, sources: e.sources, absent: true });
    }
  }
  return [...out.values()].sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to) || a.type.localeCompare(b.type));
}

export interface RecordedChange {
  at: Instant;
  changes: readonly { field: string; before: AttributeValue; after: AttributeValue }[];
}

/** A history field naming a relationship (`TYPE->id`) rather than a value of the CI. */
export const isRelationshipField = (field: string): boolean => field.includes('->');

/**
 * The values a CI held at `t`: its current values with every change recorded after `t` undone, newest first
 * (and within one entry, last change first), so a field changed twice since returns to its value at `t`. A
 * field whose `before` is null did not exist then and comes back null.
 */
export function valuesAsOf<V extends Record<string, unknown>>(current: V, recorded: readonly RecordedChange[], t: Instant): V {
  const values: Record<string, unknown> = { ...current };
  const later = recorded.filter((r) => r.at > t).sort((a, b) => b.at - a.at);
  for (const r of later) {
    for (let i = r.changes.length - 1; i >= 0; i--) {
      const c = r.changes[i]!;
      if (!isRelationshipField(c.field)) values[c.field] = c.before;
    }
  }
  return values as V;
}

/** A CI existed at `t` when it had been created by then (CIs are retired, never deleted). */
export function existedAt(createdAt: Instant, t: Instant): boolean {
  return createdAt <= t;
}
