import { describe, expect, it } from 'vitest';
import { reconcile } from './reconcile';

const precedence = () => ['manual', 'aws', 'k8s'];
const at = '2026-11-25T00:00:00.000Z';

describe('reconciliation by source precedence', () => {
  it('does not let a less trusted source overwrite a value a more trusted one set', () => {
    const r = reconcile({
      current: { hostname: 'db-01', os: 'linux' },
      currentProvenance: { hostname: { source: 'manual', at } },
      incoming: { hostname: 'ip-10-0-0-1', os: 'ubuntu' },
      source: 'k8s',
      at,
      precedence,
    });
    expect(r.set).toEqual({ os: 'ubuntu' });
    expect(r.kept).toEqual([{ field: 'hostname', heldBy: 'manual' }]);
    expect(r.provenance.os).toEqual({ source: 'k8s', at });
    expect(r.provenance.hostname!.source).toBe('manual');
  });

  it('lets a more trusted source overwrite, and records it as the new holder', () => {
    const r = reconcile({
      current: { hostname: 'ip-10-0-0-1' },
      currentProvenance: { hostname: { source: 'k8s', at } },
      incoming: { hostname: 'db-01' },
      source: 'aws',
      at,
      precedence,
    });
    expect(r.changes).toEqual([{ field: 'hostname', before: 'ip-10-0-0-1', after: 'db-01' }]);
    expect(r.provenance.hostname!.source).toBe('aws');
  });

  it('writes nothing when every value is unchanged', () => {
    const r = reconcile({
      current: { hostname: 'db-01', ports: ['80/TCP'] },
      currentProvenance: {},
      incoming: { hostname: 'db-01', ports: ['80/TCP'] },
      source: 'k8s',
      at,
      precedence,
    });
    expect(r.changes).toEqual([]);
    expect(r.set).toEqual({});
  });

  it('ranks an unknown source below every listed one', () => {
    const r = reconcile({
      current: { hostname: 'db-01' },
      currentProvenance: { hostname: { source: 'k8s', at } },
      incoming: { hostname: 'other' },
      source: 'homegrown-script',
      at,
      precedence,
    });
    expect(r.kept).toEqual([{ field: 'hostname', heldBy: 'k8s' }]);
  });
});
