import { describe, expect, it } from 'vitest';
import { decodeProvenance, encodeProvenance, type Provenance } from './provenance-codec';

const AT = '2026-12-02T00:00:00.000Z';
const LATER = '2026-12-02T01:00:00.000Z';

describe('stored provenance', () => {
  it('reads back exactly what was written, for fields from several sources and instants', () => {
    const p: Provenance = {
      name: { source: 'k8s', at: AT },
      hostname: { source: 'manual', at: LATER },
      replicas: { source: 'k8s', at: AT },
      image: { source: 'k8s', at: LATER },
    };
    expect(decodeProvenance(encodeProvenance(p))).toEqual(p);
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

  it('reads the older one-object-per-field form that CIs written before still hold', () => {
    const old = JSON.stringify({ name: { source: 'seed', at: AT }, owner: { source: 'manual', at: LATER } });
    expect(decodeProvenance(old)).toEqual({ name: { source: 'seed', at: AT }, owner: { source: 'manual', at: LATER } });
  });

  it('treats what it cannot read as no provenance rather than failing the read of the CI', () => {
    for (const bad of [undefined, 42, 'not json', '"text"', 'null', '[["s"]]', '{"name": {"source": 1}}']) {
      expect(decodeProvenance(bad), String(bad)).toEqual({});
    }
  });
});
