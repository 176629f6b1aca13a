import { describe, expect, it } from 'vitest';
import { decodeState, emptyState, encodeState } from './url-state';

describe('view state in the URL hash', () => {
  it('round-trips an open CI with expansions, a dependency view and filters', () => {
    const s = { ...emptyState(), ci: 'ci:a/b', mode: 'dependencies' as const, depth: 4, expanded: ['x,1', 'y'], hiddenFamilies: ['hardware'], hiddenRels: ['RUNS_ON'] };
    expect(decodeState(encodeState(s))).toEqual(s);
  });

  it('ignores unknown modes and filter values from a hand-edited link', () => {
    const s = decodeState('#ci=a&mode=bogus&hf=hardware,nope&depth=99');
    expect(s.mode).toBe('explore');
    expect(s.hiddenFamilies).toEqual(['hardware']);
    expect(s.depth).toBe(3);
  });

  it('keeps the health mode and its open figure, even when the figure names a source with odd characters', () => {
    const s = { ...emptyState(), mode: 'health' as const, figure: 'stale:k8s/prod&eu=1' };
    const hash = encodeState(s);
    expect(hash).toContain('mode=health');
    expect(decodeState(hash)).toEqual(s);
  });

  it('drops a figure outside the health mode, so another mode never reopens one', () => {
    expect(encodeState({ ...emptyState(), mode: 'impact', figure: 'orphans' })).not.toContain('fig=');
    expect(decodeState('#mode=change&fig=orphans').figure).toBeNull();
  });
});
