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
});
