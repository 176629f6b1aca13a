import { describe, expect, it } from 'vitest';
import { readProvenance } from './provenance';
import { reconcile } from './reconcile';

const at = '2026-11-30T10:00:00.000Z';

describe('reading stored provenance', () => {
  it('reads what Ripple stores', () => {
    const text = JSON.stringify({ hostname: { source: 'k8s', at } });
    expect(readProvenance(text, () => ['hostname'], at)).toEqual({ provenance: { hostname: { source: 'k8s', at } }, assumed: false });
  });

  it('assumes nothing for a CI that never had provenance', () => {
    expect(readProvenance(undefined, () => ['hostname'], at)).toEqual({ provenance: {}, assumed: false });
  });

  it('counts every field of an unreadable record as set by a person at the last update', () => {
    for (const text of ['{"hostname":', '[]', '{"hostname":{"source":1}}', 42]) {
      expect(readProvenance(text, () => ['hostname', 'ipAddress'], at), String(text)).toEqual({
        provenance: { hostname: { source: 'manual', at }, ipAddress: { source: 'manual', at } },
        assumed: true,
      });
    }
  });

  it('so that discovery below people keeps its hands off, and discovery above people still wins', () => {
    const { provenance } = readProvenance('not json', () => ['description', 'lifecycle'], at);
    const run = (field: string, precedence: string[]) =>
      reconcile({ current: { [field]: 'x' }, currentProvenance: provenance, incoming: { [field]: 'y' }, source: 'k8s', at, precedence: () => precedence });
    expect(run('description', ['manual', 'k8s']).kept).toEqual([{ field: 'description', heldBy: 'manual' }]);
    expect(run('lifecycle', ['k8s', 'manual']).set).toEqual({ lifecycle: 'y' });
  });
});
