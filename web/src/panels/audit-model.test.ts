import { describe, expect, it } from 'vitest';
import { changeLine, toFilter } from './audit-model';

describe('changeLine', () => {
  it('names a relationship by its target and shows a removal as a dash', () => {
    expect(changeLine({ field: 'DEPENDS_ON->ci_1', before: 'related', after: null, relationship: { type: 'DEPENDS_ON', targetId: 'ci_1', targetName: 'orders-db' } })).toBe(
      'DEPENDS_ON → orders-db: related → —',
    );
  });
  it('shows an attribute change with its values', () => {
    expect(changeLine({ field: 'servicePort', before: 8080, after: 9090, relationship: null })).toBe('servicePort: 8080 → 9090');
  });
});

describe('toFilter', () => {
  it('leaves empty fields out and turns local times into instants', () => {
    const f = toFilter({ actor: ' alice ', source: '', className: '', action: 'UNRELATE', from: '2026-01-02T03:04:05', to: '' });
    expect(f).toEqual({ actor: 'alice', actions: ['UNRELATE'], from: new Date(Date.parse('2026-01-02T03:04:05')).toISOString() });
  });
});
