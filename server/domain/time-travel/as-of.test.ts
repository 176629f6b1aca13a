import { describe, expect, it } from 'vitest';
import { edgesAsOf, existedAt, holdsAt, pastInstant, valuesAsOf, type LiveEdge, type RetiredEdge } from './as-of.js';

const T = (iso: string) => Date.parse(iso);
const edge = (from: string, to: string, type = 'DEPENDS_ON') => ({ from, to, type, sources: ['k8s'] });

describe('pastInstant', () => {
  const now = T('2026-06-01T12:00:00Z');
  it('accepts now and any earlier instant', () => {
    expect(pastInstant('2026-06-01T12:00:00Z', now)).toBe(now);
    expect(pastInstant('2020-01-01T00:00:00+02:00', now)).toBe(T('2019-12-31T22:00:00Z'));
  });
  it('refuses the future naming the field, rather than answering with today', () => {
    expect(() => pastInstant('2026-06-01T12:00:01Z', now)).toThrow(/^at: must not be in the future/);
    expect(() => pastInstant('yesterday', now, 'asOf')).toThrow(/^asOf: /);
  });
});

describe('holdsAt', () => {
  it('includes the start and excludes the end of an interval', () => {
    expect(holdsAt({ from: 10, to: 20 }, 10)).toBe(true);
    expect(holdsAt({ from: 10, to: 20 }, 19)).toBe(true);
    expect(holdsAt({ from: 10, to: 20 }, 20)).toBe(false);
    expect(holdsAt({ from: 10, to: 20 }, 9)).toBe(false);
    expect(holdsAt({ from: 10, to: null }, 1e15)).toBe(true);
  });
});

describe('edgesAsOf', () => {
  const live: LiveEdge[] = [
    { ...edge('api', 'db'), validFrom: 100, absentSince: null },
    { ...edge('api', 'cache'), validFrom: 100, absentSince: 300 },
    // Reported again at 500 after an absence from 300: its earlier interval is a retired record.
    { ...edge('web', 'api'), validFrom: 500, absentSince: null },
  ];
  const retired: RetiredEdge[] = [
    { ...edge('web', 'api'), validFrom: 50, validTo: 300, endedAbsent: true },
    { ...edge('api', 'old-db'), validFrom: 50, validTo: 200, endedAbsent: false },
  ];
  const at = (t: number) => edgesAsOf(live, retired, t).map((e) => `${e.from}->${e.to}${e.absent ? ' (absent)' : ''}`);

  it('shows a relationship deleted since as present before its deletion and gone after', () => {
    expect(at(150)).toContain('api->old-db');
    expect(at(250)).not.toContain('api->old-db');
  });
  it('shows a relationship discovery stopped reporting as present before, absent after', () => {
    expect(at(250)).toContain('api->cache');
    expect(at(350)).toContain('api->cache (absent)');
  });
  it('leaves out a relationship before it was created', () => {
    expect(at(60)).toEqual(['api->old-db', 'web->api']);
  });
  it('shows a relationship that went absent and came back as absent in the gap only', () => {
    expect(at(250)).toContain('web->api');
    expect(at(400)).toContain('web->api (absent)');
    expect(at(600)).toContain('web->api');
  });
  it('names each relationship once when its retired record repeats the live interval', () => {
    const dup = edgesAsOf(live, [{ ...edge('api', 'cache'), validFrom: 100, validTo: 300, endedAbsent: true }], 200);
    expect(dup.filter((e) => e.to === 'cache')).toHaveLength(1);
  });
  it('shows nothing after a deletion, even when an earlier interval ended in an absence', () => {
    const spans: RetiredEdge[] = [
      { ...edge('a', 'b'), validFrom: 0, validTo: 10, endedAbsent: true },
      { ...edge('a', 'b'), validFrom: 20, validTo: 30, endedAbsent: false },
    ];
    expect(edgesAsOf([], spans, 15).map((e) => e.absent)).toEqual([true]);
    expect(edgesAsOf([], spans, 35)).toEqual([]);
  });
});

describe('valuesAsOf', () => {
  const current = { name: 'orders-db', version: '16', criticality: 1, hostname: 'db-2' };
  const history = [
    { at: 100, changes: [{ field: 'version', before: null, after: '14' }] },
    { at: 200, changes: [{ field: 'version', before: '14', after: '15' }, { field: 'hostname', before: null, after: 'db-1' }] },
    { at: 300, changes: [{ field: 'version', before: '15', after: '16' }, { field: 'DEPENDS_ON->x', before: null, after: 'related' }] },
    { at: 400, changes: [{ field: 'hostname', before: 'db-1', after: 'db-2' }, { field: 'criticality', before: 3, after: 1 }] },
  ];
  it('returns the value a field had at the instant, through several later changes', () => {
    expect(valuesAsOf(current, history, 250)).toMatchObject({ version: '15', hostname: 'db-1', criticality: 3 });
    expect(valuesAsOf(current, history, 150)).toMatchObject({ version: '14', hostname: null });
  });
  it('keeps the current values when nothing changed since', () => {
    expect(valuesAsOf(current, history, 400)).toEqual(current);
  });
  it('does not read relationship changes as values', () => {
    expect(valuesAsOf(current, history, 0)).not.toHaveProperty('DEPENDS_ON->x');
  });
  it('undoes two changes of one field in one entry back to the first before', () => {
    const twice = [{ at: 10, changes: [{ field: 'v', before: 'a', after: 'b' }, { field: 'v', before: 'b', after: 'c' }] }];
    expect(valuesAsOf({ v: 'c' }, twice, 5)).toEqual({ v: 'a' });
  });
});

describe('existedAt', () => {
  it('holds from the instant of creation on', () => {
    expect(existedAt(100, 99)).toBe(false);
    expect(existedAt(100, 100)).toBe(true);
  });
});
