import { describe, expect, it } from 'vitest';
import { aggregateSiblings, type Neighbour } from './aggregate';

const pod = (i: number): Neighbour => ({ ci: { id: `p${i}`, name: `pod-${i}`, className: 'KubernetesPod' }, type: 'RUNS_ON', direction: 'IN' });

describe('aggregateSiblings', () => {
  it('draws 42 pods of one node as one group and keeps the lone database apart', () => {
    const db: Neighbour = { ci: { id: 'db', name: 'db', className: 'Database' }, type: 'DEPENDS_ON', direction: 'OUT' };
    const r = aggregateSiblings('node', [...Array.from({ length: 42 }, (_, i) => pod(i)), db]);
    expect(r.singles.map((s) => s.ci.id)).toEqual(['db']);
    expect(r.groups).toHaveLength(1);
    expect(r.groups[0]!.members).toHaveLength(42);
    expect(r.groups[0]!.className).toBe('KubernetesPod');
  });

  it('keeps 25 siblings as single nodes', () => {
    expect(aggregateSiblings('node', Array.from({ length: 25 }, (_, i) => pod(i))).groups).toEqual([]);
  });
});
