import { describe, expect, it } from 'vitest';
import { planKeys } from './ident-claims';

const none = () => [];

describe('planKeys', () => {
  it('claims every free key of a new CI, not only the first rule', () => {
    expect(planKeys('ci_a', ['Hardware|serialNumber=x', 'Server|hostname=h|domain=d'], [], none)).toEqual({
      claim: ['Hardware|serialNumber=x', 'Server|hostname=h|domain=d'],
      share: [],
      release: [],
    });
  });

  it('shares a key another CI holds and never counts the CI itself as another holder', () => {
    const holders = (k: string) => (k === 'h' ? ['ci_b', 'ci_a'] : ['ci_a']);
    expect(planKeys('ci_a', ['s', 'h'], [], holders)).toEqual({ claim: ['s'], share: [{ key: 'h', holders: ['ci_b'] }], release: [] });
  });

  it('keeps the keys it holds, claims the new ones and releases the ones its old values gave', () => {
    expect(planKeys('ci_a', ['serial=new', 'host=h'], ['serial=old', 'host=h'], none)).toEqual({
      claim: ['serial=new'],
      share: [],
      release: ['serial=old'],
    });
  });
});
