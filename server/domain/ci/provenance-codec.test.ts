import { describe, expect, it } from 'vitest';
import { decodeGroupedProvenance, encodeProvenance } from './provenance-codec';
import type { Provenance } from './reconcile';

const AT = '2026-12-02T00:00:00.000Z';
const LATER = '2026-12-02T01:00:00.000Z';

describe('provenance stored grouped by (source, instant)', () => {
  it('reads back exactly what was written, for fields from several sources and instants', () => {
    const p: Provenance = {
      name: { source: 'k8s', at: AT },
      hostname: { source: 'manual', at: LATER },
      replicas: { source: 'k8s', at: AT },
      image: { source: 'k8s', at: LATER },
    };
    expect(decodeGroupedProvenance(encodeProvenance(p))).toEqual(p);
  });

  it('stores a source and an instant once for all the fields they share, in well under half the old size', () => {
    const fields = ['name', 'environment', 'lifecycle', 'criticality', 'hostname', 'domain', 'ipAddress', 'os', 'osVersion', 'cpuCount', 'memoryMb'];
    const p: Provenance = Object.fromEntries(fields.map((f) => [f, { source: 'discovery', at: AT }]));
    const text = encodeProvenance(p);
    expect(text.match(/discovery/g)).toHaveLength(1);
    expect(text.length).toBeLessThan(JSON.stringify(p).length / 2);
  });

  it('gives the same text for the same provenance, whatever order the fields came in', () => {
    const a = encodeProvenance({ b: { source: 's', at: AT }, a: { source: 't', at: AT } });
    const b = encodeProvenance({ a: { source: 't', at: AT }, b: { source: 's', at: AT } });
    expect(a).toBe(b);
  });

  it('leaves the older one-object-per-field form, absent provenance and unreadable text to readProvenance', () => {
    const old = JSON.stringify({ name: { source: 'seed', at: AT } });
    for (const other of [old, undefined, null, 42, 'not json', '[not json', '[["s"]]', '[["s", "t", [1]]]']) {
      expect(decodeGroupedProvenance(other), String(other)).toBeUndefined();
    }
  });
});
