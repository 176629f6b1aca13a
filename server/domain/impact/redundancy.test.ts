import { describe, it, expect } from 'vitest';
import { describeRedundancy, groupHolds } from './redundancy.js';

describe('groupHolds', () => {
  it('keeps an atLeast-2 cluster serving after one of three nodes fails', () => {
    expect(groupHolds({ kind: 'atLeast', k: 2 }, 2, 3)).toBe(true);
    expect(groupHolds({ kind: 'atLeast', k: 2 }, 1, 3)).toBe(false);
  });

  it('takes an all-members group down as soon as one member is lost', () => {
    expect(groupHolds({ kind: 'all' }, 3, 3)).toBe(true);
    expect(groupHolds({ kind: 'all' }, 2, 3)).toBe(false);
  });

  it('keeps an any-member pool serving while a single member is up', () => {
    expect(groupHolds({ kind: 'any' }, 1, 5)).toBe(true);
    expect(groupHolds({ kind: 'any' }, 0, 5)).toBe(false);
  });

  it('holds a percent rule at exactly the threshold and breaks it just below', () => {
    expect(groupHolds({ kind: 'percent', p: 50 }, 2, 4)).toBe(true);
    expect(groupHolds({ kind: 'percent', p: 50 }, 1, 4)).toBe(false);
    expect(groupHolds({ kind: 'percent', p: 0 }, 0, 0)).toBe(false);
  });

  it('never turns a broken group healthy by losing more members (monotone in members up)', () => {
    const rules = [
      { kind: 'all' },
      { kind: 'any' },
      { kind: 'atLeast', k: 3 },
      { kind: 'percent', p: 60 },
    ] as const;
    for (const r of rules) {
      for (let up = 1; up <= 6; up++) {
        if (!groupHolds(r, up, 6)) expect(groupHolds(r, up - 1, 6)).toBe(false);
      }
    }
  });

  it('labels rules the way notes show them', () => {
    expect(describeRedundancy({ kind: 'all' })).toBe('all');
    expect(describeRedundancy({ kind: 'atLeast', k: 2 })).toBe('atLeast:2');
    expect(describeRedundancy({ kind: 'percent', p: 50 })).toBe('percent:50');
  });
});
