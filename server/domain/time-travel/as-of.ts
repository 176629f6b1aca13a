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

/** A closed interval of a relationship, kept apart from the live graph: it was deleted, or went absent. */
export interface RetiredEdge extends EdgeEnds {
  validFrom: Instant;
  validTo: Instant;
  /** Ended by an absence (discovery stopped reporting it) rather than a deletion: it still existed, absent. */
  endedAbsent: boolean;
}

export interface EdgeAsOf extends EdgeEnds {
  /** At the instant, discovery had stopped reporting it: it existed, marked absent, as it is shown today. */
  absent: boolean;
}

const edgeKey = (e: EdgeEnds) => `${e.from} ${e.type} ${e.to}`;

interface Span extends EdgeEnds {
  iv: Interval;
  endedAbsent: boolean;
}

/** What one relationship's spans say about `t`: present inside one; absent after one an absence ended; else nothing. */
function stateAt(spans: Span[], t: Instant): EdgeAsOf | undefined {
  const holding = spans.find((s) => holdsAt(s.iv, t));
  if (holding) return { type: holding.type, from: holding.from, to: holding.to, sources: holding.sources, absent: false };
  const last = spans.filter((s) => s.iv.from <= t).sort((a, b) => b.iv.from - a.iv.from)[0];
  return last?.endedAbsent ? { type: last.type, from: last.from, to: last.to, sources: last.sources, absent: true } : undefined;
}

/**
 * The relationships that held at `t`, each once. A live edge's current interval runs from validFrom (until
 * absentSince while it is absent); its earlier ones are retired records. Between an interval an absence ended
 * and the next one, the relationship existed but was absent, as today's graph shows an absent one.
 */
export function edgesAsOf(live: readonly LiveEdge[], retired: readonly RetiredEdge[], t: Instant): EdgeAsOf[] {
  const spans = new Map<string, Span[]>();
  const add = (s: Span) => (spans.get(edgeKey(s)) ?? spans.set(edgeKey(s), []).get(edgeKey(s))!).push(s);
  for (const r of retired) add({ ...r, iv: { from: r.validFrom, to: r.validTo }, endedAbsent: r.endedAbsent });
  for (const e of live) add({ ...e, iv: { from: e.validFrom, to: e.absentSince }, endedAbsent: e.absentSince !== null });
  const out: EdgeAsOf[] = [];
  for (const s of spans.values()) {
    const state = stateAt(s, t);
    if (state) out.push(state);
  }
  return out.sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to) || a.type.localeCompare(b.type));
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
